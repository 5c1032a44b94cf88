package listing

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
)

func rows() []store.Row {
	return []store.Row{
		{Ref: "component:default/payments", Kind: "Component", Namespace: "default", Name: "payments", Title: "Payments", Owner: "group:default/team-a", Type: "service", Lifecycle: "production", System: "system:default/checkout", Tags: []string{"go", "pci"}},
		{Ref: "component:default/ledger", Kind: "Component", Namespace: "default", Name: "ledger", Description: "Keeps the books", Owner: "group:default/team-b", Type: "service", Lifecycle: "experimental", Tags: []string{"go"}, Errors: true},
		{Ref: "component:default/web", Kind: "Component", Namespace: "default", Name: "web", Owner: "group:default/team-a", Type: "website", Lifecycle: "production", Tags: []string{"ts"}},
		{Ref: "api:default/payments-api", Kind: "API", Namespace: "default", Name: "payments-api", Owner: "group:default/team-a", Type: "openapi", Lifecycle: "production"},
		{Ref: "group:default/team-a", Kind: "Group", Namespace: "default", Name: "team-a", Type: "team"},
	}
}

func refs(p Page) []string {
	out := []string{}
	for _, r := range p.Rows {
		out = append(out, r.Ref)
	}
	return out
}

func TestQuery(t *testing.T) {
	t.Parallel()
	l := New()
	l.Replace("loc", rows())
	tests := []struct {
		name  string
		q     Query
		want  []string
		total int
	}{
		{"everything, kind then name", Query{Limit: 10}, []string{"api:default/payments-api", "component:default/ledger", "component:default/payments", "component:default/web", "group:default/team-a"}, 5},
		{"a kind, any case", Query{Facets: map[string][]string{"kind": {"COMPONENT"}}, Limit: 10}, []string{"component:default/ledger", "component:default/payments", "component:default/web"}, 3},
		{"values of one facet are alternatives", Query{Facets: map[string][]string{"type": {"website", "openapi"}}, Limit: 10}, []string{"api:default/payments-api", "component:default/web"}, 2},
		{"facets all apply", Query{Facets: map[string][]string{"kind": {"component"}, "lifecycle": {"production"}}, Limit: 10}, []string{"component:default/payments", "component:default/web"}, 2},
		{"a tag", Query{Facets: map[string][]string{"tag": {"go"}}, Limit: 10}, []string{"component:default/ledger", "component:default/payments"}, 2},
		{"an unknown value matches nothing", Query{Facets: map[string][]string{"owner": {"group:default/nobody"}}, Limit: 10}, []string{}, 0},
		{"text in the description", Query{Text: "BOOKS", Limit: 10}, []string{"component:default/ledger"}, 1},
		{"refs", Query{Refs: map[string]bool{"component:default/web": true}, Limit: 10}, []string{"component:default/web"}, 1},
		{"with errors", Query{Errors: true, Limit: 10}, []string{"component:default/ledger"}, 1},
		{"owned by", Query{OwnedBy: map[string]bool{"group:default/team-b": true, "user:default/me": true}, Limit: 10}, []string{"component:default/ledger"}, 1},
		{"sorted by owner, descending", Query{Facets: map[string][]string{"kind": {"component"}}, Sort: "owner", Desc: true, Limit: 10}, []string{"component:default/ledger", "component:default/web", "component:default/payments"}, 3},
		{"a page", Query{Offset: 1, Limit: 2}, []string{"component:default/ledger", "component:default/payments"}, 5},
		{"counts only", Query{}, []string{}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := l.Query(tt.q)
			if diff := cmp.Diff(tt.want, refs(p)); diff != "" || p.Total != tt.total {
				t.Errorf("rows (-want +got):\n%s\ntotal %d, want %d", diff, p.Total, tt.total)
			}
			// Refs: every matching row's, whatever the page.
			all := tt.q
			all.Offset, all.Limit = 0, len(rows())
			want := refs(l.Query(all))
			slices.Sort(want)
			got := l.Refs(tt.q)
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" || len(got) != tt.total {
				t.Errorf("Refs (-want +got):\n%s", diff)
			}
		})
	}
}

// A facet's counts ignore that facet's own filter, so the other values
// stay on offer; they honour every other filter.
func TestFacetCounts(t *testing.T) {
	t.Parallel()
	l := New()
	l.Replace("loc", rows())
	p := l.Query(Query{Facets: map[string][]string{"kind": {"component"}, "lifecycle": {"production"}}})
	want := map[string][]Count{
		"kind":      {{"component", 2}, {"api", 1}},
		"lifecycle": {{"production", 2}, {"experimental", 1}},
		"owner":     {{"group:default/team-a", 2}},
		"type":      {{"service", 1}, {"website", 1}},
		"tag":       {{"go", 1}, {"pci", 1}, {"ts", 1}},
		"namespace": {{"default", 2}},
		"system":    {{"system:default/checkout", 1}},
	}
	if diff := cmp.Diff(want, p.Facets); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
}

func TestReplaceAndRemoveLocations(t *testing.T) {
	t.Parallel()
	l := New()
	l.Replace("a", rows()[:2])
	l.Replace("b", rows()[2:])
	if l.Len() != 5 {
		t.Fatalf("Len = %d", l.Len())
	}
	l.Replace("a", rows()[:1])
	l.Remove("b")
	if got := refs(l.Query(Query{Limit: 10})); !slices.Equal(got, []string{"component:default/payments"}) {
		t.Errorf("after replace and remove: %v", got)
	}
	if r, ok := l.Get("component:default/payments"); !ok || r.LocationID != "a" {
		t.Errorf("Get = %+v, %v", r, ok)
	}
	if _, ok := l.Get("component:default/web"); ok {
		t.Error("a removed location's entity is still there")
	}
}

// synthetic is n rows shaped like the shared workload.
func synthetic(n int) []store.Row {
	kinds := []string{"Component", "API", "Resource", "System", "Group", "User"}
	types := []string{"service", "website", "library", "openapi", "database", "team"}
	out := make([]store.Row, n)
	for i := range out {
		k := kinds[i%len(kinds)]
		name := fmt.Sprintf("entity-%d", i)
		out[i] = store.Row{Ref: fmt.Sprintf("%s:default/%s", k, name), Kind: k, Namespace: "default", Name: name,
			Title: fmt.Sprintf("Entity %d", i), Description: fmt.Sprintf("Does thing number %d for the payments domain", i),
			Owner: fmt.Sprintf("group:default/team-%d", i%300), Type: types[i%len(types)], Lifecycle: []string{"production", "experimental", "deprecated"}[i%3],
			System: fmt.Sprintf("system:default/sys-%d", i%500), Tags: []string{fmt.Sprintf("tag-%d", i%50), "shared"}}
	}
	return out
}

// BenchmarkQuery: a page of rows with facet counts over 100,000 entities.
func BenchmarkQuery(b *testing.B) {
	l := New()
	l.Replace("bench", synthetic(100_000))
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"first-page", Query{Limit: 50}},
		{"kind+type", Query{Facets: map[string][]string{"kind": {"component"}, "type": {"service"}}, Limit: 50}},
		{"text", Query{Text: "thing number 4242", Limit: 50}},
		{"sorted-by-owner-deep-page", Query{Sort: "owner", Desc: true, Offset: 50_000, Limit: 50}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				l.Query(bc.q)
			}
		})
	}
}
