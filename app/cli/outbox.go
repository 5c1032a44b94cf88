package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/callboard/callboard/app/portal"
)

func (r *runner) catalogWrite(ctx context.Context, args []string) error {
	fs := r.flags("catalog write")
	from := fs.String("file", "", "the new contents (required)")
	message := fs.String("message", "", "commit message (required)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || *from == "" || strings.TrimSpace(*message) == "" {
		return usagef("catalog write takes a location id and a path in its repository, with --file and --message, e.g. catalog write demo services/new/catalog-info.yaml --file new.yaml --message \"Register new\"")
	}
	data, err := os.ReadFile(*from)
	if err != nil {
		return usagef("catalog write: %v", err)
	}
	conn, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	e, err := conn.api.WriteFile(ctx, portal.FileWrite{LocationID: pos[0], Path: pos[1], Content: string(data), Message: *message})
	if errors.Is(err, portal.ErrInvalid) {
		return invalidError{fmt.Sprintf("catalog write: %v", err)}
	}
	if errors.Is(err, portal.ErrNotFound) {
		return usagef("catalog write: %v (see callboard location list)", err)
	}
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(e)
	}
	fmt.Fprintf(r.env.Stdout, "committed %s locally as %s; the next sync pushes it\n", pos[1], short(e.Commit))
	return nil
}

func (r *runner) outboxList(ctx context.Context, args []string) error {
	fs := r.flags("outbox")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	conn, err := r.read(ctx, false)
	if err != nil {
		return err
	}
	defer conn.Close()
	entries, err := conn.api.Outbox(ctx)
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(map[string]any{"entries": entries})
	}
	if len(entries) == 0 {
		fmt.Fprintln(r.env.Stdout, "the outbox is empty: everything written in Callboard has been pushed")
		return nil
	}
	for _, e := range entries {
		fmt.Fprintf(r.env.Stdout, "%s  %-8s  %s  %s  %q\n", e.ID, e.State, short(e.Commit), strings.Join(e.Paths, ","), firstLine(e.Message))
		switch {
		case e.Review != nil && e.Review.Number > 0:
			fmt.Fprintf(r.env.Stdout, "    pull request #%d %s: %s\n", e.Review.Number, reviewState(e.Review.State), e.Review.URL)
			if e.State == "closed" {
				fmt.Fprintf(r.env.Stdout, "    closed unmerged; your change still shows: callboard outbox resolve %s --keep discard|reopen\n", e.ID)
			}
		case e.Review != nil:
			fmt.Fprintf(r.env.Stdout, "    waiting to open a pull request from %s", e.Review.Branch)
			if e.LastError != "" {
				fmt.Fprintf(r.env.Stdout, ": %s", e.LastError)
			}
			fmt.Fprintln(r.env.Stdout)
		case e.State == "conflict" && len(e.Conflict) > 0:
			fmt.Fprintf(r.env.Stdout, "    the remote changed %s too; kept on branch %s: callboard outbox resolve %s --keep mine|theirs\n",
				conflictPaths(e.Conflict), e.Branch, e.ID)
		case e.State == "conflict":
			fmt.Fprintf(r.env.Stdout, "    kept on branch %s with an earlier conflicting commit\n", e.Branch)
		case e.LastError != "":
			fmt.Fprintf(r.env.Stdout, "    last push failed: %s\n", e.LastError)
		}
	}
	return nil
}

func (r *runner) locationReview(ctx context.Context, args []string) error {
	fs := r.flags("location review")
	mode := fs.String("mode", "", "direct, pr or detect")
	forge := fs.String("forge", "", "the forge of a host Callboard does not know: github, gitlab or gitea")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *mode == "" {
		return usagef("location review takes one location id (see callboard location list) and --mode direct, pr or detect")
	}
	conn, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	loc, err := conn.api.SetReviewMode(ctx, pos[0], portal.ReviewMode{Mode: *mode, Forge: *forge})
	if errors.Is(err, portal.ErrNotFound) || errors.Is(err, portal.ErrInvalid) {
		return usagef("location review: %v", err)
	}
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(loc)
	}
	fmt.Fprintf(r.env.Stdout, "location %s: edits go %s\n", loc.ID, map[string]string{"direct": "straight to its branch",
		"pr": "by pull request", "detect": "by pull request when its branch is protected, else straight to it"}[loc.ReviewMode])
	return nil
}

func (r *runner) outboxResolve(ctx context.Context, args []string) error {
	fs := r.flags("outbox resolve")
	keep := fs.String("keep", "", "mine or theirs; for a closed pull request, discard or reopen")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (*keep != "mine" && *keep != "theirs" && *keep != "discard" && *keep != "reopen") {
		return usagef("outbox resolve takes an entry id (see callboard outbox) and --keep mine or --keep theirs (a closed pull request: --keep discard or --keep reopen)")
	}
	conn, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	settle := conn.api.ResolveConflict
	if *keep == "discard" || *keep == "reopen" {
		settle = conn.api.SettleReview
	}
	if err := settle(ctx, pos[0], *keep); err != nil {
		if errors.Is(err, portal.ErrNotFound) || errors.Is(err, portal.ErrInvalid) {
			return usagef("outbox resolve: %v", err)
		}
		return err
	}
	if r.json {
		return r.printJSON(map[string]string{"resolved": pos[0], "kept": *keep})
	}
	switch *keep {
	case "discard":
		fmt.Fprintf(r.env.Stdout, "discarded %s\n", pos[0])
	case "reopen":
		fmt.Fprintf(r.env.Stdout, "reopened the pull request of %s\n", pos[0])
	default:
		fmt.Fprintf(r.env.Stdout, "resolved %s: kept %s\n", pos[0], *keep)
	}
	return nil
}

// reviewState says a pull request's state in words.
func reviewState(state string) string {
	switch state {
	case "changesRequested":
		return "changes requested"
	case "":
		return "open"
	}
	return state
}

func short(commit string) string { return commit[:min(7, len(commit))] }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func conflictPaths(files []portal.ConflictFile) string {
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	return strings.Join(paths, ", ")
}
