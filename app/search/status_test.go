package search

import (
	"context"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// Decision records carry their status as a facet and a filter.
func TestDecisionStatusFacet(t *testing.T) {
	t.Parallel()
	x := fixture(t)
	ctx := context.Background()
	adr := func(file, title, status string) Doc {
		return Doc{ID: "adr:loc/component:default/ledger/" + file, Type: TypeDecision, Ref: "component:default/ledger", Location: "adrs:loc",
			Name: file, Title: title, Status: status, Body: "We decided about the ledger.", Path: "/entity/component:default/ledger/decisions?file=" + file}
	}
	docs := []Doc{adr("0001-a.md", "Use a ledger database", "accepted"), adr("0002-b.md", "Keep the ledger in Postgres", "superseded"),
		adr("0003-c.md", "Keep the ledger in CockroachDB", "accepted")}
	if err := x.Apply(ctx, docs, nil); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(ctx, Query{Text: "ledger", Types: []string{TypeDecision}, Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []Count{{"accepted", 2}, {"superseded", 1}}
	if d := gocmp.Diff(want, res.Facets["status"]); d != "" || res.Total != 3 {
		t.Errorf("%d hits; status facet (-want +got):\n%s", res.Total, d)
	}
	res, err = x.Search(ctx, Query{Text: "ledger", Statuses: []string{"superseded"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].Status != "superseded" || res.Hits[0].Name != "0002-b.md" {
		t.Errorf("filtered by status: %+v", res.Hits)
	}
}
