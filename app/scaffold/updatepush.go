package scaffold

import (
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/callboard/callboard/app/catalog"
)

// Errors of ReadUpdate.
var (
	// ErrNotUpdate is a branch that holds no template update.
	ErrNotUpdate = errors.New("not a template update's branch")
	// ErrNoBranch is a branch the checkout does not have.
	ErrNoBranch = errors.New("no such branch")
)

// UpdateCommit is an applied update as its branch holds it, and what
// pushing it and a pull request from it say.
type UpdateCommit struct {
	Branch string
	Commit string
	// RemoteBranch is where the project's updates go on its remote,
	// UpdateBranchPrefix + the template's name: one branch, which a newer
	// update replaces.
	RemoteBranch string
	// Template is the template's name; Title and Body the pull request's,
	// the body the update commit's message, which lists the template's
	// commits.
	Template    string
	Title, Body string
	// To is the template's commit the update brings the project to.
	To string
}

// unsafeBranchPart is what a remote branch's name leaves out of the
// template's name.
var unsafeBranchPart = regexp.MustCompile(`[^a-z0-9_-]+`)

// ReadUpdate reads the update committed on branch ("" for the branch
// the checkout is on) of the git checkout holding dir, a project's
// folder. A folder in no checkout is ErrNotCheckout; a branch it lacks,
// ErrNoBranch; one that is not an update's, ErrNotUpdate.
func ReadUpdate(dir, branch string) (UpdateCommit, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return UpdateCommit{}, fmt.Errorf("%s: %w", dir, ErrNotCheckout)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return UpdateCommit{}, fmt.Errorf("%s: %w", dir, ErrNotCheckout)
	}
	if branch == "" {
		head, err := repo.Head()
		if err != nil || !head.Name().IsBranch() {
			return UpdateCommit{}, fmt.Errorf("%s is on no branch: %w", dir, ErrNotUpdate)
		}
		branch = head.Name().Short()
	}
	if !strings.HasPrefix(branch, UpdateBranchPrefix) {
		return UpdateCommit{}, fmt.Errorf("branch %s: %w (%s…)", branch, ErrNotUpdate, UpdateBranchPrefix)
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return UpdateCommit{}, fmt.Errorf("branch %s of %s: %w", branch, dir, ErrNoBranch)
	}
	rel, err := filepath.Rel(wt.Filesystem.Root(), dir)
	if err != nil {
		return UpdateCommit{}, err
	}
	c, err := repo.CommitObject(ref.Hash())
	if err != nil {
		return UpdateCommit{}, fmt.Errorf("read commit %s: %w", ref.Hash(), err)
	}
	rec, err := recordAt(c, path.Join(filepath.ToSlash(rel), RecordPath))
	if err != nil {
		return UpdateCommit{}, fmt.Errorf("branch %s: %w", branch, err)
	}
	name := rec.Template
	if r, err := catalog.ParseRef(rec.Template, "template", "default"); err == nil {
		name = r.Name
	}
	safe := strings.Trim(unsafeBranchPart.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if safe == "" {
		safe = "template"
	}
	_, body, _ := strings.Cut(c.Message, "\n")
	return UpdateCommit{Branch: branch, Commit: ref.Hash().String(), RemoteBranch: UpdateBranchPrefix + safe, Template: name,
		Title: fmt.Sprintf("Update from template %s (%s)", name, rec.Commit[:min(7, len(rec.Commit))]), Body: strings.TrimSpace(body), To: rec.Commit}, nil
}

// recordAt reads the record at p in commit c.
func recordAt(c *object.Commit, p string) (Record, error) {
	f, err := c.File(p)
	if errors.Is(err, object.ErrFileNotFound) {
		return Record{}, fmt.Errorf("%w: no %s", ErrNotUpdate, RecordPath)
	}
	if err != nil {
		return Record{}, fmt.Errorf("read %s: %w", p, err)
	}
	r, err := f.Reader()
	if err != nil {
		return Record{}, fmt.Errorf("read %s: %w", p, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, maxRecord+1))
	if err != nil {
		return Record{}, fmt.Errorf("read %s: %w", p, err)
	}
	if len(data) > maxRecord {
		return Record{}, fmt.Errorf("%s: over %d bytes", RecordPath, maxRecord)
	}
	rec, err := ParseRecord(data)
	if err != nil {
		return Record{}, fmt.Errorf("%w: %w", ErrNotUpdate, err)
	}
	return rec, nil
}
