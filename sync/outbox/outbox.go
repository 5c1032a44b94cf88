package outbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// Ref is where the unpushed commits of branch wait in a clone: a ref of its
// own, so fetching (which mirrors the remote's branch) never touches them.
func Ref(branch string) plumbing.ReferenceName {
	return plumbing.ReferenceName("refs/callboard/outbox/" + branch)
}

// baseRef is the commit the outbox of branch starts from: the branch as it
// was when the first outbox commit was made, or as last rebased onto.
func baseRef(branch string) plumbing.ReferenceName {
	return plumbing.ReferenceName("refs/callboard/outbox-base/" + branch)
}

// conflictPrefix names the branches that keep commits which could not be
// rebased cleanly.
const conflictPrefix = "refs/heads/callboard/conflict/"

// Change is one file written by a commit: Content, or removal when Delete.
type Change struct {
	Path    string
	Content []byte
	Delete  bool
}

// ErrNoChange means a commit would change nothing: the files already
// have the contents given.
var ErrNoChange = errors.New("the files already have this content")

// Author is who a commit is by.
type Author struct {
	Name  string
	Email string
}

// Tip returns the commit the catalog should show for branch: the newest
// outbox commit when there is one (pending is then true), else the branch.
func Tip(repo *git.Repository, branch string) (tip plumbing.Hash, pending bool, err error) {
	if ref, err := repo.Reference(Ref(branch), true); err == nil {
		return ref.Hash(), true, nil
	} else if !errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, false, fmt.Errorf("read the outbox of %s: %w", branch, err)
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("read branch %s: %w", branch, err)
	}
	return ref.Hash(), false, nil
}

// Staged is a commit built on top of the outbox of a branch that no ref
// points at yet; Advance makes it the newest commit of the outbox.
type Staged struct {
	Commit plumbing.Hash
	// Parent is the outbox's newest commit when it was built, or the
	// branch itself when the outbox was empty (First).
	Parent plumbing.Hash
	First  bool
}

// Build writes changes as a commit on top of the outbox of branch (or the
// branch itself when the outbox is empty) without moving any ref: until
// Advance, a crash leaves only objects nothing points at. It returns
// ErrNoChange when the files already have these contents.
func Build(repo *git.Repository, branch string, changes []Change, message string, by Author, when time.Time) (Staged, error) {
	parent, pending, err := Tip(repo, branch)
	if err != nil {
		return Staged{}, err
	}
	h, err := CommitOn(repo, parent, changes, message, by, when)
	if err != nil {
		return Staged{}, err
	}
	return Staged{Commit: h, Parent: parent, First: !pending}, nil
}

// CommitOn writes changes as a commit whose parent is parent, moving no
// ref. The same arguments make the same commit. It returns ErrNoChange
// when the files already have these contents.
func CommitOn(repo *git.Repository, parent plumbing.Hash, changes []Change, message string, by Author, when time.Time) (plumbing.Hash, error) {
	if len(changes) == 0 {
		return plumbing.ZeroHash, errors.New("commit: nothing to commit")
	}
	base, err := repo.CommitObject(parent)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", parent, err)
	}
	edits := map[string]plumbing.Hash{}
	for _, c := range changes {
		if err := CheckPath(c.Path); err != nil {
			return plumbing.ZeroHash, err
		}
		if c.Delete {
			edits[c.Path] = plumbing.ZeroHash
			continue
		}
		h, err := writeBlob(repo, c.Content)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		edits[c.Path] = h
	}
	tree, err := editTree(repo, base.TreeHash, edits)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if tree == base.TreeHash {
		return plumbing.ZeroHash, ErrNoChange
	}
	sig := object.Signature{Name: by.Name, Email: by.Email, When: when}
	return writeCommit(repo, &object.Commit{Author: sig, Committer: sig, Message: message, TreeHash: tree, ParentHashes: []plumbing.Hash{parent}})
}

