package portal

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/listing"
	"github.com/callboard/callboard/app/pluginprefs"
	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/demo"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
	"gopkg.in/yaml.v3"
)

// Syncer brings one location up to date; errors are recorded on the
// location too. *syncer.Syncer is the one in use.
type Syncer interface {
	Sync(ctx context.Context, locationID string) error
	// SyncTree syncs locations, then the locations they list, and so on.
	SyncTree(ctx context.Context, locationIDs ...string) error
	// Forget deletes what the syncer keeps of a removed location (its clone).
	Forget(ctx context.Context, locationID string) error
	ReadFile(ctx context.Context, locationID, path string) (data []byte, exists bool, commit string, err error)
	Write(ctx context.Context, locationID string, w syncer.Write) (store.OutboxEntry, error)
	Resolve(ctx context.Context, entryID string, keepMine bool) error
	History(ctx context.Context, locationID, file, ref string, limit int) ([]syncer.Version, error)
	// Files reads a location's repository at the commit the catalog shows.
	Files(ctx context.Context, locationID string) (catalog.Files, string, error)
	// PushNew pushes a new project's branch to its origin.
	PushNew(ctx context.Context, dir, branch string) error
	// Clone is the folder of a location's bare clone.
	Clone(locationID string) string
}

// Config is what a Service needs.
type Config struct {
	DB *store.DB
	// Search is the full-text index the portal keeps in step; nil leaves
	// search out (one-shot CLI commands).
	Search *search.Index
	// Events carries the portal's events: Subscribe follows it, and the
	// portal publishes search:progress, scaffold:* and plugins:changed on
	// it; nil means none are published or followed.
	Events  Bus
	Syncer  Syncer
	Version string
	DataDir string
	Mode    string
	Log     *slog.Logger
	// Start runs the command that opens a path in the user's editor, file
	// manager or terminal (opener.Start when nil; tests watch instead).
	Start func(*exec.Cmd) error
	// Plugins runs the plugins; nil means there are none. PluginPrefs are
	// their settings, needed with them.
	Plugins     *host.Host
	PluginPrefs *pluginprefs.Prefs
	// Language is the user's language, locale.FromEnv's answer.
	Language string
	// Credentials says where each git host's token comes from, for
	// CredentialSources; nil: no host has one.
	Credentials CredentialStatus
	// Workers runs the service's background work: template runs and
	// search index updates. The instance owns it, and stops and waits for
	// that work before it closes the store.
	Workers Spawner
}

// Bus publishes events and lets front ends follow them; *events.Bus is
// the one in use.
type Bus interface {
	events.Emitter
	Subscribe() (<-chan events.Event, func())
}

// Spawner runs work in the background for the owner of the service's
// lifetime. fn's context ends when the owner shuts down, and the owner
// waits for fn to return before closing the store. Once shutting down,
// Go runs nothing and returns an error. *workers.Group is the one in use.
type Spawner interface {
	Go(name string, fn func(ctx context.Context)) error
}

// Service is the local portal over a store.
type Service struct {
	cfg     Config
	log     *slog.Logger
	started time.Time
	rows    rows
	search  searcher
	pages   pageCache
	runs    runs
	// pluginLocs: one SyncPluginLocations at a time (pluginlocations.go).
	pluginLocs sync.Mutex
	frontend   frontendErrors
	gates      gates
}

var _ API = (*Service)(nil)

// checkPage refuses a page that starts or ends before the first item.
func checkPage(offset, limit int) error {
	if offset < 0 || limit < 0 {
		return fmt.Errorf("offset %d, limit %d: want zero or more: %w", offset, limit, ErrInvalid)
	}
	return nil
}

// DemoLocationID is the id of the demo organisation's location.
const DemoLocationID = "demo"

// New returns a Service.
func New(cfg Config) *Service {
	return &Service{cfg: cfg, log: cfg.Log.With("component", "portal"), started: time.Now(),
		rows: rows{listing: listing.New(), loaded: map[string]uint64{}}, search: searcher{index: cfg.Search}, gates: newGates()}
}

