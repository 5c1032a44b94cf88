package portal

import (
	"context"
	"fmt"
	"log/slog"
)

// syncs brings locations up to date on request, with what follows a
// sync: plugin locations first, new projects' first pushes and plugin
// search documents after.
type syncs struct {
	db        syncsStore
	syncer    treeSyncer
	locations locationsLister
	plugins   pluginLocationSyncer
	publish   publishRetrier
	index     pluginSearchRefresher
	questions questionReader
	decisions questionReader // decision records are read on the same occasions
	log       *slog.Logger
}

// questionReader reads the questions of locations whose commit moved.
type questionReader interface {
	refreshAll(ctx context.Context)
}

// syncsStore reads the locations to sync.
type syncsStore interface {
	locationLister
	locationReader
}

// treeSyncer syncs locations, then the locations they list, and so on;
// a location's failure is recorded on it.
type treeSyncer interface {
	SyncTree(ctx context.Context, locationIDs ...string) error
}

// locationsLister lists the locations as the API sends them.
type locationsLister interface {
	ListLocations(ctx context.Context) ([]Location, error)
}

// pluginLocationSyncer makes the locations of plugins match the plugins.
type pluginLocationSyncer interface {
	SyncPluginLocations(ctx context.Context) error
}

// publishRetrier pushes the new projects whose first push did not get through.
type publishRetrier interface {
	RetryPublish(ctx context.Context)
}

// pluginSearchRefresher reads the plugins' search documents again, in
// the background.
type pluginSearchRefresher interface {
	refreshPluginSearch()
}

// Sync answers API.Sync.
func (s *syncs) Sync(ctx context.Context, locationID string) ([]Location, error) {
	if locationID != "" {
		if _, ok, err := s.db.Location(ctx, locationID); err != nil {
			return nil, err
		} else if !ok {
			return nil, fmt.Errorf("location %q: %w", locationID, ErrNotFound)
		}
		// Failures are on the location records; the locations it lists follow it.
		if err := s.syncer.SyncTree(ctx, locationID); err == nil {
			s.AfterSync(ctx, locationID)
		}
		return s.locations.ListLocations(ctx)
	}
	if err := s.plugins.SyncPluginLocations(ctx); err != nil {
		s.log.Warn("bring plugin locations up to date", "err", err)
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return nil, err
	}
	var top []string // the rest are listed by these, and follow them
	for _, l := range locs {
		if len(l.Parents) == 0 {
			top = append(top, l.ID)
		}
	}
	_ = s.syncer.SyncTree(ctx, top...) // failures are on the location records
	s.questions.refreshAll(ctx)
	s.decisions.refreshAll(ctx)
	// New projects whose first push did not get through go with the sync.
	s.publish.RetryPublish(ctx)
	s.index.refreshPluginSearch()
	return s.locations.ListLocations(ctx)
}

// AfterSync follows a successful sync of a location: questions are read
// again where the commit moved (the location's, and those it lists); the
// sync of a plugin's location asked the plugin, so the plugins' search
// documents are read again too. Sync calls it; the instance calls it
// after each of the scheduler's syncs.
func (s *syncs) AfterSync(ctx context.Context, locationID string) {
	s.questions.refreshAll(ctx)
	s.decisions.refreshAll(ctx)
	loc, ok, err := s.db.Location(ctx, locationID)
	if err != nil || !ok || !isPluginLocation(loc.URL) {
		return
	}
	s.index.refreshPluginSearch()
}
