package gitfetch

import (
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/callboard/callboard/app/catalog"
)

// Options say what to fetch and where to keep it.
type Options struct {
	URL string
	// Branch to follow; "" follows the remote's default branch.
	Branch string
	// Dir holds the bare clone.
	Dir string
	// Progress receives the remote's progress messages; may be nil.
	Progress io.Writer
	// Auth authenticates to the remote; nil for none (see Credentials).
	Auth transport.AuthMethod
	// Shallow keeps the clone to the branch's tip: the first clone and
	// each fetch into a shallow clone take one commit (depth 1). Without
	// it, a shallow clone is deepened to the whole history; a whole clone
	// stays whole either way.
	Shallow bool
}

// Head is the result of a fetch: the commit at the tip of the branch.
type Head struct {
	Branch string
	Commit plumbing.Hash
	repo   *git.Repository
	dir    string
}

// ErrCorrupt marks a failure of the local clone rather than the remote: a
// missing or damaged object, pack or ref. Deleting the clone and cloning
// again repairs it.
var ErrCorrupt = errors.New("the local clone is damaged")

// Corrupt wraps err with ErrCorrupt when it comes from damaged local data.
func Corrupt(err error) error {
	if err == nil || errors.Is(err, ErrCorrupt) {
		return err
	}
	msg := err.Error()
	// A clone cut short by a crash may hold the branch but not yet its
	// remote: its next fetch cannot run.
	if errors.Is(err, git.ErrRemoteNotFound) || errors.Is(err, plumbing.ErrObjectNotFound) || errors.Is(err, zlib.ErrHeader) || errors.Is(err, zlib.ErrChecksum) ||
		errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "packfile") || strings.Contains(msg, "checksum") ||
		strings.Contains(msg, "malformed") || strings.Contains(msg, "object not found") {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}

// Fetch clones opts.URL into opts.Dir on first use and fetches the branch
// afterwards; it returns the branch tip. Network errors are returned wrapped
// with the URL; the clone on disk is left as it was.
func Fetch(ctx context.Context, opts Options) (Head, error) {
	// A URL holding a token would be written into the clone's config.
	if err := CheckURL(opts.URL); err != nil {
		return Head{}, err
	}
	repo, err := openClone(opts.Dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return clone(ctx, opts)
	}
	if err != nil {
		return Head{}, fmt.Errorf("open clone %s: %w: %w", opts.Dir, ErrCorrupt, err)
	}
	branch := opts.Branch
	if branch == "" {
		ref, err := repo.Head()
		if err == nil && !ref.Name().IsBranch() {
			err = fmt.Errorf("HEAD names %s, not a branch", ref.Name())
		}
		if err != nil {
			return Head{}, fmt.Errorf("read HEAD of clone %s: %w: %w", opts.Dir, ErrCorrupt, err)
		}
		branch = ref.Name().Short()
	}
	name := plumbing.NewBranchReferenceName(branch)
	shallows, err := repo.Storer.Shallow()
	if err != nil {
		return Head{}, fmt.Errorf("read the shallow commits of clone %s: %w: %w", opts.Dir, ErrCorrupt, err)
	}
	deepen := len(shallows) > 0 && !opts.Shallow
	// The branch where the clone has it already needs no fetch; one ref
	// advertisement tells, as git ls-remote would, without go-git's fetch
	// reading the clone's pack indexes to find what it wants. A clone to
	// deepen needs the fetch whatever the branch.
	if local, err := repo.Reference(name, true); err == nil && !deepen {
		remote := git.NewRemote(repo.Storer, &config.RemoteConfig{Name: git.DefaultRemoteName, URLs: []string{opts.URL}})
		refs, err := remote.ListContext(ctx, &git.ListOptions{Auth: opts.Auth})
		if err != nil {
			return Head{}, fmt.Errorf("fetch %s branch %s: %w", opts.URL, branch, explain(err, opts.URL))
		}
		if i := slices.IndexFunc(refs, func(r *plumbing.Reference) bool { return r.Name() == name }); i >= 0 && refs[i].Hash() == local.Hash() {
			return Head{Branch: branch, Commit: local.Hash(), repo: repo, dir: opts.Dir}, nil
		}
	}
	fo := &git.FetchOptions{
		// The location's URL wins over the clone's: the user may have changed it.
		RemoteURL: opts.URL,
		RefSpecs:  []config.RefSpec{config.RefSpec("+" + name + ":" + name)},
		Force:     true,
		Progress:  opts.Progress,
		Auth:      opts.Auth,
	}
	switch {
	case deepen:
		fo.Depth = unshallowDepth
	case len(shallows) > 0:
		// A fetch without a depth into a shallow clone would tell the
		// server it has whole histories it does not have.
		fo.Depth = 1
	}
	err = repo.FetchContext(ctx, fo)
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return Head{}, fmt.Errorf("fetch %s branch %s: %w", opts.URL, branch, Corrupt(explain(err, opts.URL)))
	}
	if deepen {
		if err := settleShallows(repo, opts.Dir); err != nil {
			return Head{}, fmt.Errorf("deepen clone %s: %w", opts.Dir, err)
		}
	}
	ref, err := repo.Reference(name, true)
	if err != nil {
		return Head{}, fmt.Errorf("resolve branch %s of %s: %w", branch, opts.URL, Corrupt(err))
	}
	return Head{Branch: branch, Commit: ref.Hash(), repo: repo, dir: opts.Dir}, nil
}