// EnsureDemo writes the demo organisation as a git repository in the data
// dir and registers it on first start, so it takes the path real catalogs take.
func (s *Service) EnsureDemo(ctx context.Context) error {
	dir := filepath.Join(s.cfg.DataDir, "demo-org")
	locs, err := s.cfg.DB.Locations(ctx)
	if err != nil {
		return err
	}
	if len(locs) > 0 {
		if _, ok, err := s.cfg.DB.Location(ctx, DemoLocationID); err != nil || !ok {
			return err
		}
		_, err := demo.WriteRepo(ctx, dir) // brings an older demo repository up to date
		return err
	}
	if _, err := demo.WriteRepo(ctx, dir); err != nil {
		return fmt.Errorf("write demo organisation: %w", err)
	}
	s.log.Info("demo organisation registered", "dir", dir)
	return s.cfg.DB.PutLocation(ctx, store.Location{ID: DemoLocationID, URL: dir, Path: demo.RootFile})
}

// Info implements API.
func (s *Service) Info(ctx context.Context) (Info, error) {
	locs, err := s.cfg.DB.Locations(ctx)
	if err != nil {
		return Info{}, err
	}
	n := 0
	for _, l := range locs {
		n += l.Entities
	}
	return Info{Version: s.cfg.Version, DataDir: s.cfg.DataDir, Mode: s.cfg.Mode, Entities: n,
		Locations: len(locs), StartedAt: s.started.UTC().Format(time.RFC3339), Language: s.cfg.Language,
		FrontendErrors: s.frontend.count.Load()}, nil
}

// ListEntities implements API.
func (s *Service) ListEntities(ctx context.Context, q EntityQuery) (EntityList, error) {
	if err := checkPage(q.Offset, q.Limit); err != nil {
		return EntityList{}, err
	}
	if len(q.Filters) == 0 {
		return s.listFast(ctx, q)
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	// Kind is one more kind among the kind facet's, as in listFast: a
	// transport sends both as the same parameter.
	kinds := q.Facets[listing.FacetKind]
	if q.Kind != "" {
		kinds = append(slices.Clone(kinds), q.Kind)
	}
	out := EntityList{Items: []EntitySummary{}}
	unpushed, err := s.unpushed(ctx)
	if err != nil {
		return EntityList{}, fmt.Errorf("list entities: %w", err)
	}
	err = s.cfg.DB.Entities(ctx, func(e store.Entity) bool {
		if !matches(&e.Entity, kinds, text, q.Filters) {
			return true
		}
		out.Total++
		if q.Limit <= 0 || len(out.Items) < q.Limit {
			sum := summarize(&e.Entity)
			sum.Pending = unpushed[e.LocationID][e.Source.File]
			out.Items = append(out.Items, sum)
		}
		return true
	})
	if err != nil {
		return EntityList{}, fmt.Errorf("list entities: %w", err)
	}
	slices.SortFunc(out.Items, func(a, b EntitySummary) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Namespace, b.Namespace))
	})
	return out, nil
}

func matches(e *catalog.Entity, kinds []string, text string, filters map[string]string) bool {
	if len(kinds) > 0 && !slices.ContainsFunc(kinds, func(k string) bool { return strings.EqualFold(e.Kind, k) }) {
		return false
	}
	if text != "" && !strings.Contains(strings.ToLower(e.Metadata.Name+"\x00"+e.Metadata.Title+"\x00"+e.Metadata.Description), text) {
		return false
	}
	for path, want := range filters {
		if got, ok := e.Lookup(path); !ok || !strings.EqualFold(got, want) {
			return false
		}
	}
	return true
}

