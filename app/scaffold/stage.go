package scaffold

import (
	"bufio"
	"cmp"
	"compress/zlib"
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/callboard/callboard/app/catalog"
)

// staged is a project folder committed in memory, as `git add --all` and
// `git commit` in a new repository make it: its objects ready for a pack,
// the index, the commit.
type staged struct {
	objects []packObject
	index   *index.Index
	commit  plumbing.Hash
}

// stage reads dir once and commits everything in it the way go-git's
// Worktree.AddWithOptions(All) and Commit did for initRepo: .git folders
// and sockets left out, what .gitignore files (and a .git/info/exclude)
// name left out, links committed as links, the executable bit kept,
// paths git refuses (a disguised .git, control characters) refused. It
// opens each folder once and each file once, where go-git walked every
// path from the top several times and read each file twice (status, then
// add): most of the first commit's time. Blobs are hashed and compressed
// on every CPU while the next files are read.
func stage(ctx context.Context, dir string, in publishInput) (staged, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return staged{}, fmt.Errorf("git add: %w", err)
	}
	defer root.Close()
	p := newPacker()
	s := &stager{ctx: ctx, packer: p}
	walkErr := s.walk(root, nil, nil, true)
	objects, err := p.wait()
	if err := cmp.Or(walkErr, err); err != nil {
		return staged{}, err
	}
	// The blobs' hashes, known once packed, complete the index and trees.
	for i := range s.files {
		s.files[i].entry.Hash = objects[s.files[i].object].hash
	}
	tree, trees, err := buildTrees(s.files)
	if err != nil {
		return staged{}, err
	}
	sig := object.Signature{Name: sanitizeSignature(in.name), Email: sanitizeSignature(in.email), When: time.Now()}
	commit := &object.Commit{Author: sig, Committer: sig, Message: in.message, TreeHash: tree}
	c, err := encodeObject(commit)
	if err != nil {
		return staged{}, fmt.Errorf("git commit: %w", err)
	}
	z, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // a valid level: no error
	for _, o := range append(trees, c) {
		if o.data, err = packEntry(o.typ, o.content, z); err != nil {
			return staged{}, fmt.Errorf("git commit: %w", err)
		}
		o.content = nil
		objects = append(objects, *o)
	}
	idx := &index.Index{Version: 2, Entries: make([]*index.Entry, len(s.files))}
	for i := range s.files {
		idx.Entries[i] = &s.files[i].entry
	}
	return staged{objects: objects, index: idx, commit: c.hash}, nil
}

// sanitizeSignature drops what go-git's commit drops from a name or email.
func sanitizeSignature(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '<' || r == '>' || r == '\n' {
			return -1
		}
		return r
	}, s)
}

type stagedFile struct {
	entry  index.Entry
	object int // its blob among the packer's objects
}

type stager struct {
	ctx    context.Context
	packer *packer
	files  []stagedFile
}

