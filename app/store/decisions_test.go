package store

import (
	"context"
	"fmt"
	"testing"
)

func TestDecisions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backends(t, func(t *testing.T, db *DB) {
		if _, ok, err := db.DecisionState(ctx, "loc"); ok || err != nil {
			t.Fatalf("state before any write: ok %v, err %v", ok, err)
		}
		var put []Decision
		for i := range decisionBatch + 3 { // more than one transaction
			put = append(put, Decision{EntityRef: "component:default/a", File: fmt.Sprintf("%04d-x.md", i), Title: "T", Body: "body"})
		}
		if err := db.PutDecisions(ctx, "loc", "c1", put); err != nil {
			t.Fatal(err)
		}
		if err := db.PutDecisions(ctx, "other", "c9", put[:1]); err != nil {
			t.Fatal(err)
		}
		next := append([]Decision{{EntityRef: "component:default/b", File: "0001-y.md", Title: "B"}}, put[2:]...)
		next[1].Title = "New"
		if err := db.PutDecisions(ctx, "loc", "c2", next); err != nil {
			t.Fatal(err)
		}
		var got []Decision
		if err := db.Decisions(ctx, "loc", false, func(r Decision) { got = append(got, r) }); err != nil {
			t.Fatal(err)
		}
		if len(got) != decisionBatch+2 || got[0].File != "0002-x.md" || got[0].Title != "New" || got[0].Body != "" || got[0].LocationID != "loc" ||
			got[len(got)-1].EntityRef != "component:default/b" {
			t.Errorf("got %d records, first %+v, last %+v", len(got), got[0], got[len(got)-1])
		}
		if st, ok, err := db.DecisionState(ctx, "loc"); !ok || err != nil || st.Commit != "c2" {
			t.Errorf("state %+v, ok %v, err %v", st, ok, err)
		}
		if r, ok, err := db.Decision(ctx, "loc", "component:default/a", "0003-x.md"); !ok || err != nil || r.Body != "body" {
			t.Errorf("Decision = %+v, %v, %v", r, ok, err)
		}
		if _, ok, err := db.Decision(ctx, "loc", "component:default/a", "0000-x.md"); ok || err != nil {
			t.Errorf("a record gone: ok %v, err %v", ok, err)
		}
		n := 0
		if err := db.Decisions(ctx, "other", true, func(Decision) { n++ }); err != nil || n != 1 {
			t.Errorf("other location has %d records (%v)", n, err)
		}
	})
}