// GetEntity implements API.
func (s *Service) GetEntity(ctx context.Context, ref string) (EntityDetail, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return EntityDetail{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := s.cfg.DB.Entity(ctx, r.String())
	if err != nil {
		return EntityDetail{}, fmt.Errorf("get entity %s: %w", r, err)
	}
	if !ok {
		return EntityDetail{}, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	rels, err := s.cfg.DB.Relations(ctx, r.String())
	if err != nil {
		return EntityDetail{}, err
	}
	d := EntityDetail{
		EntitySummary: summarize(&e.Entity),
		Entity:        e.Entity.Raw,
		Relations:     make([]Relation, 0, len(rels)),
		Source:        Source{LocationID: e.LocationID, File: e.Source.File, Line: e.Source.Line, Commit: e.Commit},
	}
	if d.Source.Commit == "" {
		loc, _, err := s.cfg.DB.Location(ctx, e.LocationID)
		if err != nil {
			return EntityDetail{}, err
		}
		d.Source.Commit = loc.HeadCommit
	}
	targets := make([]string, len(rels))
	for i, rel := range rels {
		targets[i] = rel.Target
	}
	exists, err := s.cfg.DB.Existing(ctx, targets)
	if err != nil {
		return EntityDetail{}, err
	}
	for _, rel := range rels {
		d.Relations = append(d.Relations, Relation{Type: rel.Type, TargetRef: rel.Target, Missing: !exists[rel.Target]})
	}
	unpushed, err := s.unpushed(ctx)
	if err != nil {
		return EntityDetail{}, err
	}
	d.Pending = unpushed[e.LocationID][e.Source.File]
	d.HasErrors = len(e.Errors) > 0
	if r := e.Remote; r != nil {
		readAt := r.ReadAt
		if r.Stale == "" {
			// Files found unchanged leave the entity as stored; the kept
			// files say when their servers last confirmed them.
			at, ok, err := s.cfg.DB.RemoteReadAt(ctx, r.URLs)
			if err != nil {
				return EntityDetail{}, err
			}
			if ok && at.After(readAt) {
				readAt = at
			}
		}
		d.Remote = &RemoteParts{URLs: r.URLs, ReadAt: readAt.UTC().Format(time.RFC3339), Stale: r.Stale}
	}
	stars, err := s.cfg.DB.Stars(ctx)
	if err != nil {
		return EntityDetail{}, err
	}
	d.Starred = slices.Contains(stars, d.Ref)
	for _, pe := range e.Errors {
		d.Errors = append(d.Errors, ProcessingError{File: pe.File, Line: pe.Line, Column: pe.Column, Field: pe.Field, Message: pe.Message})
	}
	y, err := yaml.Marshal(e.Entity.Raw)
	if err != nil {
		return EntityDetail{}, fmt.Errorf("render YAML of %s: %w", r, err)
	}
	d.YAML = string(y)
	return d, nil
}

// ListLocations implements API.
func (s *Service) ListLocations(ctx context.Context) ([]Location, error) {
	locs, err := s.cfg.DB.Locations(ctx)
	if err != nil {
		return nil, err
	}
	entries, err := s.cfg.DB.Outbox(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]Location, 0, len(locs))
	for _, l := range locs {
		dto := locationDTO(l)
		for _, e := range entries {
			switch {
			case e.LocationID != l.ID:
			case e.State == store.StateConflict:
				dto.Conflicts++
			default:
				dto.Unpushed++
			}
		}
		out = append(out, dto)
	}
	return out, nil
}

// Sync implements API.
func (s *Service) Sync(ctx context.Context, locationID string) ([]Location, error) {
	if locationID != "" {
		if _, ok, err := s.cfg.DB.Location(ctx, locationID); err != nil {
			return nil, err
		} else if !ok {
			return nil, fmt.Errorf("location %q: %w", locationID, ErrNotFound)
		}
		// Failures are on the location records; the locations it lists follow it.
		if err := s.cfg.Syncer.SyncTree(ctx, locationID); err == nil {
			s.AfterSync(ctx, locationID)
		}
		return s.ListLocations(ctx)
	}
	if err := s.SyncPluginLocations(ctx); err != nil {
		s.log.Warn("bring plugin locations up to date", "err", err)
	}
	locs, err := s.cfg.DB.Locations(ctx)
	if err != nil {
		return nil, err
	}
	var top []string // the rest are listed by these, and follow them
	for _, l := range locs {
		if len(l.Parents) == 0 {
			top = append(top, l.ID)
		}
	}
	_ = s.cfg.Syncer.SyncTree(ctx, top...) // failures are on the location records
	// New projects whose first push did not get through go with the sync.
	s.RetryPublish(ctx)
	s.refreshPluginSearch()
	return s.ListLocations(ctx)
}

// AddLocation implements API.
func (s *Service) AddLocation(ctx context.Context, in NewLocation) (Location, error) {
	loc, err := normalizeLocation(in)
	if err != nil {
		return Location{}, err
	}
	locs, err := s.cfg.DB.Locations(ctx)
	if err != nil {
		return Location{}, err
	}
	taken := map[string]bool{}
	for _, l := range locs {
		if l.URL == loc.URL && l.Branch == loc.Branch && (l.Path == loc.Path || l.Derived) {
			return Location{}, fmt.Errorf("%s is already registered as location %q%s: %w", loc.URL, l.ID, listedBy(l), ErrConflict)
		}
		taken[l.ID] = true
	}
	loc.ID = locationID(loc.URL, taken)
	if err := s.cfg.DB.PutLocation(ctx, loc); err != nil {
		return Location{}, err
	}
	s.log.Info("location added", "location", loc.ID, "url", loc.URL)
	return locationDTO(loc), nil
}

// RemoveLocation implements API.
func (s *Service) RemoveLocation(ctx context.Context, id string) error {
	if loc, ok, err := s.cfg.DB.Location(ctx, id); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("location %q: %w", id, ErrNotFound)
	} else if err := refusePluginLocation(id, loc.URL); err != nil {
		return err
	} else if len(loc.Parents) > 0 {
		return fmt.Errorf("location %q is listed by the Location entities of %s: remove its target there and it goes by itself: %w", id, strings.Join(loc.ListedBy(), " and "), ErrConflict)
	}
	entries, err := s.cfg.DB.Outbox(ctx, id)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("location %q has %d change(s) made in the app that its remote does not have (%s): sync once the remote is reachable, or settle the conflicts, then remove it: %w",
			id, len(entries), strings.Join(entries[0].Paths, ", "), ErrConflict)
	}
	if err := s.unlist(ctx, id); err != nil {
		return err
	}
	if err := s.cfg.DB.RemoveLocation(ctx, id); err != nil {
		return err
	}
	if err := s.cfg.Syncer.Forget(ctx, id); err != nil {
		s.log.Warn("delete the clone of a removed location", "location", id, "err", err)
	}
	s.log.Info("location removed", "location", id)
	return nil
}