// walk adds the folder h, at rel, with the ignore patterns of the folders
// above it. readIgnores is false inside an ignored folder, whose ignore
// files go-git's ReadPatterns does not read either.
func (s *stager) walk(h *os.Root, rel []string, patterns []gitignore.Pattern, readIgnores bool) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	d, err := h.Open(".")
	if err != nil {
		return fmt.Errorf("git add %s: %w", cmpOr(path.Join(rel...), "."), err)
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return fmt.Errorf("git add %s: %w", cmpOr(path.Join(rel...), "."), err)
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	if readIgnores {
		// .git/info/exclude, then .gitignore, as ReadPatterns reads them
		// in each folder; only those the folder shows are opened.
		for _, name := range []string{".git", ".gitignore"} {
			if _, found := slices.BinarySearchFunc(entries, name, func(e fs.DirEntry, n string) int { return strings.Compare(e.Name(), n) }); found {
				file := name
				if name == ".git" {
					file = ".git/info/exclude"
				}
				patterns = append(slices.Clip(patterns), readIgnoreFile(h, file, rel)...)
			}
		}
	}
	var m gitignore.Matcher
	if len(patterns) > 0 {
		m = gitignore.NewMatcher(patterns)
	}
	for _, e := range entries {
		name := e.Name()
		if name == ".git" || e.Type()&fs.ModeSocket != 0 {
			continue
		}
		parts := append(slices.Clip(rel), name)
		p := path.Join(parts...)
		if e.IsDir() {
			sub, err := h.OpenRoot(name)
			if err != nil {
				return fmt.Errorf("git add %s: %w", p, err)
			}
			err = s.walk(sub, parts, patterns, readIgnores && (m == nil || !m.Match(parts, true)))
			sub.Close()
			if err != nil {
				return err
			}
			continue
		}
		if m != nil && m.Match(parts, false) {
			continue
		}
		if err := validTreePath(p); err != nil {
			return fmt.Errorf("git add %s: %w", p, err)
		}
		if err := s.add(h, name, p, e.Type()); err != nil {
			return fmt.Errorf("git add %s: %w", p, err)
		}
	}
	return nil
}

// add reads one file or link of the folder h and queues its blob.
func (s *stager) add(h *os.Root, name, p string, typ fs.FileMode) error {
	var (
		data []byte
		fi   fs.FileInfo
		err  error
	)
	if typ&fs.ModeSymlink != 0 {
		target, err := h.Readlink(name)
		if err != nil {
			return err
		}
		if fi, err = h.Lstat(name); err != nil {
			return err
		}
		data = []byte(target)
	} else {
		if data, fi, err = readRegular(h, name); err != nil {
			return err
		}
	}
	mode, err := filemode.NewFromOSFileMode(fi.Mode())
	if err != nil {
		return err
	}
	e := index.Entry{Name: p, Mode: mode, Size: uint32(fi.Size()), ModifiedAt: fi.ModTime()}
	statIndexEntry(&e, fi)
	s.files = append(s.files, stagedFile{entry: e, object: s.packer.add(plumbing.BlobObject, data)})
	return nil
}

// readRegular reads a regular file of h with one open.
func readRegular(h *os.Root, name string) ([]byte, fs.FileInfo, error) {
	f, err := h.OpenFile(name, os.O_RDONLY|catalog.OpenNoPoll, 0)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		// Replaced by something else since the folder was read.
		return nil, nil, fmt.Errorf("no equivalent git mode for %s", fi.Mode())
	}
	data := make([]byte, fi.Size())
	n, err := io.ReadFull(f, data)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, nil, err
	}
	return data[:n], fi, nil
}

// readIgnoreFile parses an ignore file of h as go-git's gitignore package
// does. A file that cannot be read has no patterns: ReadPatterns ignores
// such errors too.
func readIgnoreFile(h *os.Root, name string, domain []string) []gitignore.Pattern {
	f, err := h.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") && len(strings.TrimSpace(line)) > 0 {
			ps = append(ps, gitignore.ParsePattern(line, domain))
		}
	}
	return ps
}

// validTreePath refuses a path git would not take into a tree: go-git
// checks it (pathutil.ValidTreePath, internal) before any lookup in a
// tree, so an empty tree's lookup reports it.
func validTreePath(p string) error {
	_, err := new(object.Tree).FindEntry(p)
	if err == nil || errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return nil
	}
	return err
}

