package portal

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/demo"
	"github.com/callboard/callboard/sync/gitfetch"
)

// EnsureDemo writes the demo organisation as a git repository in the data
// dir and registers it on first start, so it takes the path real catalogs
// take; once the user removed it, it stays away until RestoreDemo.
func (s *locations) EnsureDemo(ctx context.Context) error {
	st, err := s.db.Settings(ctx)
	if err != nil {
		return err
	}
	if st.DemoRemoved {
		return nil
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return err
	}
	if len(locs) > 0 {
		if _, ok, err := s.db.Location(ctx, DemoLocationID); err != nil || !ok {
			return err
		}
		_, err := demo.WriteRepo(ctx, s.demoDir()) // brings an older demo repository up to date
		return err
	}
	_, err = s.registerDemo(ctx)
	return err
}

// RemoveDemo answers API.RemoveDemo.
func (s *locations) RemoveDemo(ctx context.Context) error {
	if err := s.RemoveLocation(ctx, DemoLocationID); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := s.db.UpdateSettings(ctx, func(st *store.Settings) error {
		st.DemoRemoved = true
		return nil
	}); err != nil {
		return fmt.Errorf("record the demo's removal: %w", err)
	}
	s.log.Info("demo organisation removed")
	return nil
}

// RestoreDemo answers API.RestoreDemo.
func (s *locations) RestoreDemo(ctx context.Context) (Location, error) {
	if err := s.db.UpdateSettings(ctx, func(st *store.Settings) error {
		st.DemoRemoved = false
		return nil
	}); err != nil {
		return Location{}, fmt.Errorf("record the demo's return: %w", err)
	}
	if loc, ok, err := s.db.Location(ctx, DemoLocationID); err != nil {
		return Location{}, err
	} else if ok && loc.URL != s.demoDir() {
		return Location{}, fmt.Errorf("location %q is another repository (%s), not the demo: remove it first: %w", DemoLocationID, gitfetch.Redact(loc.URL), ErrConflict)
	} else if ok {
		return locationDTO(loc), nil
	}
	loc, err := s.registerDemo(ctx)
	if err != nil {
		return Location{}, err
	}
	return locationDTO(loc), nil
}

// registerDemo writes the demo repository and registers its location.
func (s *locations) registerDemo(ctx context.Context) (store.Location, error) {
	dir := s.demoDir()
	if _, err := demo.WriteRepo(ctx, dir); err != nil {
		return store.Location{}, fmt.Errorf("write demo organisation: %w", err)
	}
	loc := store.Location{ID: DemoLocationID, URL: dir, Path: demo.RootFile}
	if err := s.db.PutLocation(ctx, loc); err != nil {
		return store.Location{}, err
	}
	s.log.Info("demo organisation registered", "dir", dir)
	return loc, nil
}

func (s *locations) demoDir() string { return filepath.Join(s.dataDir, "demo-org") }