// scpLike matches git's scp-like ssh syntax, user@host:path.
var scpLike = regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:`)

// normalizeLocation checks a new location and fills in its defaults: a
// local path becomes absolute and must be a directory.
func normalizeLocation(in NewLocation) (store.Location, error) {
	loc := store.Location{URL: strings.TrimSpace(in.URL), Branch: strings.TrimSpace(in.Branch), Path: strings.TrimSpace(in.Path)}
	switch {
	case loc.URL == "":
		return loc, fmt.Errorf("a location needs a repository URL or path: %w", ErrInvalid)
	case strings.Contains(loc.URL, "://"):
		// A token in the URL would be stored, listed, logged and become
		// the location's id and folder name; the error never repeats it.
		if err := gitfetch.CheckURL(loc.URL); err != nil {
			return loc, fmt.Errorf("%w: %w", err, ErrInvalid)
		}
		u, err := url.Parse(loc.URL)
		if err != nil || u.Host == "" && u.Scheme != "file" {
			return loc, fmt.Errorf("%q is not a repository URL: %w", loc.URL, ErrInvalid)
		}
	case scpLike.MatchString(loc.URL):
	default:
		abs, err := filepath.Abs(loc.URL)
		if err != nil {
			return loc, fmt.Errorf("%q: %v: %w", loc.URL, err, ErrInvalid)
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			return loc, fmt.Errorf("%s is not a directory (give a git repository's URL or its local path): %w", abs, ErrInvalid)
		}
		loc.URL = abs
	}
	if strings.ContainsAny(loc.Branch, " ~^:?*[\\") || strings.HasPrefix(loc.Branch, "-") {
		return loc, fmt.Errorf("%q is not a branch name: %w", loc.Branch, ErrInvalid)
	}
	if loc.Path == "" {
		loc.Path = "catalog-info.yaml"
	}
	clean := path.Clean(strings.TrimPrefix(loc.Path, "./"))
	if path.IsAbs(loc.Path) || clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
		return loc, fmt.Errorf("path %q must name a file or glob inside the repository, e.g. catalog-info.yaml: %w", loc.Path, ErrInvalid)
	}
	loc.Path = clean
	return loc, nil
}

// locationID names a location after its repository (payments for
// https://host/org/payments.git), made unique among taken.
func locationID(rawURL string, taken map[string]bool) string {
	base := rawURL
	if i := strings.LastIndexAny(base, "/:"); i >= 0 {
		base = base[i+1:]
	}
	base = strings.TrimSuffix(strings.ToLower(base), ".git")
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	id := strings.Trim(b.String(), "-")
	if id == "" {
		id = "location"
	}
	for n, candidate := 2, id; ; n++ {
		if !taken[candidate] {
			return candidate
		}
		candidate = fmt.Sprintf("%s-%d", id, n)
	}
}

func locationDTO(l store.Location) Location {
	dto := Location{ID: l.ID, URL: gitfetch.Redact(l.URL), Branch: l.Branch, Path: l.Path, HeadCommit: l.HeadCommit,
		LastError: l.LastError, Entities: l.Entities, ProcessErrs: len(l.Errors), Status: "pending"}
	// Stored before such URLs were refused: never synced again (AuthFor
	// refuses it), shown with why and what to do until it is removed.
	if err := gitfetch.CheckURL(l.URL); err != nil {
		dto.LastError = "this location's URL holds a secret, so Callboard no longer syncs it: remove the location and add it again without the secret (" + err.Error() + ")"
		dto.Status = "error"
		return dto
	}
	addLinks(&dto, l)
	if !l.LastSuccess.IsZero() {
		dto.LastSyncAt = l.LastSuccess.UTC().Format(time.RFC3339)
		dto.Status = "ok"
	}
	switch {
	case l.LastError != "" && !l.LastSuccess.IsZero():
		dto.Status = "stale"
		dto.StaleSince = l.StaleSince.UTC().Format(time.RFC3339)
	case l.LastError != "":
		dto.Status = "error"
	}
	return dto
}

func summarize(e *catalog.Entity) EntitySummary {
	s := EntitySummary{
		Ref: e.Ref().String(), Kind: e.Kind, Namespace: e.Metadata.Namespace, Name: e.Metadata.Name,
		Title: e.Metadata.Title, Description: e.Metadata.Description,
		Type: e.SpecString("type"), Lifecycle: e.SpecString("lifecycle"), Tags: e.Metadata.Tags,
	}
	if s.Tags == nil {
		s.Tags = []string{}
	}
	if o := e.SpecString("owner"); o != "" {
		if r, err := catalog.ParseRef(o, "group", e.Metadata.Namespace); err == nil {
			s.Owner = r.String()
		}
	}
	if sys := e.SpecString("system"); sys != "" {
		if r, err := catalog.ParseRef(sys, "system", e.Metadata.Namespace); err == nil {
			s.System = r.String()
		}
	}
	return s
}

// requireID refuses an empty id as invalid, as the generated clients do
// before sending (an empty path segment names nothing), so every
// transport gives the same answer.
func requireID(name, v string) error {
	if v == "" {
		return fmt.Errorf("%s is empty: %w", name, ErrInvalid)
	}
	return nil
}
