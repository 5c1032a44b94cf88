package syncer

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/internal/jsonl"
	"github.com/callboard/callboard/sync/backstage"
	"github.com/callboard/callboard/sync/backstage/backstagetest"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/outbox"
)

const peerToken = "cbsrc-static-token-0123456789abcdef"

var peerDir = filepath.Join("..", "backstage", "testdata", "peer")

// backstageFixture is a syncer and a store on disk with a Backstage
// location reading the recorded peer, at its first stage, with token.
func backstageFixture(t *testing.T, token string) (*Syncer, *store.DB, *backstagetest.Server) {
	t.Helper()
	srv := backstagetest.Serve(t, peerDir, "first", peerToken)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(context.Background(), t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.PutLocation(context.Background(), store.Location{ID: "bs", URL: srv.URL, Backstage: &store.Backstage{BaseURL: srv.URL}}); err != nil {
		t.Fatal(err)
	}
	s := New(db, filepath.Join(t.TempDir(), "clones"), gitfetch.Credentials{}, &recorder{}, quiet, nil)
	s.bsToken = func(context.Context, string) (string, error) { return token, nil }
	return s, db, srv
}

// synced are the location's entities as stored, by ref, without the
// annotation naming the Backstage they came from.
func synced(t *testing.T, db *store.DB) map[string]any {
	t.Helper()
	out := map[string]any{}
	err := db.LocationEntities(context.Background(), "bs", func(e store.Entity) bool {
		raw := e.Entity.Raw
		delete(raw["metadata"].(map[string]any)["annotations"].(map[string]any), AnnotationBackstage)
		out[strings.ToLower(e.Entity.Ref().String())] = raw
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// peerOracle is what catalog-client read from the peer at stage, by ref,
// without what the backend computes (relations, status).
func peerOracle(t *testing.T, stage string) map[string]any {
	t.Helper()
	es, err := jsonl.Read[map[string]any](filepath.Join(peerDir, stage+".oracle.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for _, e := range es {
		delete(e, "relations")
		delete(e, "status")
		md := e["metadata"].(map[string]any)
		out[strings.ToLower(catalog.Ref{Kind: e["kind"].(string), Namespace: md["namespace"].(string), Name: md["name"].(string)}.String())] = e
	}
	return out
}

// TestSyncBackstage syncs the recorded peer through its stages: the
// stored set is what catalog-client read, entity by entity; an edit
// appears and a deletion disappears at the next sync; with the backend
// gone everything stays, marked stale.
func TestSyncBackstage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, srv := backstageFixture(t, peerToken)
	for _, stage := range []string{"first", "first", "edited", "deleted"} {
		srv.Stage(t, peerDir, stage)
		if err := s.Sync(ctx, "bs"); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		if diff := cmp.Diff(peerOracle(t, stage), synced(t, db)); diff != "" {
			t.Fatalf("%s: the synced set differs from catalog-client's (-want +got):\n%s", stage, diff)
		}
		loc, _, _ := db.Location(ctx, "bs")
		if loc.Backstage == nil || loc.Backstage.ReadAt.IsZero() || loc.Backstage.BaseURL != srv.URL || len(loc.Errors) != 0 {
			t.Fatalf("%s: location %+v, errors %v", stage, loc.Backstage, loc.Errors)
		}
	}
	loc, _, _ := db.Location(ctx, "bs")
	// The etags, then the entities whose relations named the deleted one.
	if loc.Backstage.Removed != 1 || loc.Backstage.Requests != 2 {
		t.Errorf("the last sync: %+v, want 2 requests and 1 removed", loc.Backstage)
	}

	srv.Stop()
	err := s.Sync(ctx, "bs")
	if !errors.Is(err, backstage.ErrUnreachable) {
		t.Fatalf("backend gone: %v, want ErrUnreachable", err)
	}
	if diff := cmp.Diff(peerOracle(t, "deleted"), synced(t, db)); diff != "" {
		t.Fatalf("offline: entities changed (-want +got):\n%s", diff)
	}
	after, _, _ := db.Location(ctx, "bs")
	if after.StaleSince.IsZero() || after.Backstage.ReadAt != loc.Backstage.ReadAt {
		t.Errorf("offline: stale since %v, read at %v, want stale and read at %v", after.StaleSince, after.Backstage.ReadAt, loc.Backstage.ReadAt)
	}
}

// TestSyncBackstageOrigin: entities keep where Backstage says they come
// from, and name the Backstage; a Location keeps its targets.
func TestSyncBackstageOrigin(t *testing.T) {
	t.Parallel()
	s, db, srv := backstageFixture(t, peerToken)
	if err := s.Sync(context.Background(), "bs"); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := db.LocationEntities(context.Background(), "bs", func(e store.Entity) bool {
		n++
		ann := e.Entity.Metadata.Annotations
		if !strings.HasPrefix(ann[catalog.AnnotationLocation], "file:/tmp/cbsrc/cat/") || ann[AnnotationBackstage] != srv.URL {
			t.Errorf("%s: annotations %v", e.Entity.Ref(), ann)
		}
		if e.Entity.Kind == "Location" && e.Entity.Spec["target"] == nil && e.Entity.Spec["targets"] == nil {
			t.Errorf("%s lost its targets: %v", e.Entity.Ref(), e.Entity.Spec)
		}
		return true
	})
	if err != nil || n == 0 {
		t.Fatalf("%d entities, %v", n, err)
	}
}

// TestSyncBackstageWrongToken: a refused token fails the sync saying so
// and how to fix it; nothing is stored.
func TestSyncBackstageWrongToken(t *testing.T) {
	t.Parallel()
	s, db, _ := backstageFixture(t, "wrong")
	err := s.Sync(context.Background(), "bs")
	if !errors.Is(err, backstage.ErrUnauthorized) || !strings.Contains(err.Error(), "callboard token set 127.0.0.1") {
		t.Fatalf("got %v, want ErrUnauthorized saying how to set a token", err)
	}
	loc, _, _ := db.Location(context.Background(), "bs")
	if !strings.Contains(loc.LastError, "401") || loc.Entities != 0 {
		t.Errorf("location: error %q, %d entities", loc.LastError, loc.Entities)
	}
}

// TestBackstageLocationHasNoRepo: a write or a history call is refused,
// naming where the entity's file is edited instead.
func TestBackstageLocationHasNoRepo(t *testing.T) {
	t.Parallel()
	s, _, _ := backstageFixture(t, peerToken)
	if err := s.Sync(context.Background(), "bs"); err != nil {
		t.Fatal(err)
	}
	_, err := s.Write(context.Background(), "bs", Write{Changes: []outbox.Change{{Path: "a.yaml", Content: comp("a")}}, Message: "edit"})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "source repository") {
		t.Fatalf("write: %v, want ErrRefused naming the source repository", err)
	}
}
