package syncer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// fileCache is a location's catalog.FileCache in memory: a cache of the
// file state the store keeps with the location's set, valid while the
// location's Version is the one it was loaded or saved at.
type fileCache struct {
	files   *catalog.FileCache
	version uint64
}

// fileCache returns the file cache of location id: the one in memory when
// the store's set is still the one it describes, else one filled from the
// store's file state (empty when the store keeps none), so a new process
// skips the files the last sync in any process processed.
func (s *Syncer) fileCache(ctx context.Context, id string) (*catalog.FileCache, error) {
	loc, _, err := s.db.Location(ctx, id)
	if err != nil {
		return nil, err
	}
	if v, ok := s.caches.Load(id); ok && v.(*fileCache).version == loc.Version {
		return v.(*fileCache).files, nil
	}
	files := catalog.NewFileCache()
	version, _, err := s.db.FileStates(ctx, id, func(file string, data []byte) error {
		files.Load(file, data)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.caches.Store(id, &fileCache{files: files, version: version})
	return files, nil
}

// cachedFiles is what the last processing of location id left in its file
// cache, for the store to keep with the set; nil when it used none (a
// plugin location).
func (s *Syncer) cachedFiles(id string) []catalog.CachedFile {
	v, ok := s.caches.Load(id)
	if !ok {
		return nil
	}
	return v.(*fileCache).files.Used()
}

// filesSaved notes that the store took the set with the file cache's
// entries: the cache now describes the location's new Version. Should
// that not be read, the cache goes, and the next sync loads the store's.
func (s *Syncer) filesSaved(ctx context.Context, id string) {
	v, ok := s.caches.Load(id)
	if !ok {
		return
	}
	loc, _, err := s.db.Location(ctx, id)
	if err != nil {
		s.caches.Delete(id)
		return
	}
	c := v.(*fileCache)
	c.files.Saved()
	s.caches.Store(id, &fileCache{files: c.files, version: loc.Version})
}

// forgetFiles starts location id's file cache again, empty, without the
// store's file state, which the store has just refused (store.ErrStale):
// the next processing reads every file.
func (s *Syncer) forgetFiles(ctx context.Context, id string) error {
	loc, _, err := s.db.Location(ctx, id)
	if err != nil {
		return err
	}
	s.caches.Store(id, &fileCache{files: catalog.NewFileCache(), version: loc.Version})
	return nil
}

// withFiles is how with the file cache's entries of location id, so the
// store keeps them with the set.
func (s *Syncer) withFiles(id string, how store.Snapshot) store.Snapshot {
	how.Files = s.cachedFiles(id)
	return how
}

// uncached are the files of reached that have no entry in files (sorted
// by file, as FileCache.Used gives them); none without files.
func uncached(reached []string, files []catalog.CachedFile) []string {
	if files == nil {
		return nil
	}
	var out []string
	for _, f := range reached {
		if _, ok := slices.BinarySearchFunc(files, f, func(c catalog.CachedFile, f string) int { return strings.Compare(c.File, f) }); !ok {
			out = append(out, f)
		}
	}
	return out
}

// treeIndexFile is where a clone keeps the index of the tree its location
// was last read at, so a new process reads only the directories changed
// since. It lives in the clone, and goes with it.
const treeIndexFile = "callboard-tree-index"

// savedTree is the tree index the last sync of location id left in its
// clone, or nil (none, or unreadable: the whole tree is read again).
func (s *Syncer) savedTree(id string) *gitfetch.TreeFiles {
	b, err := os.ReadFile(filepath.Join(s.clones, id, treeIndexFile))
	if err != nil {
		return nil
	}
	t, err := gitfetch.UnmarshalIndex(b)
	if err != nil {
		s.log.Info("the saved tree index is unreadable; reading the whole tree", "location", id, "err", err)
		return nil
	}
	return t
}

// savedIndex is the tree index the last sync of location id left in its
// clone, read in place for a patch, or nil (none, or unreadable: the old
// side of the change is read from the pack). The index says which commit
// it describes; ChangedSince uses it only for the stored one.
func (s *Syncer) savedIndex(id string) *gitfetch.TreeIndex {
	b, err := os.ReadFile(filepath.Join(s.clones, id, treeIndexFile))
	if err != nil {
		return nil
	}
	idx, err := gitfetch.ReadIndex(b)
	if err != nil {
		s.log.Info("the saved tree index is unreadable; reading the old tree from the clone", "location", id, "err", err)
		return nil
	}
	return idx
}

// saveTree keeps files' tree index in location id's clone.
func (s *Syncer) saveTree(id string, files *gitfetch.TreeFiles) {
	s.writeIndex(id, files.MarshalIndex())
}

// writeIndex writes a tree index into location id's clone aside and
// renames it, so a crash leaves the old index or the new, each describing
// the commit it names. Failing only costs the next sync reads from the
// pack, so it is logged.
func (s *Syncer) writeIndex(id string, b []byte) {
	path := filepath.Join(s.clones, id, treeIndexFile)
	tmp := path + ".new"
	err := os.WriteFile(tmp, b, 0o644)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		s.log.Warn("save the tree index", "location", id, "err", err)
	}
}
