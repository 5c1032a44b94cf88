package catalogquery

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
)

var quiet = slog.New(slog.DiscardHandler)

func entity(t testing.TB, doc string) catalog.Processed {
	t.Helper()
	var e catalog.Entity
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		t.Fatal(err)
	}
	return catalog.Processed{Entity: e, Source: catalog.Source{File: "catalog-info.yaml", Line: 1}}
}

// twoLocations is a store of two locations; b's component states a
// relation to a's group, so a's group gets ownerOf from b.
func twoLocations(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := store.Snapshot{Commit: "a1", Entities: []catalog.Processed{
		entity(t, `{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"team-a","namespace":"default"},"spec":{"type":"team","children":[]}}`),
		entity(t, `{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"Payments","namespace":"default","tags":["Java","pci"],"annotations":{"github.com/project-slug":"acme/payments"}},"spec":{"type":"service","owner":"team-a","lifecycle":"production"}}`),
	}}
	b := store.Snapshot{Commit: "b1", Entities: []catalog.Processed{
		entity(t, `{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"web","namespace":"default","tags":["go"]},"spec":{"type":"website","owner":"team-a","lifecycle":"experimental"}}`),
		entity(t, `{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"long","namespace":"other","description":"x"},"spec":{"type":"library","owner":"team-a"}}`),
	}, Edges: []catalog.Edge{
		{Source: catalog.Ref{Kind: "component", Namespace: "default", Name: "web"}, Type: "ownedBy", Target: catalog.Ref{Kind: "group", Namespace: "default", Name: "team-a"}},
		{Source: catalog.Ref{Kind: "group", Namespace: "default", Name: "team-a"}, Type: "ownerOf", Target: catalog.Ref{Kind: "component", Namespace: "default", Name: "web"}},
	}}
	for id, snap := range map[string]store.Snapshot{"a": a, "b": b} {
		if err := db.PutLocation(ctx, store.Location{ID: id, URL: "/repo/" + id, Path: "catalog-info.yaml"}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceLocation(ctx, id, snap, time.Unix(1e9, 0)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func refsOf(hits []Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.Ref)
	}
	return out
}

func TestMatch(t *testing.T) {
	t.Parallel()
	db := twoLocations(t)
	v, err := New(db, nil, quiet).Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		filters []string
		want    []string
	}{
		{"no filter", nil, []string{"component:default/payments", "component:default/web", "component:other/long", "group:default/team-a"}},
		{"kind in any case", []string{"KIND=component"}, []string{"component:default/payments", "component:default/web", "component:other/long"}},
		{"conditions are all required", []string{"kind=component,spec.type=service"}, []string{"component:default/payments"}},
		{"filters are alternatives", []string{"spec.type=service", "spec.type=website"}, []string{"component:default/payments", "component:default/web"}},
		{"a repeated key takes any of its values", []string{"spec.type=service,spec.type=library"}, []string{"component:default/payments", "component:other/long"}},
		{"an array item", []string{"metadata.tags=java"}, []string{"component:default/payments"}},
		{"an array item as a key", []string{"metadata.tags.pci=true"}, []string{"component:default/payments"}},
		{"existence", []string{"metadata.annotations.github.com/project-slug"}, []string{"component:default/payments"}},
		{"an annotation's value", []string{"metadata.annotations.github.com/project-slug=ACME/payments"}, []string{"component:default/payments"}},
		{"a relation another location stated", []string{"relations.ownerof=component:default/web"}, []string{"group:default/team-a"}},
		{"a relation type in any case", []string{"relations.OwnedBy"}, []string{"component:default/web"}},
		{"the default namespace", []string{"metadata.namespace=default,kind=group"}, []string{"group:default/team-a"}},
		{"no such key", []string{"spec.nothing"}, []string{}},
		{"an empty value matches nothing here", []string{"spec.type="}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := ParseFilters(tc.filters)
			if err != nil {
				t.Fatal(err)
			}
			m := v.Match(Query{Filter: f})
			if diff := cmp.Diff(tc.want, refsOf(m.Entities(nil, 0, m.Count()))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFilters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      []string
		want    *Filter
		wantErr bool
	}{
		{in: nil, want: nil},
		{in: []string{" , ,"}, want: nil},
		{in: []string{"Kind=Component, spec.type = Service"}, want: &Filter{AnyOf: [][]Condition{{{Key: "kind", Values: []string{"component"}}, {Key: "spec.type", Values: []string{"service"}}}}}},
		{in: []string{"a", "b=1,b=2"}, want: &Filter{AnyOf: [][]Condition{{{Key: "a"}}, {{Key: "b", Values: []string{"1", "2"}}}}}},
		{in: []string{"a=x=y"}, want: &Filter{AnyOf: [][]Condition{{{Key: "a", Values: []string{"x=y"}}}}}},
		{in: []string{"=x"}, wantErr: true},
		{in: []string{"kind=a,=x"}, wantErr: true},
	}
	for _, tc := range tests {
		got, err := ParseFilters(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("%q: err %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestFields(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := json.Unmarshal([]byte(`{"kind":"Component","metadata":{"name":"X","tags":["Go","go"],"uid":"ignored"},"spec":{"n":3,"ok":true,"none":null,"long":"`+string(slices.Repeat([]byte("a"), 201))+`"},"relations":[{"type":"x"}]}`), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range Fields(doc, "u1") {
		v := f.Value
		if f.Null {
			v = "<null>"
		}
		got[f.Key] = append(got[f.Key], v)
	}
	for k := range got {
		slices.Sort(got[k])
	}
	want := map[string][]string{
		"kind": {"component"}, "metadata.name": {"x"}, "metadata.namespace": {"<null>", "default"}, "metadata.uid": {"u1"},
		"metadata.tags": {"go"}, "metadata.tags.go": {"true"},
		"spec.n": {"3"}, "spec.ok": {"true"}, "spec.none": {"<null>"}, "spec.long": {"<null>"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRefresh checks that a location's change reaches the index, and
// that an unchanged store keeps the same view.
func TestRefresh(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := twoLocations(t)
	idx := New(db, nil, quiet)
	v1, err := idx.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v2, _ := idx.Refresh(ctx); v2 != v1 {
		t.Error("an unchanged store made a new view")
	}
	if diff := cmp.Diff([]store.Relation{{Type: "ownedBy", Target: "group:default/team-a"}}, v1.Relations("component:default/web")); diff != "" {
		t.Errorf("relations kept for answers (-want +got):\n%s", diff)
	}
	snap := store.Snapshot{Commit: "b2", Entities: []catalog.Processed{
		entity(t, `{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"web","namespace":"default"},"spec":{"type":"service"}}`),
	}}
	if err := db.ReplaceLocation(ctx, "b", snap, time.Unix(2e9, 0)); err != nil {
		t.Fatal(err)
	}
	v3, err := idx.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := ParseFilters([]string{"spec.type=service"})
	m := v3.Match(Query{Filter: f})
	if diff := cmp.Diff([]string{"component:default/payments", "component:default/web"}, refsOf(m.Entities(nil, 0, 10))); diff != "" {
		t.Errorf("after the change (-want +got):\n%s", diff)
	}
	if m := v3.Match(Query{Filter: &Filter{AnyOf: [][]Condition{{{Key: "relations.ownerof"}}}}}); m.Count() != 0 {
		t.Errorf("%d entities keep a relation the new set dropped", m.Count())
	}
	if rels := v3.Relations("component:default/web"); len(rels) != 0 {
		t.Errorf("relations the new set dropped kept for answers: %v", rels)
	}
}

// TestRefreshFields: a view for fields alone reads no relation, answers
// field filters as a whole one does, and a Refresh after it reads the
// relations without rebuilding the fields.
func TestRefreshFields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	idx := New(twoLocations(t), nil, quiet)
	fields, err := idx.RefreshFields(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rels := fields.Relations("component:default/web"); rels != nil {
		t.Errorf("a fields view holds relations: %v", rels)
	}
	f, _ := ParseFilters([]string{"spec.type=website"})
	if got := refsOf(fields.Match(Query{Filter: f}).Entities(nil, 0, 10)); !slices.Equal(got, []string{"component:default/web"}) {
		t.Errorf("a field filter on a fields view: %v", got)
	}
	if again, _ := idx.RefreshFields(ctx); again != fields {
		t.Error("an unchanged store made a new fields view")
	}
	whole, err := idx.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Relation{{Type: "ownedBy", Target: "group:default/team-a"}}, whole.Relations("component:default/web")); diff != "" {
		t.Errorf("relations after Refresh (-want +got):\n%s", diff)
	}
	if whole.segs[0] != fields.segs[0] || fields.Relations("component:default/web") != nil {
		t.Error("Refresh rebuilt the fields, or changed the view queries hold")
	}
	if again, _ := idx.RefreshFields(ctx); again != whole {
		t.Error("RefreshFields after Refresh dropped the relations read")
	}
}

func FuzzParseFilters(f *testing.F) {
	for _, s := range []string{"kind=component,spec.type=service", "a", "=x", ",,", "a=b=c, d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseFilters([]string{s})
		if err != nil || got == nil {
			return
		}
		for _, all := range got.AnyOf {
			for _, c := range all {
				if c.Key == "" {
					t.Fatalf("%q: a condition without a key", s)
				}
			}
		}
	})
}