// Advance makes s the newest commit of the outbox of branch. It refuses
// when the outbox has moved since s was built.
func Advance(repo *git.Repository, branch string, s Staged) error {
	tip, pending, err := Tip(repo, branch)
	if err != nil {
		return err
	}
	if tip != s.Parent || pending == s.First {
		return fmt.Errorf("add %s to the outbox of %s: it has moved on to %s since", s.Commit, branch, tip)
	}
	// The base first: a crash between the two leaves a base without an
	// outbox, which reads as an empty outbox.
	if s.First {
		if err := repo.Storer.SetReference(plumbing.NewHashReference(baseRef(branch), s.Parent)); err != nil {
			return fmt.Errorf("start the outbox of %s: %w", branch, err)
		}
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(Ref(branch), s.Commit)); err != nil {
		return fmt.Errorf("move the outbox of %s: %w", branch, err)
	}
	return nil
}

// Commit records changes as one commit on top of the outbox of branch (or
// the branch itself when the outbox is empty) and returns it: Build, then
// Advance.
func Commit(repo *git.Repository, branch string, changes []Change, message string, by Author, when time.Time) (plumbing.Hash, error) {
	s, err := Build(repo, branch, changes, message, by, when)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return s.Commit, Advance(repo, branch, s)
}

// Truncate takes back every outbox commit of branch after the oldest keep:
// the outbox ends at the keep-th again, or is emptied when keep is 0.
func Truncate(repo *git.Repository, branch string, keep int) error {
	chain, err := Pending(repo, branch)
	if err != nil || keep >= len(chain) {
		return err
	}
	if keep == 0 {
		return clear(repo, branch)
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(Ref(branch), chain[keep-1].Hash)); err != nil {
		return fmt.Errorf("move the outbox of %s: %w", branch, err)
	}
	return nil
}

// Uncommit takes back commit, the newest of the outbox of branch, as if it
// had never been made.
func Uncommit(repo *git.Repository, branch string, commit plumbing.Hash) error {
	ref, err := repo.Reference(Ref(branch), true)
	if err != nil {
		return fmt.Errorf("read the outbox of %s: %w", branch, err)
	}
	if ref.Hash() != commit {
		return fmt.Errorf("take back %s: the outbox of %s has moved on to %s", commit, branch, ref.Hash())
	}
	c, err := repo.CommitObject(commit)
	if err != nil {
		return fmt.Errorf("read commit %s: %w", commit, err)
	}
	base, err := repo.Reference(baseRef(branch), true)
	if err != nil {
		return fmt.Errorf("read where the outbox of %s starts: %w", branch, err)
	}
	if c.ParentHashes[0] == base.Hash() {
		return clear(repo, branch)
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(Ref(branch), c.ParentHashes[0])); err != nil {
		return fmt.Errorf("move the outbox of %s: %w", branch, err)
	}
	return nil
}

