package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fixture(t testing.TB) *Index {
	t.Helper()
	x, fresh, err := Open(filepath.Join(t.TempDir(), "search"))
	if err != nil {
		t.Fatal(err)
	}
	if !fresh {
		t.Fatal("a new index is not fresh")
	}
	t.Cleanup(func() { x.Close() })
	e := func(kind, name, title, desc string, tags ...string) Doc {
		ref := strings.ToLower(kind) + ":default/" + name
		return Doc{ID: "entity:" + ref, Type: TypeEntity, Ref: ref, Location: "loc", Kind: kind, Name: name, Title: title, Description: desc, Tags: tags,
			Owner: "group:default/team-a", EntityType: "service", Lifecycle: "production"}
	}
	docs := []Doc{
		e("Component", "payments", "Payments", "Takes money from travellers", "go"),
		e("Component", "payments-gateway", "Payments gateway", "Talks to the card processor", "go", "pci"),
		e("Component", "ledger", "Ledger", "Keeps the books of every payment"),
		e("API", "payments-api", "Payments API", "REST API for payments", "openapi"),
		e("Component", "timetable-service", "Timetable service", "Publishes sailing times"),
		e("Component", "crew-roster", "Crew roster", "Who sails when", "kotlin"),
		e("Group", "team-harbour", "Team Harbour", "Owns bookings and payments"),
		{ID: "docs:component:default/ledger#reconciling", Type: TypeDocs, Ref: "component:default/ledger", Location: "loc", Kind: "Component", Name: "ledger",
			Title: "Reconciling the ledger", Headings: "Reconciling", Body: "At the end of each day the ledger is reconciled against the bank statements.", Path: "ops/reconcile#reconciling"},
		// A docs site's first page is usually titled as its entity, and
		// says its name many times.
		{ID: "docs:component:default/timetable-service#index", Type: TypeDocs, Ref: "component:default/timetable-service", Location: "loc", Kind: "Component",
			Name: "timetable-service", Title: "Timetable service", Headings: "Timetable service", Body: "The timetable service publishes sailing times. Timetable service runbook.", Path: "index#timetable-service"},
		{ID: "template:template:default/go-service", Type: TypeTemplate, Ref: "template:default/go-service", Location: "loc", Kind: "Template", Name: "go-service",
			Title: "Go service", Description: "A new Go service with CI", Tags: []string{"go"}},
	}
	if err := x.Apply(context.Background(), docs, nil); err != nil {
		t.Fatal(err)
	}
	return x
}

func names(r Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Name+"/"+h.Type)
	}
	return out
}

func TestRelevance(t *testing.T) {
	t.Parallel()
	x := fixture(t)
	tests := []struct {
		query string
		first string // the top hit
		has   string // among the hits
	}{
		{"payments", "payments/entity", "payments-gateway/entity"},
		{"payments gateway", "payments-gateway/entity", ""},
		{"payments-api", "payments-api/entity", ""},
		{"paym", "payments/entity", "payments-api/entity"},                          // prefix while typing
		{"timetabel", "timetable-service/entity", ""},                               // one typo
		{"timetable service", "timetable-service/entity", "timetable-service/docs"}, // the entity above its docs
		{"timetable-service", "timetable-service/entity", ""},
		{"ledgr", "ledger/entity", ""},                           // one typo, short word
		{"reconciled", "ledger/docs", ""},                        // docs body, stemmed
		{"kotlin", "crew-roster/entity", ""},                     // a tag
		{"go service", "go-service/template", "payments/entity"}, // template by name, entities by tag
		{"card processor", "payments-gateway/entity", ""},        // description
	}
	for _, tt := range tests {
		r, err := x.Search(context.Background(), Query{Text: tt.query, Limit: 10})
		if err != nil {
			t.Fatalf("%q: %v", tt.query, err)
		}
		got := names(r)
		if len(got) == 0 || got[0] != tt.first {
			t.Errorf("%q: top hit %v, want %s first", tt.query, got, tt.first)
		}
		if tt.has != "" && !strings.Contains(strings.Join(got, " "), tt.has) {
			t.Errorf("%q: hits %v lack %s", tt.query, got, tt.has)
		}
	}
}

