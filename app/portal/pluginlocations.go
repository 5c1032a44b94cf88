package portal

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sync"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/sync/syncer"
)

// pluginLocationName is what a plugin's name must look like to name a
// location (a broken manifest may carry any name).
var pluginLocationName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`) })

// SyncPluginLocations makes the locations of plugins match the plugins:
// one location plugin-<name> (URL plugin:<name>, path *) for every
// enabled plugin whose manifest lists the entities extension point, and
// none for a plugin turned off or gone — its entities leave with its
// location. It calls no plugin; the scheduler or Sync syncs a new location.
func (s *pluginsView) SyncPluginLocations(ctx context.Context) error {
	if s.host == nil {
		return nil
	}
	s.locs.Lock()
	defer s.locs.Unlock()
	want := map[string]bool{}
	for _, i := range s.host.List(ctx) {
		if i.State != host.Disabled && slices.Contains(i.ExtensionPoints, host.PointEntities) && pluginLocationName().MatchString(i.Name) {
			want[i.Name] = true
		}
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return fmt.Errorf("plugin locations: %w", err)
	}
	taken, have := map[string]bool{}, map[string]bool{}
	var errs []error
	for _, l := range locs {
		taken[l.ID] = true
		name, ok := syncer.PluginOf(l.URL)
		switch {
		case !ok:
		case want[name] && !have[name]:
			have[name] = true
		default:
			errs = append(errs, s.removePluginLocation(ctx, l.ID, name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if have[name] {
			continue
		}
		id := "plugin-" + name // a repository named so may hold the id already
		for n := 2; taken[id]; n++ {
			id = fmt.Sprintf("plugin-%s-%d", name, n)
		}
		taken[id] = true
		if err := s.db.PutLocation(ctx, store.Location{ID: id, URL: syncer.PluginScheme + name, Path: "*"}); err != nil {
			errs = append(errs, fmt.Errorf("add the location of plugin %s: %w", name, err))
			continue
		}
		s.log.Info("plugin location added", "location", id, "plugin", name)
	}
	s.index.dropPluginSearch()
	return errors.Join(errs...)
}

// removePluginLocation removes a plugin's location and its entities.
func (s *pluginsView) removePluginLocation(ctx context.Context, id, plugin string) error {
	if err := s.db.RemoveLocation(ctx, id); err != nil {
		return fmt.Errorf("remove the location of plugin %s: %w", plugin, err)
	}
	if err := s.clones.Forget(ctx, id); err != nil {
		s.log.Warn("forget a removed plugin location", "location", id, "err", err)
	}
	s.log.Info("plugin location removed", "location", id, "plugin", plugin)
	s.events.emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: id})
	return nil
}

func isPluginLocation(url string) bool {
	_, ok := syncer.PluginOf(url)
	return ok
}

// refusePluginLocation is RemoveLocation's answer for a plugin's location.
func refusePluginLocation(id, url string) error {
	if plugin, ok := syncer.PluginOf(url); ok {
		return fmt.Errorf("location %q holds the entities plugin %s provides: turn the plugin off in Settings to remove them: %w", id, plugin, ErrInvalid)
	}
	return nil
}