// Open returns the tip of branch ("" for the clone's HEAD) in the clone at
// dir as last fetched, without the network.
func Open(dir, branch string) (Head, error) {
	repo, err := openClone(dir)
	if err != nil {
		return Head{}, fmt.Errorf("open clone %s: %w", dir, err)
	}
	name := plumbing.NewBranchReferenceName(branch)
	if branch == "" {
		name = plumbing.HEAD
	}
	ref, err := repo.Reference(name, true)
	if err != nil {
		return Head{}, fmt.Errorf("read branch %s of clone %s: %w", branch, dir, Corrupt(err))
	}
	return Head{Branch: ref.Name().Short(), Commit: ref.Hash(), repo: repo, dir: dir}, nil
}

// At is h moved to another commit of the same clone.
func (h Head) At(commit plumbing.Hash) Head {
	h.Commit = commit
	return h
}

// Repository is the clone h reads from.
func (h Head) Repository() *git.Repository { return h.repo }

func clone(ctx context.Context, opts Options) (Head, error) {
	co := &git.CloneOptions{URL: opts.URL, SingleBranch: true, Progress: opts.Progress, Tags: git.NoTags, Auth: opts.Auth}
	if opts.Shallow {
		co.Depth = 1
	}
	if opts.Branch != "" {
		co.ReferenceName = plumbing.NewBranchReferenceName(opts.Branch)
	}
	if _, err := git.PlainCloneContext(ctx, opts.Dir, true, co); err != nil {
		// A half-written clone would be mistaken for a good one next time.
		_ = os.RemoveAll(opts.Dir)
		return Head{}, fmt.Errorf("clone %s: %w", opts.URL, explain(err, opts.URL))
	}
	// The clone's handle has go-git's default object cache; reads go
	// through a bounded one.
	repo, err := openClone(opts.Dir)
	if err != nil {
		return Head{}, fmt.Errorf("open clone %s: %w", opts.Dir, err)
	}
	ref, err := repo.Head()
	if err != nil {
		return Head{}, fmt.Errorf("read HEAD of %s: %w", opts.URL, err)
	}
	return Head{Branch: ref.Name().Short(), Commit: ref.Hash(), repo: repo, dir: opts.Dir}, nil
}

// Files returns the files of the head commit. The tree is indexed once, so
// each read is a map lookup, not a walk through directory trees (which made
// a repository of 80,000 files quadratic).
func (h Head) Files(ctx context.Context) (*TreeFiles, error) { return h.FilesSince(ctx, nil) }

