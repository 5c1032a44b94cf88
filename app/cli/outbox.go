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

func (r *runner) outboxResolve(ctx context.Context, args []string) error {
	fs := r.flags("outbox resolve")
	keep := fs.String("keep", "", "mine or theirs")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (*keep != "mine" && *keep != "theirs") {
		return usagef("outbox resolve takes an entry id (see callboard outbox) and --keep mine or --keep theirs")
	}
	conn, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.api.ResolveConflict(ctx, pos[0], *keep); err != nil {
		if errors.Is(err, portal.ErrNotFound) || errors.Is(err, portal.ErrInvalid) {
			return usagef("outbox resolve: %v", err)
		}
		return err
	}
	if r.json {
		return r.printJSON(map[string]string{"resolved": pos[0], "kept": *keep})
	}
	fmt.Fprintf(r.env.Stdout, "resolved %s: kept %s\n", pos[0], *keep)
	return nil
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
