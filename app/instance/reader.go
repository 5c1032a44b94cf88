package instance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
)

// ErrNeedsWriter means a data dir cannot be read as it is: a location was
// never synced, a catalog write was cut short, or the search index lags
// the store. Open, which catches up, is the way in.
var ErrNeedsWriter = errors.New("the data dir needs a writer first")

// Reader is a data dir read as it is, by a one-shot command when no
// instance runs on it: the store opened read-only and, when asked, the
// search index too. It starts no plugin, sync, worker or scheduler,
// builds nothing catalog-sized, and writes nothing to the store.
type Reader struct {
	// API answers reads; a method that writes fails.
	API    portal.API
	db     *store.DB
	search *search.Index
}

// ReaderConfig says how to open a Reader.
type ReaderConfig struct {
	Root string
	// Build is the running build, for Info.
	Build buildinfo.Info
	Log   *slog.Logger
	// Credentials say where tokens come from, for CredentialSources.
	Credentials gitfetch.Credentials
	// Search opens the search index, for Search; without it Search fails.
	Search bool
}

// OpenReader opens data dir cfg.Root for reading. It returns an error
// wrapping store.ErrLocked when an instance (or any writer) has the store,
// ErrNeedsWriter, store.ErrNotReadable or search.ErrNotReadable when the
// data dir must be brought up to date by Open first.
func OpenReader(ctx context.Context, cfg ReaderConfig) (*Reader, error) {
	p := PathsOf(cfg.Root)
	db, err := store.OpenReadOnly(ctx, p.Store, cfg.Log.With("component", "store"))
	if err != nil {
		return nil, err
	}
	r := &Reader{db: db}
	if err := r.check(ctx, p, cfg.Search); err != nil {
		return nil, errors.Join(err, r.Close())
	}
	creds := cfg.Credentials
	creds.Trusted = portal.Trust{DB: db}.TrustsHost
	// The syncer only reads here (file history for problems, files for
	// docs); it starts nothing until asked.
	sy := syncer.New(db, p.Clones, creds, &events.Bus{}, cfg.Log, nil)
	svc := portal.New(portal.Config{DB: db, Syncer: sy, Version: cfg.Build.Version, Build: cfg.Build, DataDir: cfg.Root, Mode: "cli", Log: cfg.Log, Credentials: creds})
	r.API = readAPI{API: svc, index: r.search}
	return r, nil
}

// check refuses what Open would change before a read: a location never
// synced (Open's caller syncs it), a write still under way (Open finishes
// or takes it back) and, with search, an index behind the store.
func (r *Reader) check(ctx context.Context, p Paths, withSearch bool) error {
	locs, err := r.db.Locations(ctx)
	if err != nil {
		return err
	}
	for _, l := range locs {
		if l.LastSuccess.IsZero() {
			return fmt.Errorf("location %s was never synced: %w", l.ID, ErrNeedsWriter)
		}
	}
	entries, err := r.db.Outbox(ctx, "")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.State == store.StateWriting {
			return fmt.Errorf("a catalog write to %s was cut short: %w", e.LocationID, ErrNeedsWriter)
		}
	}
	if !withSearch {
		return nil
	}
	if r.search, err = search.OpenReadOnly(p.Search); err != nil {
		return err
	}
	for _, l := range locs {
		if mark := r.search.Mark("loc:" + l.ID); mark != strconv.FormatUint(l.Version, 10) {
			return fmt.Errorf("the search index holds location %s at version %q, the store at %d: %w", l.ID, mark, l.Version, ErrNeedsWriter)
		}
	}
	return nil
}

// Close closes the index and the store.
func (r *Reader) Close() error {
	var err error
	if r.search != nil {
		err = r.search.Close()
	}
	return errors.Join(err, r.db.Close())
}

// readAPI answers searches from the index as it is: the service's own
// Search would first bring the listing and the index up to date, which
// takes a writer and the whole catalog in memory.
type readAPI struct {
	portal.API
	index *search.Index
}

// Search implements portal.API as portal.Service does, without the catch-up.
func (a readAPI) Search(ctx context.Context, q portal.SearchQuery) (portal.SearchResult, error) {
	if q.Offset < 0 || q.Limit < 0 {
		return portal.SearchResult{}, fmt.Errorf("offset %d, limit %d: want zero or more: %w", q.Offset, q.Limit, portal.ErrInvalid)
	}
	if a.index == nil {
		return portal.SearchResult{}, fmt.Errorf("search is not available in this process")
	}
	return portal.SearchIndex(ctx, a.index, q)
}