// buildTrees makes the tree objects of files (sorted by path, their
// hashes set) and returns the root tree's hash.
func buildTrees(files []stagedFile) (plumbing.Hash, []*packObject, error) {
	type folder struct {
		entries []object.TreeEntry
		subs    []string // folders in it, by path
	}
	folders := map[string]*folder{"": {}}
	var order []string // folders, parents before children
	order = append(order, "")
	var get func(p string) *folder
	get = func(p string) *folder {
		if f, ok := folders[p]; ok {
			return f
		}
		parent := path.Dir(p)
		if parent == "." {
			parent = ""
		}
		pf := get(parent)
		f := &folder{}
		folders[p] = f
		pf.subs = append(pf.subs, p)
		order = append(order, p)
		return f
	}
	for _, sf := range files {
		dir := path.Dir(sf.entry.Name)
		if dir == "." {
			dir = ""
		}
		f := get(dir)
		f.entries = append(f.entries, object.TreeEntry{Name: path.Base(sf.entry.Name), Mode: sf.entry.Mode, Hash: sf.entry.Hash})
	}
	var trees []*packObject
	hashes := map[string]plumbing.Hash{}
	for i := len(order) - 1; i >= 0; i-- {
		p := order[i]
		f := folders[p]
		for _, sub := range f.subs {
			f.entries = append(f.entries, object.TreeEntry{Name: path.Base(sub), Mode: filemode.Dir, Hash: hashes[sub]})
		}
		// Git's order: a folder sorts as its name and a slash.
		sortName := func(e object.TreeEntry) string {
			if e.Mode == filemode.Dir {
				return e.Name + "/"
			}
			return e.Name
		}
		slices.SortFunc(f.entries, func(a, b object.TreeEntry) int { return strings.Compare(sortName(a), sortName(b)) })
		o, err := encodeObject(&object.Tree{Entries: f.entries})
		if err != nil {
			return plumbing.ZeroHash, nil, fmt.Errorf("git commit: %w", err)
		}
		hashes[p] = o.hash
		trees = append(trees, o)
	}
	return hashes[""], trees, nil
}

// encodeObject encodes a tree or commit as a pack object, its content kept
// to be compressed.
func encodeObject(o interface {
	Encode(plumbing.EncodedObject) error
}) (*packObject, error) {
	mem := &plumbing.MemoryObject{}
	if err := o.Encode(mem); err != nil {
		return nil, err
	}
	r, err := mem.Reader()
	if err != nil {
		return nil, err
	}
	content, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return &packObject{typ: mem.Type(), hash: objectHash(mem.Type(), content), content: content}, nil
}

// objectHash is git's object id: the SHA-1 of the type, the size and the
// content.
func objectHash(typ plumbing.ObjectType, content []byte) plumbing.Hash {
	h := sha1.New()
	h.Write([]byte(typ.String() + " " + strconv.Itoa(len(content)) + "\x00"))
	h.Write(content)
	var out plumbing.Hash
	copy(out[:], h.Sum(nil))
	return out
}

// packer hashes and compresses blobs on every CPU as they are added.
type packer struct {
	jobs    chan packJob
	wg      sync.WaitGroup
	mu      sync.Mutex // guards objects and err
	objects []packObject
	err     error
}

type packJob struct {
	i       int
	typ     plumbing.ObjectType
	content []byte
}

func newPacker() *packer {
	n := runtime.GOMAXPROCS(0)
	p := &packer{jobs: make(chan packJob, 2*n)}
	for range n {
		p.wg.Go(func() {
			// One compressor a worker: making one allocates about 1 MB.
			z, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // a valid level: no error
			for j := range p.jobs {
				data, err := packEntry(j.typ, j.content, z)
				hash := objectHash(j.typ, j.content)
				p.mu.Lock()
				if err != nil && p.err == nil {
					p.err = fmt.Errorf("pack %s: %w", hash, err)
				}
				p.objects[j.i].hash, p.objects[j.i].data = hash, data
				p.mu.Unlock()
			}
		})
	}
	return p
}

// add queues an object and returns its place among the objects.
func (p *packer) add(typ plumbing.ObjectType, content []byte) int {
	p.mu.Lock()
	i := len(p.objects)
	p.objects = append(p.objects, packObject{typ: typ})
	p.mu.Unlock()
	p.jobs <- packJob{i, typ, content}
	return i
}

// wait returns the objects once all are packed.
func (p *packer) wait() ([]packObject, error) {
	close(p.jobs)
	p.wg.Wait()
	return p.objects, p.err
}
