package catalog

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A file reprocessed alone gives what Process gave of it within the whole
// run, and the entry it returns decodes to the same outcome, entities
// reduced to their refs.
func TestReprocess(t *testing.T) {
	t.Parallel()
	twice := strings.Replace(component, "payments", "alpha", 1) + "---\n" + strings.Replace(strings.Replace(component, "payments", "alpha", 1), "production", "experimental", 1)
	files := &hashedFiles{reads: map[string]int{}, MapFiles: MapFiles{
		"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./*.yaml]}\n",
		"one.yaml":          strings.Replace(component, "payments", "one", 1),
		"twice.yaml":        twice,
		"broken.yaml":       "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: broken}\nspec: {type: service}\n---\n[not, an, entity]\n",
		"api.yaml":          "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: api}\nspec: {type: openapi, lifecycle: production, owner: t, definition: {$text: ./openapi.txt}}\n",
		"openapi.txt":       "openapi: 3.0.0\n",
		"syntax.yaml":       "kind: [\n",
	}}
	cache := NewFileCache()
	ctx := context.Background()
	res := Process(ctx, files, Options{Cache: cache}, "catalog-info.yaml")
	states := map[string][]byte{}
	for _, f := range cache.Used() {
		states[f.File] = f.Data
	}
	for _, file := range []string{"one.yaml", "twice.yaml", "broken.yaml", "api.yaml", "syntax.yaml"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			locs := [2]string{"file:" + file, "file:catalog-info.yaml"}
			got, cached := Reprocess(ctx, files, Options{}, file, locs)
			var want FileOutcome
			for _, p := range res.Entities {
				if p.Source.File == file {
					want.Entities = append(want.Entities, p)
					want.Refs = append(want.Refs, p.Entity.Ref().String())
				}
			}
			for _, e := range res.Errors {
				if e.File == file {
					want.Errors = append(want.Errors, e)
				}
			}
			for _, v := range res.Verdicts {
				if v.Source.File == file && !v.Valid() && v.Ref != "" {
					want.Refs = append(want.Refs, v.Ref)
				}
			}
			for _, e := range res.Edges {
				for _, p := range want.Entities {
					if e.Source == p.Entity.Ref() || e.Target == p.Entity.Ref() {
						want.Edges = append(want.Edges, e)
						break
					}
				}
			}
			sortOutcome := cmp.Transformer("refs", func(o FileOutcome) FileOutcome {
				o.Entities = nil // compared by ref
				return o
			})
			if diff := cmp.Diff(want, got, sortOutcome, cmp.Comparer(func(a, b Error) bool { return a.Error() == b.Error() })); diff != "" {
				t.Errorf("outcome (-Process +Reprocess):\n%s", diff)
			}
			if len(got.Entities) != len(want.Entities) {
				t.Errorf("%d entities, Process accepted %d", len(got.Entities), len(want.Entities))
			}
			if file == "api.yaml" && !cmp.Equal(cached.Deps, []string{"openapi.txt"}) {
				t.Errorf("deps %v, want [openapi.txt]", cached.Deps)
			}
			if cached.Data == nil {
				t.Fatal("no cache entry")
			}
			if !cmp.Equal(cached.Data, states[file]) {
				t.Error("the entry differs from the one Process cached")
			}
			st, err := DecodeFileState(cached.Data)
			if err != nil {
				t.Fatal(err)
			}
			if st.Locs() != locs {
				t.Errorf("locs %v, want %v", st.Locs(), locs)
			}
			if diff := cmp.Diff(got.Refs, st.Outcome().Refs); diff != "" {
				t.Errorf("decoded refs (-reprocessed +decoded):\n%s", diff)
			}
		})
	}
}