func TestFiltersAndFacets(t *testing.T) {
	t.Parallel()
	x := fixture(t)
	r, err := x.Search(context.Background(), Query{Text: "go", Types: []string{TypeEntity}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range r.Hits {
		if h.Type != TypeEntity {
			t.Errorf("type filter let %s through", h.ID)
		}
	}
	all, _ := x.Search(context.Background(), Query{Text: "go", Limit: 10, Facets: true})
	types := map[string]int{}
	for _, c := range all.Facets["type"] {
		types[c.Value] = c.Count
	}
	if types[TypeEntity] != 2 || types[TypeTemplate] != 1 {
		t.Errorf("type facet = %v", all.Facets["type"])
	}
	k, _ := x.Search(context.Background(), Query{Text: "payments", Kinds: []string{"api"}, Limit: 10})
	if got := names(k); len(got) != 1 || got[0] != "payments-api/entity" {
		t.Errorf("kind filter: %v", got)
	}
	tag, _ := x.Search(context.Background(), Query{Tags: []string{"PCI"}, Limit: 10})
	if got := names(tag); len(got) != 1 || got[0] != "payments-gateway/entity" {
		t.Errorf("tag filter, any case: %v", got)
	}
}

// Whatever is typed returns results or none, never an error.
func TestHostileQueries(t *testing.T) {
	t.Parallel()
	x := fixture(t)
	for _, q := range []string{
		`payments AND ledger`, `"payments`, `+kind:api -name:*`, `name:payments^10`, `(((`, `*`, `?`, `~~~`, `\`, `/regex.*/`,
		"ペイメント", "päyments", "💳", strings.Repeat("payments ", 2000), strings.Repeat("x", 10000), "!@#$%^&*()", "   ", "",
	} {
		r, err := x.Search(context.Background(), Query{Text: q, Limit: 5})
		if err != nil {
			t.Errorf("%.40q: %v", q, err)
		}
		if len(r.Hits) > 5 {
			t.Errorf("%.40q: %d hits for limit 5", q, len(r.Hits))
		}
	}
}

func TestApplyUpdatesAndDeletes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	x := fixture(t)
	renamed := Doc{ID: "entity:component:default/ledger", Type: TypeEntity, Ref: "component:default/ledger", Location: "loc", Kind: "Component", Name: "ledger", Title: "General ledger", Description: "Double-entry bookkeeping"}
	if err := x.Apply(ctx, []Doc{renamed}, []string{"entity:component:default/crew-roster"}); err != nil {
		t.Fatal(err)
	}
	if r, _ := x.Search(ctx, Query{Text: "bookkeeping"}); len(r.Hits) != 1 {
		t.Errorf("the updated description is not found: %v", names(r))
	}
	if r, _ := x.Search(ctx, Query{Text: "kotlin"}); len(r.Hits) != 0 {
		t.Errorf("a deleted entity is still found: %v", names(r))
	}
	ids, err := x.IDsOf(ctx, "loc")
	if err != nil || len(ids) != 9 {
		t.Errorf("IDsOf = %d ids, %v", len(ids), err)
	}
}

func TestReopenAndRebuild(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "search")
	x, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	x.Apply(context.Background(), []Doc{{ID: "a", Type: TypeEntity, Name: "alpha", Location: "loc"}}, nil)
	x.SetMark("loc", "7")
	x.Close()
	y, fresh, err := Open(dir)
	if err != nil || fresh {
		t.Fatalf("reopen: fresh %v, %v", fresh, err)
	}
	if n, _ := y.Count(); n != 1 || y.Mark("loc") != "7" {
		t.Errorf("after reopening: %d docs, mark %q", n, y.Mark("loc"))
	}
	y.Close()
	// A damaged index is made again, empty.
	if err := writeGarbage(dir); err != nil {
		t.Fatal(err)
	}
	z, fresh, err := Open(dir)
	if err != nil || !fresh {
		t.Fatalf("a damaged index: fresh %v, %v", fresh, err)
	}
	z.Close()
}

func writeGarbage(dir string) error {
	return writeFile(filepath.Join(dir, "index_meta.json"), fmt.Sprintf("{not json %d", 1))
}

func writeFile(name, text string) error { return os.WriteFile(name, []byte(text), 0o644) }
