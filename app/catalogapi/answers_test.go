package catalogapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
)

// TestByRefsAnswerCache checks that by-refs answers the same from its
// answer cache as from the store, and that a sync changing an entity
// is answered at once.
func TestByRefsAnswerCache(t *testing.T) {
	t.Parallel()
	db := analyzeStore(t)
	h := New(db, Options{Log: quiet})
	byRefs := func() string {
		t.Helper()
		rec := httptest.NewRecorder()
		body := `{"entityRefs":["component:default/shop","api:default/shop-api","component:default/missing","Component:default/shop"]}`
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/entities/by-refs", strings.NewReader(body)))
		if rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		return rec.Body.String()
	}
	first := byRefs()
	if !strings.Contains(first, `"name":"shop"`) || !strings.Contains(first, `null`) {
		t.Fatalf("first answer: %s", first)
	}
	if again := byRefs(); again != first {
		t.Errorf("from the cache:\n%s\nfrom the store:\n%s", again, first)
	}
	res := catalog.Process(context.Background(), catalog.MapFiles{"catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: shop, description: changed}
spec: {type: service, owner: team-a, lifecycle: production}
`}, catalog.Options{LocationRef: func(file string) string { return "url:https://github.com/acme/shop/blob/main/" + file }}, "catalog-info.yaml")
	if err := db.ReplaceLocation(context.Background(), "shop", store.Snapshot{Commit: "c2", Entities: res.Entities, Edges: res.Edges}, time.Unix(2e9, 0)); err != nil {
		t.Fatal(err)
	}
	after := byRefs()
	if !strings.Contains(after, `"description":"changed"`) || strings.Count(after, "null") != 2 {
		t.Errorf("after the sync: %s", after)
	}
}
