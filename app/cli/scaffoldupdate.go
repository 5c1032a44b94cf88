package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"

	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/sync/branchpush"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/remote"
)

// scaffoldUpdateReport is the stable JSON shape of `scaffold update
// --json`: the preview, and the branch and commit when applied.
type scaffoldUpdateReport struct {
	portal.TemplateUpdatePreview
	DryRun bool   `json:"dryRun"`
	Commit string `json:"commit,omitempty"`
	// Push is set with --push or --pull-request.
	Push *updatePushReport `json:"push,omitempty"`
}

// updatePushReport is how the update's branch reached the remote: the
// pull request's link, or why it did not (cause: auth, nonFastForward,
// offline, or "" with error saying what else).
type updatePushReport struct {
	Remote       string `json:"remote,omitempty"`
	RemoteBranch string `json:"remoteBranch"`
	Commit       string `json:"commit,omitempty"`
	PullRequest  string `json:"pullRequest,omitempty"`
	Cause        string `json:"cause,omitempty"`
	Error        string `json:"error,omitempty"`
}

// scaffoldUpdate merges a template's changes since a project was made
// into the project: a preview with --dry-run, else one commit on a new
// branch of its checkout. Exit 1 when conflicts are left to resolve.
func (r *runner) scaffoldUpdate(ctx context.Context, args []string) error {
	fs := r.flags("scaffold update")
	to := fs.String("to", "", "the template repository's commit to update to (default: the location's synced tip)")
	dry := fs.Bool("dry-run", false, "show what the update would do without writing anything")
	push := fs.Bool("push", false, "push the update's branch to the checkout's origin, as callboard/template-update/<template>")
	pr := fs.Bool("pull-request", false, "push the update's branch and open a pull request from it")
	base := fs.String("base", "", "the branch the pull request merges into (default: the remote's default branch)")
	forge := fs.String("forge", "", "the kind of forge of a host Callboard does not know by name: github, gitlab or gitea")
	set, secrets := filterFlag{}, filterFlag{}
	fs.Var(set, "set", "NAME=VALUE answers a question the template's new version asks (VALUE as JSON, else text; repeatable)")
	fs.Var(secrets, "secret", "NAME=VALUE gives a secret again: secrets are never recorded (repeatable)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("scaffold update takes the project's folder, e.g. callboard scaffold update ~/src/radar --dry-run")
	}
	if *dry && (*push || *pr) {
		return usagef("scaffold update: --dry-run writes nothing, so there is nothing to --push")
	}
	dir, err := filepath.Abs(pos[0])
	if err != nil {
		return usagef("scaffold update: %v", err)
	}
	values := nunjucks.NewObject()
	for _, k := range sortedNames(set) {
		v, err := nunjucks.DecodeJSON([]byte(set[k]))
		if err != nil {
			v = set[k]
		}
		values.Set(k, v)
	}
	raw, err := json.Marshal(values)
	if err != nil {
		return err
	}
	conn, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	req := portal.TemplateUpdateRequest{Dir: dir, To: *to, Values: raw, Secrets: secrets}
	rep := scaffoldUpdateReport{DryRun: *dry}
	if *dry {
		rep.TemplateUpdatePreview, err = conn.api.PreviewTemplateUpdate(ctx, req)
	} else {
		var applied portal.TemplateUpdateApplied
		applied, err = conn.api.ApplyTemplateUpdate(ctx, req)
		rep.TemplateUpdatePreview, rep.Commit = applied.TemplateUpdatePreview, applied.Commit
	}
	if err != nil {
		return err
	}
	var pushErr error
	if *push || *pr {
		rep.Push, pushErr = r.pushUpdate(ctx, dir, rep.Branch, *pr, *base, remote.Forge(*forge))
	}
	if r.json {
		if err := r.printJSON(rep); err != nil {
			return err
		}
	} else {
		r.printUpdate(rep)
	}
	if pushErr != nil {
		return invalidError{fmt.Sprintf("scaffold update: the update is committed on %s but not pushed: %v", rep.Branch, pushErr)}
	}
	if rep.Conflicts > 0 {
		return invalidError{fmt.Sprintf("scaffold update: %d conflicts to resolve", rep.Conflicts)}
	}
	return nil
}

