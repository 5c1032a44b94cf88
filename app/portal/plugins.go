package portal

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/pluginprefs"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
)

// pluginsView shows and configures the plugins, asks them what they
// show for an entity, and keeps a location for each that provides
// entities (pluginlocations.go).
type pluginsView struct {
	host  pluginHost
	prefs pluginSettings
	db    pluginsStore
	// clones names a location's clone for plugins and forgets a removed
	// plugin location's.
	clones pluginClones
	index  pluginIndex
	// facts sums up the plugins' kept fact reports; nil: none kept.
	facts interface {
		FactStats(ctx context.Context) (map[string]store.FactStats, error)
	}
	events publisher
	log    *slog.Logger
	// locs: one SyncPluginLocations at a time.
	locs sync.Mutex
}

// pluginHost runs the plugins; nil means there are none.
type pluginHost interface {
	List(ctx context.Context) []host.Info
	Info(ctx context.Context, name string) (host.Info, error)
	Start(ctx context.Context)
	Stop(name string) error
	Log(name string) ([]string, error)
	EntityContent(ctx context.Context, e host.Entity) []host.Content
}

// pluginSettings are the plugins' preferences and secrets.
type pluginSettings interface {
	All(ctx context.Context) (map[string]store.PluginPrefs, error)
	Secret(plugin, key string) (string, error)
	Set(ctx context.Context, plugin string, prefs store.PluginPrefs, secrets map[string]string) error
}

// pluginsStore reads entities and keeps the plugins' locations.
type pluginsStore interface {
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	locationReader
	locationLister
	PutLocation(ctx context.Context, loc store.Location) error
	RemoveLocation(ctx context.Context, id string) error
}

// pluginClones are the syncer's clones, as plugins see them.
type pluginClones interface {
	Clone(locationID string) string
	cloneForgetter
}

// pluginIndex follows the plugins' search documents in the background.
type pluginIndex interface {
	pluginSearchRefresher
	dropPluginSearch()
}

// Plugins answers API.Plugins.
func (s *pluginsView) Plugins(ctx context.Context) ([]PluginInfo, error) {
	out := []PluginInfo{}
	if s.host == nil {
		return out, nil
	}
	prefs, err := s.prefs.All(ctx)
	if err != nil {
		return nil, err
	}
	stats, err := s.factStats(ctx)
	if err != nil {
		return nil, err
	}
	// Started, plugins say which settings they take.
	s.host.Start(ctx)
	for _, i := range s.host.List(ctx) {
		out = append(out, withFacts(s.pluginInfo(i, prefs[i.Name]), i, stats[i.Name]))
	}
	return out, nil
}

// factStats sums up the plugins' kept fact reports.
func (s *pluginsView) factStats(ctx context.Context) (map[string]store.FactStats, error) {
	if s.facts == nil {
		return map[string]store.FactStats{}, nil
	}
	return s.facts.FactStats(ctx)
}

// withFacts adds to p the facts the plugin described and what is kept
// of its reports.
func withFacts(p PluginInfo, i host.Info, st store.FactStats) PluginInfo {
	p.Facts = []PluginFact{}
	for _, f := range i.Described.GetFacts() {
		p.Facts = append(p.Facts, PluginFact{Name: f.GetName(), Type: st.Types[f.GetName()], Description: f.GetDescription()})
	}
	p.FactsRead.Entities = st.Entities
	if st.Entities > 0 {
		p.FactsRead.Oldest, p.FactsRead.Newest = st.Oldest.UTC().Format(time.RFC3339), st.Newest.UTC().Format(time.RFC3339)
	}
	return p
}

func (s *pluginsView) pluginInfo(i host.Info, prefs store.PluginPrefs) PluginInfo {
	p := PluginInfo{Name: i.Name, Version: i.Version, Description: i.Description, BuiltIn: i.BuiltIn, Enabled: !prefs.Disabled,
		State: i.State, LastError: i.LastError, ExtensionPoints: slices.Clone(i.ExtensionPoints),
		Config: []PluginConfigField{}, Values: map[string]string{}, SecretsSet: []string{}}
	if p.ExtensionPoints == nil {
		p.ExtensionPoints = []string{}
	}
	if d := i.Described; d != nil {
		p.Version, p.Description = d.GetVersion(), cmp.Or(d.GetDescription(), p.Description)
		for _, f := range d.GetConfig() {
			p.Config = append(p.Config, PluginConfigField{Key: f.GetKey(), Title: f.GetTitle(), Description: f.GetDescription(), Secret: f.GetSecret()})
			if f.GetSecret() {
				if v, err := s.prefs.Secret(i.Name, f.GetKey()); err == nil && v != "" {
					p.SecretsSet = append(p.SecretsSet, f.GetKey())
				}
			} else if v, ok := prefs.Config[f.GetKey()]; ok {
				p.Values[f.GetKey()] = v
			}
		}
	}
	return p
}