// FilesSince is Files reusing prev, the files of an earlier commit of the
// same clone: directories whose tree did not change are not read again, so
// indexing a commit that changed one file of 80,000 reads a few trees.
func (h Head) FilesSince(ctx context.Context, prev *TreeFiles) (*TreeFiles, error) {
	c, err := h.repo.CommitObject(h.Commit)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h.Commit, Corrupt(err))
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of commit %s: %w", h.Commit, Corrupt(err))
	}
	// go-git's object storage is not safe for concurrent use, so each
	// concurrent reader gets its own handle on the clone.
	handles := make(chan *git.Repository, runtime.GOMAXPROCS(0))
	handles <- h.repo
	for range cap(handles) - 1 {
		r, err := openClone(h.dir)
		if err != nil {
			return nil, fmt.Errorf("open clone %s: %w", h.dir, err)
		}
		handles <- r
	}
	files := newTreeFiles(h.Commit)
	files.handles = handles
	if err := files.index(ctx, h.repo, t, "", prev); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("read tree of commit %s: %w", h.Commit, err)
		}
		return nil, fmt.Errorf("read tree of commit %s: %w", h.Commit, Corrupt(err))
	}
	slices.Sort(files.list)
	return files, nil
}

// dirIndex is what one directory of a tree holds, so an unchanged
// directory is copied from an earlier index without reading it again.
type dirIndex struct {
	hash    plumbing.Hash
	entries []string // files, links and submodules directly in it, by full name
	subdirs []string // by full name
}

// index adds the files of tree t, found at dir, copying from prev every
// subtree whose hash prev saw at the same place.
func (t *TreeFiles) index(ctx context.Context, repo *git.Repository, tree *object.Tree, dir string, prev *TreeFiles) error {
	// A tree of 100,000 files takes seconds to read: a closing
	// instance's sync stops between directories.
	if err := ctx.Err(); err != nil {
		return err
	}
	d := &dirIndex{hash: tree.Hash}
	t.dirs[dir] = d
	for _, e := range tree.Entries {
		name := e.Name
		if dir != "" {
			name = dir + "/" + e.Name
		}
		switch {
		case e.Mode == filemode.Dir:
			d.subdirs = append(d.subdirs, name)
			if old := prev.dir(name); old != nil && old.hash == e.Hash {
				prev.copyDir(t, name)
				continue
			}
			sub, err := repo.TreeObject(e.Hash)
			if err != nil {
				return err
			}
			if err := t.index(ctx, repo, sub, name, prev); err != nil {
				return err
			}
		case e.Mode == filemode.Symlink:
			// Not a file to read: a link's blob is its text, and following
			// it could leave the repository. Kept for the saved index.
			t.links[name] = e.Hash
			d.entries = append(d.entries, name)
		case e.Mode == filemode.Submodule:
			// No blob in this repository: kept only for the saved index.
			t.gitlinks[name] = e.Hash
			d.entries = append(d.entries, name)
		case e.Mode.IsFile():
			t.blobs[name] = e.Hash
			if e.Mode == filemode.Executable {
				t.execs[name] = true
			}
			t.list = append(t.list, name)
			d.entries = append(d.entries, name)
		}
	}
	return nil
}

func (t *TreeFiles) dir(name string) *dirIndex {
	if t == nil {
		return nil
	}
	return t.dirs[name]
}

// copyDir copies directory name, and everything under it, from t into into.
func (t *TreeFiles) copyDir(into *TreeFiles, name string) {
	d := t.dirs[name]
	into.dirs[name] = d // never changed once built, so it can be shared
	for _, f := range d.entries {
		if h, ok := t.blobs[f]; ok {
			into.blobs[f] = h
			into.list = append(into.list, f)
			if t.execs[f] {
				into.execs[f] = true
			}
		} else if h, ok := t.links[f]; ok {
			into.links[f] = h
		} else {
			into.gitlinks[f] = t.gitlinks[f]
		}
	}
	for _, sub := range d.subdirs {
		t.copyDir(into, sub)
	}
}