// pushUpdate takes the update committed on branch to the origin of the
// checkout holding dir, directly (not through the instance's outbox),
// with the credentials of origin's host, and opens the pull request
// when asked.
func (r *runner) pushUpdate(ctx context.Context, dir, branch string, pullRequest bool, base string, forge remote.Forge) (*updatePushReport, error) {
	u, err := scaffold.ReadUpdate(dir, branch)
	if err != nil {
		return &updatePushReport{Error: err.Error()}, err
	}
	b := branchpush.Request{Dir: dir, Branch: u.Branch, RemoteBranch: u.RemoteBranch}
	if pullRequest {
		b.PullRequest = &branchpush.PullRequest{Title: u.Title, Body: u.Body, Base: base, Forge: forge}
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	got, err := branchpush.New(r.credentials(), discover.Options{Logger: quiet}).Push(ctx, b)
	rep := &updatePushReport{Remote: got.Remote, RemoteBranch: u.RemoteBranch, Commit: got.Commit}
	if got.PR != nil {
		rep.PullRequest = got.PR.URL
	}
	if err != nil {
		rep.Cause, rep.Error = branchpush.Cause(err), err.Error()
		if rep.Cause != "" {
			err = fmt.Errorf("%s: %w", rep.Cause, err)
		}
	}
	return rep, err
}

func (r *runner) printUpdate(rep scaffoldUpdateReport) {
	w := r.env.Stdout
	fmt.Fprintf(w, "%s: %s → %s\n", rep.Template, shortRev(rep.From), shortRev(rep.To))
	for _, c := range rep.Commits {
		fmt.Fprintf(w, "  %s %s (%s, %s)\n", shortRev(c.Hash), c.Subject, c.Author, c.Date)
	}
	if len(rep.Files) == 0 {
		fmt.Fprintln(w, "\nnothing to change: the template's files are as they were")
	} else {
		fmt.Fprintln(w)
	}
	for _, f := range rep.Files {
		name := f.Path
		if f.From != "" {
			name = f.From + " → " + f.Path
		}
		line := fmt.Sprintf("%-9s %s", f.Action, name)
		if f.Conflicts > 0 {
			line += fmt.Sprintf(" (%d conflicts)", f.Conflicts)
		}
		if f.Why != "" {
			line += ": " + f.Why
		}
		fmt.Fprintln(w, line)
	}
	for _, q := range rep.Asked {
		fmt.Fprintf(w, "new question %s = %s\n", q.Name, q.Value)
	}
	for _, d := range rep.Dropped {
		fmt.Fprintf(w, "dropped answer %s: the template no longer asks it\n", d)
	}
	for _, a := range rep.AskAgain {
		fmt.Fprintf(w, "secret %s: give it again with --secret %s=VALUE if the template needs it\n", a, a)
	}
	switch {
	case rep.DryRun:
		fmt.Fprintf(w, "\ndry run: nothing written; the update would go on branch %s\n", rep.Branch)
	default:
		fmt.Fprintf(w, "\ncommitted %s on branch %s\n", shortRev(rep.Commit), rep.Branch)
	}
	switch p := rep.Push; {
	case p == nil:
	case p.Error != "":
	case p.PullRequest != "":
		fmt.Fprintf(w, "pushed to %s of %s; pull request: %s\n", p.RemoteBranch, p.Remote, p.PullRequest)
	default:
		fmt.Fprintf(w, "pushed to %s of %s\n", p.RemoteBranch, p.Remote)
	}
}

func shortRev(h string) string { return h[:min(len(h), 8)] }

func sortedNames(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
