package portal

import (
	"context"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"sync"

	"github.com/callboard/callboard/app/listing"
	"github.com/callboard/callboard/app/store"
)

// rows keeps the listing in step with the store, a location at a time.
type rows struct {
	mu      sync.Mutex // one refresh at a time
	listing *listing.Listing
	loaded  map[string]uint64 // location → Version the listing holds
	db      rowsStore
	// dataDir holds the rows' cache between starts ("" keeps none).
	dataDir string
	follow  rowsFollower
	log     *slog.Logger
}

// rowsStore reads each location's rows and the Version they are at.
type rowsStore interface {
	locationLister
	Rows(ctx context.Context, id string) ([]store.Row, store.Location, bool, error)
}

// locationLister lists the registered locations.
type locationLister interface {
	Locations(ctx context.Context) ([]store.Location, error)
}

// rowsFollower is told each change to the listing, to follow it in the
// background (the search index); neither call waits for that.
type rowsFollower interface {
	// locationChanged: location id's rows went from old (at Version
	// before; nil when the listing did not hold them) to rows at version.
	locationChanged(id string, before, version uint64, old, rows []store.Row)
	locationRemoved(id string)
}

// returnAfterRows is how many rows a refresh loads before it gives the
// memory their loading freed back to the system.
const returnAfterRows = 10_000

func newRows(db rowsStore, dataDir string, follow rowsFollower, log *slog.Logger) *rows {
	return &rows{listing: listing.New(), loaded: map[string]uint64{}, db: db, dataDir: dataDir, follow: follow, log: log}
}

// refresh brings the in-memory catalog table up to date with the store:
// locations whose entities changed are read again, removed ones dropped.
func (r *rows) refresh(ctx context.Context) error {
	loaded, err := r.load(ctx)
	// Loading rows leaves their decoding's garbage, as much again as the
	// rows at 100,000 entities; the heap would keep it to grow into for
	// the life of the process. Given back at once (outside the lock, so
	// queries do not wait for it), it does not stay in the app's memory
	// (issue 20).
	if loaded >= returnAfterRows {
		debug.FreeOSMemory()
	}
	return err
}

// load is refresh under the lock; loaded counts the rows it read.
func (r *rows) load(ctx context.Context) (loaded int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	locs, err := r.db.Locations(ctx)
	if err != nil {
		return 0, err
	}
	cache := r.cache()
	present := map[string]bool{}
	for _, l := range locs {
		present[l.ID] = true
		if v, ok := r.loaded[l.ID]; ok && v == l.Version {
			continue
		}
		before := r.loaded[l.ID]
		rs, ok, err := cache.Load(l.ID, l.Version)
		if err != nil {
			r.log.Warn("the catalog table cache does not read; rebuilding it", "location", l.ID, "err", err)
		}
		version := l.Version
		if !ok {
			var loc store.Location
			if rs, loc, _, err = r.db.Rows(ctx, l.ID); err != nil {
				return loaded, err
			}
			version = loc.Version
			if err := cache.Save(l.ID, version, rs); err != nil {
				r.log.Warn("save the catalog table cache", "location", l.ID, "err", err)
			}
		}
		loaded += len(rs)
		old := r.listing.Replace(l.ID, rs)
		r.loaded[l.ID] = version
		// The search index follows in the background: a first build of
		// 100,000 entities takes a while, and queries should not wait.
		r.follow.locationChanged(l.ID, before, version, old, rs)
	}
	for id := range r.loaded {
		if !present[id] {
			r.listing.Remove(id)
			delete(r.loaded, id)
			r.follow.locationRemoved(id)
		}
	}
	return loaded, nil
}

// cache keeps the rows of each location between starts, in the data
// dir's cache folder (nowhere for a store in memory).
func (r *rows) cache() listing.Cache {
	if r.dataDir == "" {
		return listing.Cache{}
	}
	return listing.Cache{Dir: filepath.Join(r.dataDir, "cache")}
}
