package catalog

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Hasher is implemented by Files that know a content hash of each file
// (a git tree's blob ids); Process can then reuse a FileCache.
type Hasher interface {
	// Hash returns the file's content hash, or "" when unknown.
	Hash(name string) string
}

// FileCache keeps what processing made of each file between runs over the
// same repository, so a sync re-parses only files whose content, or the
// content of a file they substitute, changed. It holds results for one
// location. Its workers share it within one Process run; runs over one
// cache must not overlap.
//
// A caller that keeps the cache in a store (so that another process can
// start where this one left off) saves Used after a run, tells the cache
// with Saved once the store holds it, and fills a new cache with Load.
type FileCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry // by file
	run     uint64                 // the Process run under way
	// reused and processed count the files of the run under way taken
	// from the cache and read again.
	reused, processed atomic.Int64
}

type cacheEntry struct {
	hash   string
	locs   [2]string         // the location refs written into its entities
	deps   map[string]string // placeholder files read → their hashes
	urls   map[string]string // URLs placeholders read → what they gave (remoteKey)
	result fileResult        // as readFile made it, before any merge
	used   uint64            // the last run that read or made it
	stored bool              // the caller's store holds it as it is
	// raw is the entry as Load was given it, decoded by the first run
	// that looks it up: the workers of a run decode in parallel.
	raw []byte
}

// NewFileCache returns an empty cache.
func NewFileCache() *FileCache { return &FileCache{entries: map[string]*cacheEntry{}} }

// CachedFile is one file's entry of a FileCache as a store keeps it.
type CachedFile struct {
	File string
	// Data is the entry encoded; nil when the store holds it already
	// (it was loaded, or saved after an earlier run, and is unchanged).
	Data []byte
	// Deps are the files of the repository its placeholders read: a
	// change to one of them changes this file's result.
	Deps []string
}

// begin starts a Process run: entries the run neither reads nor makes
// are left out of Used.
func (c *FileCache) begin() {
	c.mu.Lock()
	c.run++
	c.mu.Unlock()
	c.reused.Store(0)
	c.processed.Store(0)
}

// Len is how many files the cache holds an entry of.
func (c *FileCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Stats says how many files the last run took from the cache and how
// many it read and judged again.
func (c *FileCache) Stats() (reused, processed int) {
	return int(c.reused.Load()), int(c.processed.Load())
}

// Used returns the entry of every file the last run read from the cache
// or put in it, sorted by file: what a store keeps so that the next run,
// in any process, reuses them. Files the run processed but could not
// cache (Location files, URLs that could not be read) have none.
func (c *FileCache) Used() []CachedFile {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]CachedFile, 0, len(c.entries))
	for file, e := range c.entries {
		if e.used != c.run {
			continue
		}
		f := CachedFile{File: file, Deps: e.depList(file)}
		if !e.stored {
			f.Data = encodeEntry(e)
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b CachedFile) int { return strings.Compare(a.File, b.File) })
	return out
}

// take gives up the entry the run under way made of file, encoded, as
// Used would list it; ok is false when the run made none.
func (c *FileCache) take(file string) (f CachedFile, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[file]
	if e == nil || e.used != c.run || e.stored {
		return CachedFile{}, false
	}
	delete(c.entries, file)
	return CachedFile{File: file, Data: encodeEntry(e), Deps: e.depList(file)}, true
}

// Saved says the store now holds what Used returned: those entries are
// stored, and the others, of files the last run did not reach, are
// dropped, so the cache holds no more than the catalog's files.
func (c *FileCache) Saved() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for file, e := range c.entries {
		if e.used != c.run {
			delete(c.entries, file)
			continue
		}
		e.stored = true
	}
}

// Load adds a file's entry as Used gave it, marked as stored; the cache
// keeps data. An entry this code cannot read (another version wrote it)
// is a miss when a run looks it up: the file is processed again.
func (c *FileCache) Load(file string, data []byte) {
	c.mu.Lock()
	c.entries[file] = &cacheEntry{raw: data, stored: true, used: c.run}
	c.mu.Unlock()
}

// decoded returns e with its raw entry decoded, nil when it cannot be
// read.
func (c *FileCache) decoded(file string, e *cacheEntry) *cacheEntry {
	if e.raw == nil {
		return e
	}
	d, err := decodeEntry(e.raw)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d.used, d.stored = e.used, e.stored
	if c.entries[file] == e {
		c.entries[file] = d
	}
	return d
}

// get returns a private copy of the cached result for j when the file and
// everything it read are unchanged; URLs it read are asked of remote again.
func (c *FileCache) get(ctx context.Context, h Hasher, remote RemoteReader, j job, locs [2]string) (fileResult, bool) {
	r, ok := c.lookup(ctx, h, remote, j, locs)
	if ok {
		c.reused.Add(1)
	} else {
		c.processed.Add(1)
	}
	return r, ok
}

