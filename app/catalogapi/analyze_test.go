package catalogapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/internal/jsonl"
	"github.com/google/go-cmp/cmp"
)

// analyzeStore holds one location, github.com/acme/shop at main, with
// catalog files at its root, in api/ and a file of another name.
func analyzeStore(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	files := catalog.MapFiles{
		"catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: shop}
spec: {type: service, owner: team-a, lifecycle: production}
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: shop-more}
spec: {targets: [./api/catalog-info.yaml, ./docs/other.yaml]}
`,
		"api/catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: shop-api}
spec: {type: openapi, owner: team-a, lifecycle: production, definition: "openapi: 3.0.0"}
`,
		"docs/other.yaml": `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: shop-docs}
spec: {type: documentation, owner: team-a, lifecycle: production}
`,
	}
	res := catalog.Process(ctx, files, catalog.Options{LocationRef: func(file string) string {
		return "url:https://github.com/acme/shop/blob/main/" + file
	}}, "catalog-info.yaml")
	if len(res.Errors) > 0 {
		t.Fatalf("process: %v", res.Errors)
	}
	db, err := store.Open(ctx, t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.PutLocation(ctx, store.Location{ID: "shop", URL: "https://github.com/acme/shop.git", Branch: "main", Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceLocation(ctx, "shop", store.Snapshot{Commit: "c1", Entities: res.Entities, Edges: res.Edges}, time.Unix(1e9, 0)); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestAnalyzeLocation checks what only Callboard answers: a repository
// whose entities the store holds; TestAnalyzeAgainstBackstage the rest.
func TestAnalyzeLocation(t *testing.T) {
	t.Parallel()
	h := New(analyzeStore(t), Options{Log: quiet})
	// existing is the answer listing the files and entity names given.
	existing := func(fileNames ...string) any {
		var out []any
		for i := 0; i < len(fileNames); i += 2 {
			out = append(out, map[string]any{
				"location":     map[string]any{"type": "url", "target": "https://github.com/acme/shop/blob/main/" + fileNames[i]},
				"isRegistered": true,
				"entity":       fileNames[i+1],
			})
		}
		return map[string]any{"existingEntityFiles": out, "generateEntities": []any{}}
	}
	generated := func(name string, annotations map[string]any) any {
		md := map[string]any{"name": name}
		if annotations != nil {
			md["annotations"] = annotations
		}
		return map[string]any{"existingEntityFiles": []any{}, "generateEntities": []any{map[string]any{
			"entity": map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": md,
				"spec": map[string]any{"type": "other", "lifecycle": "unknown"}},
			"fields": []any{},
		}}}
	}
	inputError := func(msg string) any {
		return map[string]any{"error": map[string]any{"name": "InputError", "message": msg}}
	}
	tests := []struct {
		name, body string
		status     int
		want       any
	}{
		{"a registered repository", `{"location":{"type":"url","target":"https://github.com/acme/shop"}}`, 200,
			existing("api/catalog-info.yaml", "shop-api", "catalog-info.yaml", "shop", "catalog-info.yaml", "shop-more")},
		{"a file of it, other case", `{"location":{"type":"url","target":"https://github.com/Acme/Shop/blob/main/catalog-info.yaml"}}`, 200,
			existing("api/catalog-info.yaml", "shop-api", "catalog-info.yaml", "shop", "catalog-info.yaml", "shop-more")},
		{"another file name", `{"location":{"type":"url","target":"https://github.com/acme/shop"},"catalogFilename":"other.yaml"}`, 200,
			existing("docs/other.yaml", "shop-docs")},
		{"another branch", `{"location":{"type":"url","target":"https://github.com/acme/shop/tree/dev"}}`, 200,
			generated("shop", map[string]any{"github.com/project-slug": "acme/shop"})},
		// Backstage answers a SyntaxError from express.json; Callboard
		// answers bad JSON as its other routes do.
		{"not JSON", `{`, 400, inputError("request/body must be object")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/analyze-location", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(rec, req)
			var got map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("%d %s: %v", rec.Code, rec.Body.String(), err)
			}
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			delete(got, "request")
			delete(got, "response")
			// An existing entity is compared by its name alone.
			if files, ok := got["existingEntityFiles"].([]any); ok {
				for _, f := range files {
					f := f.(map[string]any)
					f["entity"] = f["entity"].(map[string]any)["metadata"].(map[string]any)["name"]
				}
			}
			if diff := cmp.Diff(normalJSON(t, tc.want), got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// normalJSON is v as a JSON round trip gives it, so nil lists compare.
func normalJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAnalyzeAgainstBackstage replays the answers of Backstage's own
// router, request checks and analyzer (testdata/analyze-peer.jsonl,
// recorded by conformance/catalogapi/analyze.cjs) against a store holding
// none of the repositories asked about.
func TestAnalyzeAgainstBackstage(t *testing.T) {
	t.Parallel()
	db, err := store.Open(context.Background(), t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := New(db, Options{Log: quiet})
	cases, err := jsonl.Read[struct {
		Body     string         `json:"body"`
		Status   int            `json:"status"`
		Response map[string]any `json:"response"`
	}]("testdata/analyze-peer.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 20 {
		t.Fatalf("%d recorded cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.Body, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/analyze-location", strings.NewReader(tc.Body))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(rec, req)
			var got map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("%d %s: %v", rec.Code, rec.Body.String(), err)
			}
			delete(got, "request")
			delete(got, "response")
			if rec.Code != tc.Status {
				t.Errorf("status %d, want %d", rec.Code, tc.Status)
			}
			if diff := cmp.Diff(tc.Response, got); diff != "" {
				t.Errorf("answer (-Backstage +Callboard):\n%s", diff)
			}
		})
	}
}
