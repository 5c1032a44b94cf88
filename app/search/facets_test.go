package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"
)

// bleveFacets counts q's facets with bleve's own facet builder, the
// reference our columns must agree with.
func bleveFacets(t *testing.T, x *Index, q Query) (int, map[string][]Count) {
	t.Helper()
	req := bleve.NewSearchRequestOptions(searchQuery(q), 10, 0, false)
	for i, name := range facetNames {
		req.AddFacet(name, bleve.NewFacetRequest(facetFieldList[i], facetSize))
	}
	res, err := x.idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]Count{}
	for name, f := range res.Facets {
		var cs []Count
		for _, tf := range f.Terms.Terms() {
			cs = append(cs, Count{Value: tf.Term, Count: tf.Count})
		}
		out[name] = cs
	}
	return int(res.Total), out
}

// TestFacetsAsBleveCounts checks the facet columns against bleve's facet
// builder over an index of many segments, with documents replaced and
// deleted between batches and the index reopened.
func TestFacetsAsBleveCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "search")
	x, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	pick := func(vs ...string) string { return vs[r.IntN(len(vs))] }
	doc := func(i int) Doc {
		d := Doc{ID: fmt.Sprintf("entity:component:default/svc-%d", i), Type: pick(TypeEntity, TypeEntity, TypeTemplate, TypeDocs), Location: "loc",
			Kind: pick("Component", "API", "component", "Group", ""), Name: fmt.Sprintf("svc-%d", i), Title: pick("Payments", "Ledger", "Roster") + " service",
			Owner: pick("group:default/a", "group:default/b", "user:default/c", ""), EntityType: pick("service", "website", "library", ""),
			Lifecycle: pick("production", "experimental", "")}
		for range r.IntN(4) {
			d.Tags = append(d.Tags, pick("go", "java", "pci", "Go", "kotlin", "rust"))
		}
		// More owners than a facet lists, so the trim to facetSize is checked.
		if r.IntN(3) == 0 {
			d.Owner = fmt.Sprintf("group:default/team-%d", r.IntN(40))
		}
		return d
	}
	queries := []Query{{}, {Text: "payments"}, {Text: "svc"}, {Text: "ledger service"}, {Kinds: []string{"api"}}, {Tags: []string{"go"}, Text: "roster"},
		{Types: []string{TypeDocs, TypeTemplate}}, {Text: "nothing-like-it"}}
	check := func(stage string) {
		t.Helper()
		for _, q := range queries {
			q.Facets, q.Limit = true, 5
			got, err := x.Search(ctx, q)
			if err != nil {
				t.Fatalf("%s: %+v: %v", stage, q, err)
			}
			total, want := bleveFacets(t, x, q)
			if got.Total != total {
				t.Errorf("%s: %+v: total %d, bleve %d", stage, q, got.Total, total)
			}
			if diff := cmp.Diff(want, got.Facets); diff != "" {
				t.Errorf("%s: %+v: facets (-bleve +ours):\n%s", stage, q, diff)
			}
		}
	}
	for b := range 6 {
		var docs []Doc
		for i := range 200 {
			docs = append(docs, doc(b*150+i)) // overlapping ids: some replace documents of the batch before
		}
		var deletes []string
		for range 20 {
			deletes = append(deletes, fmt.Sprintf("entity:component:default/svc-%d", r.IntN(b*150+200)))
		}
		if err := x.Apply(ctx, docs, deletes); err != nil {
			t.Fatal(err)
		}
		// Counts read ahead of the search or by it must be the same.
		if b%2 == 0 {
			if err := x.WarmFacets(); err != nil {
				t.Fatal(err)
			}
		}
		check(fmt.Sprintf("batch %d", b))
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if x, _, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	check("reopened")
}