// TreeFiles reads files from one commit's tree. It is safe for concurrent
// use: each read borrows one of its repository handles.
type TreeFiles struct {
	damaged  atomic.Int64 // reads that failed on damaged local data
	handles  chan *git.Repository
	commit   plumbing.Hash // whose tree this is
	blobs    map[string]plumbing.Hash
	links    map[string]plumbing.Hash // never read, as files go
	gitlinks map[string]plumbing.Hash // submodules: not in this repository
	execs    map[string]bool          // files git marks executable
	dirs     map[string]*dirIndex     // for FilesSince
	list     []string
}

func newTreeFiles(commit plumbing.Hash) *TreeFiles {
	return &TreeFiles{commit: commit, blobs: map[string]plumbing.Hash{}, links: map[string]plumbing.Hash{},
		gitlinks: map[string]plumbing.Hash{}, execs: map[string]bool{}, dirs: map[string]*dirIndex{}}
}

// blob looks name up with a borrowed handle; call the returned release
// when done reading.
func (t *TreeFiles) blob(name string) (*object.Blob, func(), error) {
	hash, ok := t.blobs[name]
	if _, ok := t.links[name]; ok {
		return nil, nil, fmt.Errorf("%s: %w", name, errors.Join(catalog.ErrSymlink, fs.ErrNotExist))
	}
	if !ok {
		return nil, nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	repo := <-t.handles
	release := func() { t.handles <- repo }
	b, err := repo.BlobObject(hash)
	if err != nil {
		release()
		t.damaged.Add(1)
		return nil, nil, fmt.Errorf("%s: %w", name, Corrupt(err))
	}
	return b, release, nil
}

// Hash returns the blob id of the file at name, or "" when there is none.
func (t *TreeFiles) Hash(name string) string {
	if h, ok := t.blobs[name]; ok {
		return h.String()
	}
	return ""
}

// Mode is the file at name's mode as git keeps it: 0755 for executables,
// 0644 for other files, 0 when there is no such file.
func (t *TreeFiles) Mode(name string) fs.FileMode {
	switch _, ok := t.blobs[name]; {
	case !ok:
		return 0
	case t.execs[name]:
		return 0o755
	}
	return 0o644
}

// Size returns the size of the file at name.
func (t *TreeFiles) Size(name string) (int64, error) {
	b, release, err := t.blob(name)
	if err != nil {
		return 0, err
	}
	release()
	return b.Size, nil
}

// List returns the names of every file of the tree, sorted.
func (t *TreeFiles) List() ([]string, error) {
	return t.list, nil
}

// ReadFile returns the contents of the file at name; a missing file gives
// an error wrapping fs.ErrNotExist.
func (t *TreeFiles) ReadFile(name string) ([]byte, error) {
	return t.ReadFileMax(name, -1)
}

// ReadFileMax is ReadFile for files of at most limit bytes (no limit when
// negative); a larger file is refused without being read.
func (t *TreeFiles) ReadFileMax(name string, limit int64) ([]byte, error) {
	b, release, err := t.blob(name)
	if err != nil {
		return nil, err
	}
	defer release()
	return readBlob(b, name, limit, &t.damaged)
}

// readBlob reads the file name's blob b, refusing one over limit bytes
// (no limit when negative) unread; a read that fails on damaged local
// data counts in damaged.
func readBlob(b *object.Blob, name string, limit int64, damaged *atomic.Int64) ([]byte, error) {
	if limit >= 0 && b.Size > limit {
		return nil, catalog.FileTooLarge(b.Size)
	}
	r, err := b.Reader()
	if err != nil {
		damaged.Add(1)
		return nil, fmt.Errorf("%s: %w", name, Corrupt(err))
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		damaged.Add(1)
		return nil, fmt.Errorf("%s: %w", name, Corrupt(err))
	}
	return data, nil
}

// Damaged reports whether a read failed on damaged local data, so the
// caller can re-clone instead of storing a catalog with holes in it.
func (t *TreeFiles) Damaged() bool { return t.damaged.Load() > 0 }
