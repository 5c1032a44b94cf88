package instance

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/store/storetest"
)

// An upgrade from the store format before this one keeps the user's
// records, shows the migrated locations as waiting for a sync with no
// entities (none stale), and the next sync of a real repository brings the
// entities back.
func TestUpgradeFromFormat2(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := t.TempDir()
	storetest.Unpack(t, storetest.Fixture(t, "format2.tar.gz"), root)
	l, err := Open(ctx, Config{Root: root, Version: "1.2.0", Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	locs, err := l.Service.ListLocations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, loc := range locs {
		if loc.Status != "pending" || loc.Entities != 0 {
			t.Errorf("location %s after the migration: status %q, %d entities; want pending, none", loc.ID, loc.Status, loc.Entities)
		}
	}
	if list, err := l.Service.ListEntities(ctx, portal.EntityQuery{}); err != nil || list.Total != 0 {
		t.Errorf("entities before a sync = %d, %v; want none", list.Total, err)
	}
	if s, err := l.Service.Settings(ctx); err != nil || s.SyncIntervalMinutes != 17 {
		t.Errorf("settings = %+v, %v; want the sync interval 17 kept", s, err)
	}

	// The fixture's demo location is a path on the machine that wrote it;
	// Open wrote the demo repository into this data dir.
	demo, ok, err := l.DB.Location(ctx, portal.DemoLocationID)
	if err != nil || !ok {
		t.Fatalf("demo location: %v, %v", ok, err)
	}
	demo.URL = filepath.Join(root, "demo-org")
	if err := l.DB.PutLocation(ctx, demo); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Service.Sync(ctx, portal.DemoLocationID); err != nil {
		t.Fatal(err)
	}
	if list, err := l.Service.ListEntities(ctx, portal.EntityQuery{}); err != nil || list.Total == 0 {
		t.Errorf("entities after a sync = %d, %v; want the demo's", list.Total, err)
	}
	locs, err = l.Service.ListLocations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, loc := range locs {
		switch loc.ID {
		case portal.DemoLocationID:
			if loc.Status != "ok" || loc.Entities == 0 {
				t.Errorf("demo after a sync: status %q, %d entities", loc.Status, loc.Entities)
			}
		case "team-b":
			if loc.Unpushed != 1 {
				t.Errorf("team-b's unpushed edits = %d, want the fixture's 1", loc.Unpushed)
			}
		}
	}
}

// An older Callboard refuses a newer store by name, and Open says which
// version to install.
func TestNewerStoreRefused(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	storetest.Unpack(t, storetest.Fixture(t, "format2.tar.gz"), root)
	storetest.ClaimFormat(t, filepath.Join(root, "store"), store.Format+1, "9.1.0")
	_, err := Open(context.Background(), Config{Root: root, Version: "1.2.0", Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Getenv: func(string) string { return "" }})
	var newer *store.NewerError
	if !errors.As(err, &newer) || newer.Writer != "9.1.0" {
		t.Errorf("Open = %v, want a *store.NewerError naming 9.1.0", err)
	}
}