func (c *FileCache) lookup(ctx context.Context, h Hasher, remote RemoteReader, j job, locs [2]string) (fileResult, bool) {
	hash := h.Hash(j.file)
	if hash == "" {
		return fileResult{}, false
	}
	c.mu.Lock()
	e, ok := c.entries[j.file]
	c.mu.Unlock()
	if ok {
		e = c.decoded(j.file, e)
	}
	if e == nil || e.hash != hash || e.locs != locs {
		return fileResult{}, false
	}
	for dep, depHash := range e.deps {
		if h.Hash(dep) != depHash {
			return fileResult{}, false
		}
	}
	for url, want := range e.urls {
		if remote == nil {
			return fileResult{}, false
		}
		f, err := remote.ReadRemote(ctx, url)
		if err != nil || f.Path != "" || remoteKey(f) != want {
			return fileResult{}, false
		}
	}
	c.mu.Lock()
	e.used = c.run
	c.mu.Unlock()
	r := e.result.clone()
	r.job = j
	for _, it := range r.items {
		it.reused = true
	}
	return r, true
}

func (c *FileCache) put(h Hasher, j job, locs [2]string, deps []string, r fileResult) {
	e := newCacheEntry(h, j, locs, deps, r)
	if e == nil {
		return
	}
	c.mu.Lock()
	e.used = c.run
	c.entries[j.file] = e
	c.mu.Unlock()
}

// newCacheEntry is the entry of r, the result of reading j, which read
// deps; nil when the file has no hash.
func newCacheEntry(h Hasher, j job, locs [2]string, deps []string, r fileResult) *cacheEntry {
	hash := h.Hash(j.file)
	if hash == "" {
		return nil
	}
	e := &cacheEntry{hash: hash, locs: locs, deps: make(map[string]string, len(deps)), result: r.lean()}
	for _, d := range deps {
		e.deps[d] = h.Hash(d)
	}
	for _, it := range r.items {
		for url, sum := range it.remoteURLs {
			if e.urls == nil {
				e.urls = map[string]string{}
			}
			e.urls[url] = sum
		}
	}
	return e
}

// depList is the sorted list of files e's placeholders read, not
// counting file, whose entry e is.
func (e *cacheEntry) depList(file string) []string {
	var out []string
	for d := range e.deps {
		if d != file {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

func (c *FileCache) drop(j job) {
	c.mu.Lock()
	delete(c.entries, j.file)
	c.mu.Unlock()
}

// clone copies what merge changes (verdicts, errors, flags); entities and
// edges are shared, as nothing changes them after judge.
func (r fileResult) clone() fileResult {
	out := fileResult{job: r.job, missing: r.missing, errs: slices.Clone(r.errs), items: make([]*pending, len(r.items))}
	for i, it := range r.items {
		cp := *it
		cp.verdict.Errors = slices.Clone(it.verdict.Errors)
		out.items[i] = &cp
	}
	return out
}

// lean is clone keeping of each entity only what processing needs to
// merge it (apiVersion, kind, name, namespace): whoever stores results
// has the rest, and a cache of whole documents would hold the catalog in
// memory twice.
func (r fileResult) lean() fileResult {
	out := r.clone()
	for _, it := range out.items {
		it.entity = it.entity.lean()
	}
	return out
}

// lean is e with only what processing needs to merge it: apiVersion,
// kind, name and namespace.
func (e Entity) lean() Entity {
	return Entity{APIVersion: e.APIVersion, Kind: e.Kind, Metadata: Metadata{Name: e.Metadata.Name, Namespace: e.Metadata.Namespace}}
}

// cacheable says whether a file's result can be reused: Location entities
// depend on the repository's file list (globs) and on other files
// existing, so files holding one are always processed again (they are few
// and small); so are files with a placeholder whose URL could not be read.
func (r fileResult) cacheable() bool {
	if r.missing != nil {
		return false
	}
	for _, it := range r.items {
		if it.verdict.Kind == "Location" || it.remoteMiss {
			return false
		}
	}
	return true
}

// readsRecorder is a Files that notes which files were read through it,
// so a cached result can be checked against their hashes.
type readsRecorder struct {
	Files
	read []string
}

func (r *readsRecorder) ReadFile(name string) ([]byte, error) {
	r.read = append(r.read, name)
	return r.Files.ReadFile(name)
}

func (r *readsRecorder) ReadFileMax(name string, limit int64) ([]byte, error) {
	r.read = append(r.read, name)
	if m, ok := r.Files.(interface {
		ReadFileMax(string, int64) ([]byte, error)
	}); ok {
		return m.ReadFileMax(name, limit)
	}
	return ReadLimited(r.Files, name)
}

func (r *readsRecorder) Size(name string) (int64, error) {
	r.read = append(r.read, name)
	return r.Files.Size(name)
}
