package portal

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/demo"
	"gopkg.in/yaml.v3"
)

// Syncer brings one location up to date; errors are recorded on the location too.
type Syncer interface {
	Sync(ctx context.Context, locationID string) error
}

// Config is what a Service needs.
type Config struct {
	DB      *store.DB
	Syncer  Syncer
	Version string
	DataDir string
	Mode    string
	Log     *slog.Logger
}

// Service is the local portal over a store.
type Service struct {
	cfg     Config
	log     *slog.Logger
	started time.Time
}

var _ API = (*Service)(nil)

// DemoLocationID is the id of the demo organisation's location.
const DemoLocationID = "demo"

// New returns a Service.
func New(cfg Config) *Service {
	return &Service{cfg: cfg, log: cfg.Log.With("component", "portal"), started: time.Now()}
}

// EnsureDemo writes the demo organisation as a git repository in the data
// dir and registers it on first start, so it takes the path real catalogs take.
func (s *Service) EnsureDemo(ctx context.Context) error {
	locs, err := s.cfg.DB.Locations(ctx)
	if err != nil || len(locs) > 0 {
		return err
	}
	dir := filepath.Join(s.cfg.DataDir, "demo-org")
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
		Locations: len(locs), StartedAt: s.started.UTC().Format(time.RFC3339)}, nil
}

// ListEntities implements API.
func (s *Service) ListEntities(ctx context.Context, q EntityQuery) (EntityList, error) {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	out := EntityList{Items: []EntitySummary{}}
	err := s.cfg.DB.Entities(ctx, func(e store.Entity) bool {
		if !matches(&e.Entity, q.Kind, text, q.Filters) {
			return true
		}
		out.Total++
		if q.Limit <= 0 || len(out.Items) < q.Limit {
			out.Items = append(out.Items, summarize(&e.Entity))
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

func matches(e *catalog.Entity, kind, text string, filters map[string]string) bool {
	if kind != "" && !strings.EqualFold(e.Kind, kind) {
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
	for _, rel := range rels {
		d.Relations = append(d.Relations, Relation{Type: rel.Type, TargetRef: rel.Target})
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
	out := make([]Location, 0, len(locs))
	for _, l := range locs {
		out = append(out, locationDTO(l))
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
		_ = s.cfg.Syncer.Sync(ctx, locationID) // the failure is on the location record
		return s.ListLocations(ctx)
	}
	locs, err := s.cfg.DB.Locations(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range locs {
		_ = s.cfg.Syncer.Sync(ctx, l.ID)
	}
	return s.ListLocations(ctx)
}

func locationDTO(l store.Location) Location {
	dto := Location{ID: l.ID, URL: l.URL, Branch: l.Branch, Path: l.Path, HeadCommit: l.HeadCommit,
		LastError: l.LastError, Entities: l.Entities, ProcessErrs: len(l.Errors), Status: "pending"}
	if !l.LastSuccess.IsZero() {
		dto.LastSyncAt = l.LastSuccess.UTC().Format(time.RFC3339)
		dto.Status = "ok"
	}
	if l.LastError != "" {
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
