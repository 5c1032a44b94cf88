package catalogapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/urlfetch"
	"github.com/google/go-cmp/cmp"
)

// A repository the store does not hold is read (shallow, from a git
// http-backend on loopback) as Backstage's SCM analyzers read it: its
// catalog files named catalogFilename under the target are existing and
// not registered, each entity with the annotations Backstage's dry run
// gives it; a repository without one, one that cannot be read and a host
// the user reads nothing from get the Component Backstage proposes.
func TestAnalyzeRepositoryNotHeld(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	var requests atomic.Int64
	upstream, _ := url.Parse(gittest.HTTPBackend(t, root, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		requests.Add(1)
		next.ServeHTTP(w, r)
	}))
	srv := httptest.NewServer(httputil.NewSingleHostReverseProxy(upstream))
	t.Cleanup(srv.Close)
	os.MkdirAll(filepath.Join(root, "org"), 0o755)
	for name, files := range map[string]map[string][]byte{
		"shop": {
			"catalog-info.yaml":     []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: shop}\nspec: {type: service, owner: team-a, lifecycle: production}\n"),
			"api/catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: shop-api}\nspec: {type: openapi, owner: team-a, lifecycle: production, definition: x}\n"),
			"README.md":             []byte("# shop\n"),
		},
		"bare": {"README.md": []byte("# nothing to see\n")},
	} {
		src := gittest.New(t)
		src.Commit("first", files)
		gittest.Git(t, root, "clone", "-q", "--bare", src.Dir, filepath.Join(root, "org", name+".git"))
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	db, err := store.Open(context.Background(), t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fetches := urlfetch.New(urlfetch.Options{Dir: t.TempDir(), Credentials: gitfetch.Credentials{}, Log: quiet,
		Allowed: func(_ context.Context, h string) (bool, error) { return h == host, nil }})
	h := New(db, Options{Repos: fetches, Log: quiet})

	shop := func(file, name, kind string) map[string]any {
		target := srv.URL + "/org/shop/blob/main/" + file
		folder := target[:strings.LastIndex(target, "/")+1]
		return map[string]any{
			"location":     map[string]any{"type": "url", "target": target},
			"isRegistered": false,
			"entity": map[string]any{"kind": kind, "name": name, "annotations": map[string]any{
				"backstage.io/managed-by-location":        "url:" + target,
				"backstage.io/managed-by-origin-location": "url:" + target,
				"backstage.io/view-url":                   target,
				"backstage.io/edit-url":                   strings.Replace(target, "/blob/", "/edit/", 1),
				"backstage.io/source-location":            "url:" + folder,
			}},
		}
	}
	proposed := func(name string) map[string]any {
		return map[string]any{"existingEntityFiles": []any{}, "generateEntities": []any{map[string]any{
			"entity": map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": map[string]any{"name": name},
				"spec": map[string]any{"type": "other", "lifecycle": "unknown"}},
			"fields": []any{},
		}}}
	}
	existing := func(files ...any) map[string]any {
		return map[string]any{"existingEntityFiles": files, "generateEntities": []any{}}
	}
	tests := []struct {
		name, target, file string
		want               map[string]any
	}{
		{"the repository's root", srv.URL + "/org/shop/tree/main", "",
			existing(shop("api/catalog-info.yaml", "shop-api", "API"), shop("catalog-info.yaml", "shop", "Component"))},
		{"a folder", srv.URL + "/org/shop/tree/main/api", "", existing(shop("api/catalog-info.yaml", "shop-api", "API"))},
		{"the file", srv.URL + "/org/shop/blob/main/catalog-info.yaml", "", existing(shop("catalog-info.yaml", "shop", "Component"))},
		{"another file name", srv.URL + "/org/shop/tree/main", "README.md", proposed("shop")},
		{"no catalog file", srv.URL + "/org/bare/tree/main", "", proposed("bare")},
		{"no such repository", srv.URL + "/org/gone/tree/main", "", proposed("gone")},
		{"a host not allowed", "https://github.com/acme/private", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := requests.Load()
			body := `{"location":{"type":"url","target":"` + tc.target + `"}`
			if tc.file != "" {
				body += `,"catalogFilename":"` + tc.file + `"`
			}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/analyze-location", strings.NewReader(body+"}"))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(rec, req)
			var got map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
				t.Fatalf("%d %s: %v", rec.Code, rec.Body.String(), err)
			}
			if tc.want == nil {
				if requests.Load() != before || len(got["existingEntityFiles"].([]any)) != 0 {
					t.Errorf("a host not allowed: %v, asked the git server %d times", got, requests.Load()-before)
				}
				return
			}
			for _, f := range got["existingEntityFiles"].([]any) {
				f := f.(map[string]any)
				e := f["entity"].(map[string]any)
				md := e["metadata"].(map[string]any)
				f["entity"] = map[string]any{"kind": e["kind"], "name": md["name"], "annotations": md["annotations"]}
			}
			if diff := cmp.Diff(normalJSON(t, tc.want), got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}
