package syncer

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
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

// TestSyncBackstageInPlace: a change the backend reports is applied to
// the set in place (the generation stays), and the set, relations
// included, is the one a whole read of the same catalog makes; a change
// that cannot be (an entity refused) makes the set again, keeping the
// entity's last good version as for any location.
func TestSyncBackstageInPlace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	es := backstagetest.Generate(40)
	srv := backstagetest.NewCatalog(t, "t", es)
	s, db := catalogFixture(t, srv)
	if err := s.Sync(ctx, "bs"); err != nil {
		t.Fatal(err)
	}
	moved := backstagetest.Generate(40)[14] // svc-14, owned by team-10
	moved["spec"].(map[string]any)["owner"] = "team-20"
	added := backstagetest.Generate(41)[40] // team-40, new
	refused := backstagetest.Generate(40)[16]
	delete(refused["spec"].(map[string]any), "lifecycle")
	for _, c := range []struct {
		name    string
		change  func()
		inPlace bool
	}{
		{"edited", func() { srv.Edit("component:default/svc-17", "edited") }, true},
		{"owner moved", func() { srv.Put(moved) }, true},
		{"added", func() { srv.Put(added) }, true},
		{"deleted", func() { srv.Delete("component:default/svc-15") }, true},
		{"an owner deleted", func() { srv.Delete("group:default/team-30") }, true},
	} {
		before, _, _ := db.Location(ctx, "bs")
		c.change()
		if err := s.Sync(ctx, "bs"); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		after, _, _ := db.Location(ctx, "bs")
		if (after.Gen == before.Gen) != c.inPlace || after.HeadCommit == before.HeadCommit {
			t.Errorf("%s: generation %d → %d, commit %s → %s: want in place %v, a new commit",
				c.name, before.Gen, after.Gen, before.HeadCommit, after.HeadCommit, c.inPlace)
		}
		ws, wdb := catalogFixture(t, srv)
		if err := ws.Sync(ctx, "bs"); err != nil {
			t.Fatalf("%s, whole: %v", c.name, err)
		}
		if diff := cmp.Diff(storedSet(t, wdb), storedSet(t, db)); diff != "" {
			t.Errorf("%s: the set differs from a whole read's (-whole +synced):\n%s", c.name, diff)
		}
	}
	before, _, _ := db.Location(ctx, "bs")
	srv.Put(refused)
	if err := s.Sync(ctx, "bs"); err != nil {
		t.Fatal(err)
	}
	after, _, _ := db.Location(ctx, "bs")
	e, ok, err := db.Entity(ctx, "component:default/svc-16")
	if err != nil || !ok || len(e.Errors) == 0 || after.Gen == before.Gen {
		t.Errorf("refused: entity %v %v (errors %v), generation %d → %d: want its last good version kept with its errors in a new generation",
			ok, err, e.Errors, before.Gen, after.Gen)
	}
}

// catalogFixture is a syncer and a store on disk with a Backstage
// location reading srv.
func catalogFixture(t *testing.T, srv *backstagetest.Catalog) (*Syncer, *store.DB) {
	t.Helper()
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
	s.bsToken = func(context.Context, string) (string, error) { return srv.Token, nil }
	return s, db
}

// storedSet is each entity of the location with its relations both ways.
func storedSet(t *testing.T, db *store.DB) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := synced(t, db)
	for ref, e := range out {
		outRels, err := db.Relations(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		in, err := db.IncomingRelations(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		out[ref] = map[string]any{"entity": e, "out": sortedRels(outRels), "in": sortedRels(in)}
	}
	return out
}

func sortedRels(rs []store.Relation) []store.Relation {
	slices.SortFunc(rs, func(a, b store.Relation) int {
		return strings.Compare(a.Type+" "+a.Target, b.Type+" "+b.Target)
	})
	return rs
}