// SetPlugin answers API.SetPlugin: turns a plugin on or off and sets its
// configuration; secrets go to the OS keyring ("" removes one).
func (s *pluginsView) SetPlugin(ctx context.Context, in PluginSettings) (PluginInfo, error) {
	if s.host == nil {
		return PluginInfo{}, fmt.Errorf("plugin %q: %w", in.Name, ErrNotFound)
	}
	if _, err := s.host.Info(ctx, in.Name); err != nil {
		return PluginInfo{}, fmt.Errorf("plugin %q: %w", in.Name, ErrNotFound)
	}
	for k, v := range in.Values {
		if len(k) > 100 || len(v) > 4000 || strings.ContainsAny(v, "\x00") {
			return PluginInfo{}, fmt.Errorf("plugin %s: setting %q is too long or not text: %w", in.Name, k, ErrInvalid)
		}
	}
	prefs := store.PluginPrefs{Disabled: !in.Enabled, Config: maps.Clone(in.Values)}
	err := s.prefs.Set(ctx, in.Name, prefs, in.Secrets)
	if errors.Is(err, pluginprefs.ErrNoKeyring) {
		return PluginInfo{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err != nil {
		return PluginInfo{}, err
	}
	if !in.Enabled {
		_ = s.host.Stop(in.Name)
	}
	s.log.Info("plugin settings changed", "plugin", in.Name, "enabled", in.Enabled)
	if err := s.SyncPluginLocations(ctx); err != nil {
		return PluginInfo{}, err
	}
	s.index.refreshPluginSearch()
	s.events.emit(ctx, events.PluginsChanged, struct{}{})
	info, err := s.host.Info(ctx, in.Name)
	if err != nil {
		return PluginInfo{}, fmt.Errorf("plugin %q: %w", in.Name, ErrNotFound)
	}
	stats, err := s.factStats(ctx)
	if err != nil {
		return PluginInfo{}, err
	}
	return withFacts(s.pluginInfo(info, prefs), info, stats[in.Name]), nil
}

// PluginLog answers API.PluginLog.
func (s *pluginsView) PluginLog(_ context.Context, name string) ([]string, error) {
	if err := requireID("name", name); err != nil {
		return nil, err
	}
	if s.host == nil {
		return nil, fmt.Errorf("plugin %q: %w", name, ErrNotFound)
	}
	lines, err := s.host.Log(name)
	if errors.Is(err, host.ErrUnknown) {
		return nil, fmt.Errorf("%w: %v", ErrNotFound, err)
	}
	return lines, err
}

// viewJSON writes views as protojson, every field present, as the
// frontend reads them.
var viewJSON = protojson.MarshalOptions{EmitDefaultValues: true}

// EntityPlugins answers API.EntityPlugins: what every plugin shows for an entity.
func (s *pluginsView) EntityPlugins(ctx context.Context, ref string) ([]PluginContent, error) {
	out := []PluginContent{}
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := s.db.Entity(ctx, r.String())
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	if s.host == nil {
		return out, nil
	}
	doc, err := json.Marshal(e.Entity)
	if err != nil {
		return nil, err
	}
	req := host.Entity{JSON: doc, Kind: e.Entity.Kind, Type: summarize(&e.Entity).Type, Annotations: e.Entity.Metadata.Annotations, File: e.Source.File, Commit: e.Commit}
	if loc, ok, err := s.db.Location(ctx, e.LocationID); err == nil && ok && loc.HeadCommit != "" && !isPluginLocation(loc.URL) {
		req.Clone = s.clones.Clone(e.LocationID)
		req.Commit = cmp.Or(req.Commit, loc.HeadCommit)
	}
	for _, c := range s.host.EntityContent(ctx, req) {
		pc := PluginContent{Plugin: c.Plugin, Version: c.Version, Views: []json.RawMessage{}, DurationMS: c.Duration.Milliseconds()}
		if c.Err != nil {
			var u *host.Unavailable
			if errors.As(c.Err, &u) {
				pc.Error = u.Reason
			} else {
				pc.Error = c.Err.Error()
			}
		}
		for _, v := range c.Views {
			b, err := viewJSON.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("plugin %s: %w", c.Plugin, err)
			}
			pc.Views = append(pc.Views, b)
		}
		out = append(out, pc)
	}
	return out, nil
}