// CheckPath refuses a path that is not a plain relative path inside the
// repository.
func CheckPath(p string) error {
	switch {
	case p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, `\`) || path.Clean(p) != p || p == "." ||
		p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Errorf("path %q: not a relative path inside the repository", p)
	case slices.Contains(strings.Split(p, "/"), ".git"):
		return fmt.Errorf("path %q: git's own folder cannot be written", p)
	}
	return nil
}

// File reads the file at name in commit, or reports it absent.
func File(repo *git.Repository, commit plumbing.Hash, name string) ([]byte, bool, error) {
	c, err := repo.CommitObject(commit)
	if err != nil {
		return nil, false, fmt.Errorf("read commit %s: %w", commit, err)
	}
	f, err := c.File(name)
	if errors.Is(err, object.ErrFileNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s at %s: %w", name, commit, err)
	}
	r, err := f.Reader()
	if err != nil {
		return nil, false, fmt.Errorf("read %s at %s: %w", name, commit, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, false, fmt.Errorf("read %s at %s: %w", name, commit, err)
	}
	return data, true, nil
}

// Pending lists the outbox commits of branch, oldest first.
func Pending(repo *git.Repository, branch string) ([]*object.Commit, error) {
	ref, err := repo.Reference(Ref(branch), true)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the outbox of %s: %w", branch, err)
	}
	base, err := repo.Reference(baseRef(branch), true)
	if err != nil {
		return nil, fmt.Errorf("read where the outbox of %s starts: %w", branch, err)
	}
	var chain []*object.Commit
	for h := ref.Hash(); h != base.Hash(); {
		c, err := repo.CommitObject(h)
		if err != nil {
			return nil, fmt.Errorf("read outbox commit %s: %w", h, err)
		}
		chain = append(chain, c)
		if len(c.ParentHashes) != 1 {
			return nil, fmt.Errorf("the outbox of %s does not lead back to where it started (%s)", branch, base.Hash())
		}
		h = c.ParentHashes[0]
	}
	slices.Reverse(chain)
	return chain, nil
}

// ConflictFile is one file both sides changed differently: Mine is the
// outbox commit's version, Theirs the remote's, Base what both started
// from; nil means the file is absent on that side.
type ConflictFile struct {
	Path   string
	Base   []byte
	Mine   []byte
	Theirs []byte
}

// Conflict is an outbox commit that does not rebase cleanly onto the
// remote. It and every outbox commit after it are kept on Branch.
type Conflict struct {
	Branch string
	Commit plumbing.Hash
	Files  []ConflictFile
}

// Result says what Push did.
type Result struct {
	// Clean counts the oldest outbox commits that rebased cleanly: on the
	// remote when Push returned no error, still in the outbox otherwise.
	Clean int
	// Conflict, when set, holds the outbox commits after those: the first
	// of them conflicts.
	Conflict *Conflict
}

// Push rebases the outbox of branch onto the branch as last fetched and
// pushes it to url. Commits that touch files the remote also changed, in a
// different way, are moved to a conflict branch instead, with everything
// after them; nothing is dropped or force-pushed. A push the remote refuses
// (it moved on since the fetch, or the network is gone) leaves the outbox
// as it was, rebased, for the next try.
func Push(ctx context.Context, repo *git.Repository, url, branch string, auth transport.AuthMethod, now time.Time) (Result, error) {
	res, err := Rebase(repo, branch, now)
	if err != nil || res.Clean == 0 {
		return res, err
	}
	tip, err := repo.Reference(Ref(branch), true)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return res, nil // the remote made every change already
	}
	if err != nil {
		return res, fmt.Errorf("read the outbox of %s: %w", branch, err)
	}
	err = repo.PushContext(ctx, &git.PushOptions{
		RemoteURL: url,
		RefSpecs:  []config.RefSpec{config.RefSpec(Ref(branch) + ":" + plumbing.NewBranchReferenceName(branch))},
		Auth:      auth,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return res, fmt.Errorf("push %d commit(s) to %s branch %s: %w", res.Clean, url, branch, err)
	}
	// The remote has them: the mirrored branch moves on, the outbox empties.
	if err := repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(branch), tip.Hash())); err != nil {
		return Result{}, fmt.Errorf("move branch %s: %w", branch, err)
	}
	return res, clear(repo, branch)
}

// Rebase replays the outbox of branch onto the branch as last fetched,
// moving conflicting commits to a conflict branch as Push does, and
// pushes nothing: the outbox of a branch that takes changes by pull
// request stays local, its commits showing in the catalog until the
// remote has them. A commit whose change the branch has already made
// leaves the outbox.
func Rebase(repo *git.Repository, branch string, now time.Time) (Result, error) {
	pending, err := Pending(repo, branch)
	if err != nil || len(pending) == 0 {
		return Result{}, err
	}
	upstream, err := repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return Result{}, fmt.Errorf("read branch %s: %w", branch, err)
	}
	var res Result
	base := upstream.Hash()
	for i, c := range pending {
		if len(c.ParentHashes) == 1 && c.ParentHashes[0] == base {
			base = c.Hash // already on top: nothing to replay
			res.Clean++
			continue
		}
		next, files, err := replay(repo, c, base)
		if err != nil {
			return Result{}, err
		}
		if files != nil {
			name := plumbing.ReferenceName(conflictPrefix + branch + "/" + now.UTC().Format("20060102-150405") + "-" + c.Hash.String()[:7])
			tip := pending[len(pending)-1].Hash
			if err := repo.Storer.SetReference(plumbing.NewHashReference(name, tip)); err != nil {
				return Result{}, fmt.Errorf("keep the conflicting commits on %s: %w", name, err)
			}
			res.Conflict = &Conflict{Branch: name.Short(), Commit: c.Hash, Files: files}
			pending = pending[:i]
			break
		}
		base = next
		res.Clean++
	}
	if len(pending) == 0 {
		// Everything conflicted: the outbox is empty, its commits are on
		// the conflict branch.
		return res, clear(repo, branch)
	}
	if base == upstream.Hash() {
		// Every change is on the remote already.
		return res, clear(repo, branch)
	}
	for name, h := range map[plumbing.ReferenceName]plumbing.Hash{Ref(branch): base, baseRef(branch): upstream.Hash()} {
		if err := repo.Storer.SetReference(plumbing.NewHashReference(name, h)); err != nil {
			return Result{}, fmt.Errorf("move the outbox of %s: %w", branch, err)
		}
	}
	return res, nil
}

// clear empties the outbox of branch.
func clear(repo *git.Repository, branch string) error {
	for _, name := range []plumbing.ReferenceName{Ref(branch), baseRef(branch)} {
		if err := repo.Storer.RemoveReference(name); err != nil {
			return fmt.Errorf("empty the outbox of %s: %w", branch, err)
		}
	}
	return nil
}

// replay applies what c changed onto base. When a file c changed was also
// changed on base, differently, it returns the conflicting files instead.
func replay(repo *git.Repository, c *object.Commit, base plumbing.Hash) (plumbing.Hash, []ConflictFile, error) {
	parent, err := c.Parent(0)
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("read the parent of %s: %w", c.Hash, err)
	}
	onto, err := repo.CommitObject(base)
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("read commit %s: %w", base, err)
	}
	from, err := parent.Tree()
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("read tree of %s: %w", parent.Hash, err)
	}
	to, err := c.Tree()
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("read tree of %s: %w", c.Hash, err)
	}
	theirs, err := onto.Tree()
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("read tree of %s: %w", base, err)
	}
	changes, err := object.DiffTreeWithOptions(context.Background(), from, to, &object.DiffTreeOptions{})
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("diff %s: %w", c.Hash, err)
	}
	edits := map[string]plumbing.Hash{}
	seen := map[string]bool{}
	var conflicts []ConflictFile
	for _, ch := range changes {
		for _, name := range []string{ch.From.Name, ch.To.Name} {
			if name == "" || seen[name] {
				continue
			}
			seen[name] = true
			was, mine, now := blobAt(from, name), blobAt(to, name), blobAt(theirs, name)
			switch {
			case now == was:
				edits[name] = mine
			case now == mine:
				// The remote made the same change: nothing to replay.
			default:
				f := ConflictFile{Path: name}
				for _, side := range []struct {
					h   plumbing.Hash
					dst *[]byte
				}{{was, &f.Base}, {mine, &f.Mine}, {now, &f.Theirs}} {
					if *side.dst, err = readBlob(repo, side.h); err != nil {
						return plumbing.ZeroHash, nil, err
					}
				}
				conflicts = append(conflicts, f)
			}
		}
	}
	if conflicts != nil {
		return plumbing.ZeroHash, conflicts, nil
	}
	tree, err := editTree(repo, onto.TreeHash, edits)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	if tree == onto.TreeHash {
		return base, nil, nil // everything it did is on the remote already
	}
	next := *c
	next.TreeHash, next.ParentHashes = tree, []plumbing.Hash{base}
	h, err := writeCommit(repo, &next)
	return h, nil, err
}

// blobAt is the blob at name in t, or the zero hash.
func blobAt(t *object.Tree, name string) plumbing.Hash {
	e, err := t.FindEntry(name)
	if err != nil || !e.Mode.IsFile() {
		return plumbing.ZeroHash
	}
	return e.Hash
}

func readBlob(repo *git.Repository, h plumbing.Hash) ([]byte, error) {
	if h.IsZero() {
		return nil, nil
	}
	b, err := repo.BlobObject(h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	r, err := b.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer r.Close()
	return io.ReadAll(r)
}

func writeBlob(repo *git.Repository, data []byte) (plumbing.Hash, error) {
	obj := repo.Storer.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write blob: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write blob: %w", err)
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write blob: %w", err)
	}
	return storeObject(repo, obj)
}

func writeCommit(repo *git.Repository, c *object.Commit) (plumbing.Hash, error) {
	obj := repo.Storer.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode commit: %w", err)
	}
	return storeObject(repo, obj)
}

func storeObject(repo *git.Repository, obj plumbing.EncodedObject) (plumbing.Hash, error) {
	h, err := repo.Storer.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("store %s object: %w", obj.Type(), err)
	}
	return h, nil
}

// editTree returns the tree that is tree with edits applied: each path set
// to a blob, or removed when its hash is zero. Folders left empty go.
func editTree(repo *git.Repository, tree plumbing.Hash, edits map[string]plumbing.Hash) (plumbing.Hash, error) {
	h, err := editDir(repo, tree, edits)
	if err != nil || !h.IsZero() {
		return h, err
	}
	return storeTree(repo, nil) // a root folder may be empty
}

// editDir is editTree for a folder: one left empty is gone (zero hash).
func editDir(repo *git.Repository, tree plumbing.Hash, edits map[string]plumbing.Hash) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	if !tree.IsZero() {
		t, err := repo.TreeObject(tree)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read tree %s: %w", tree, err)
		}
		entries = slices.Clone(t.Entries)
	}
	here := map[string]plumbing.Hash{}
	below := map[string]map[string]plumbing.Hash{}
	for p, h := range edits {
		dir, rest, nested := strings.Cut(p, "/")
		if !nested {
			here[dir] = h
			continue
		}
		if below[dir] == nil {
			below[dir] = map[string]plumbing.Hash{}
		}
		below[dir][rest] = h
	}
	set := func(name string, mode filemode.FileMode, h plumbing.Hash) {
		i := slices.IndexFunc(entries, func(e object.TreeEntry) bool { return e.Name == name })
		switch {
		case h.IsZero() && i >= 0:
			entries = slices.Delete(entries, i, i+1)
		case h.IsZero():
		case i >= 0:
			entries[i] = object.TreeEntry{Name: name, Mode: mode, Hash: h}
		default:
			entries = append(entries, object.TreeEntry{Name: name, Mode: mode, Hash: h})
		}
	}
	for name, h := range here {
		mode := filemode.Regular
		if i := slices.IndexFunc(entries, func(e object.TreeEntry) bool { return e.Name == name }); i >= 0 && entries[i].Mode == filemode.Executable {
			mode = filemode.Executable
		}
		set(name, mode, h)
	}
	for dir, sub := range below {
		var old plumbing.Hash
		if i := slices.IndexFunc(entries, func(e object.TreeEntry) bool { return e.Name == dir }); i >= 0 && entries[i].Mode == filemode.Dir {
			old = entries[i].Hash
		}
		h, err := editDir(repo, old, sub)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		set(dir, filemode.Dir, h)
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, nil
	}
	// Git orders a folder as if its name ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	slices.SortFunc(entries, func(a, b object.TreeEntry) int { return strings.Compare(key(a), key(b)) })
	return storeTree(repo, entries)
}

func storeTree(repo *git.Repository, entries []object.TreeEntry) (plumbing.Hash, error) {
	obj := repo.Storer.NewEncodedObject()
	if err := (&object.Tree{Entries: entries}).Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode tree: %w", err)
	}
	return storeObject(repo, obj)
}
