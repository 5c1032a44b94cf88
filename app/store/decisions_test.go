package store

import (
	"context"
	"fmt"
	"strings"
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
			// Bodies large enough that the set needs several transactions.
			put = append(put, Decision{EntityRef: "component:default/a", File: fmt.Sprintf("%04d-x.md", i), Title: "T", Body: "body" + strings.Repeat(".", 10<<10)})
		}
		big := DecisionFolder{EntityRef: "component:default/a", Dir: "d", Problems: []DecisionProblem{{File: "9999-y.md", Message: "refused"}}}
		for _, r := range put {
			big.Items = append(big.Items, DecisionSummary{File: r.File, Title: r.Title})
		}
		if err := db.PutDecisions(ctx, "loc", "c1", put, []DecisionFolder{big}); err != nil {
			t.Fatal(err)
		}
		if f, ok, err := db.DecisionFolder(ctx, "loc", "component:default/a"); !ok || err != nil || f.Dir != "d" || len(f.Items) != len(put) ||
			f.Items[len(put)-1].File != put[len(put)-1].File || len(f.Problems) != 1 {
			t.Fatalf("DecisionFolder: %d items, problems %v, ok %v, err %v", len(f.Items), f.Problems, ok, err)
		}
		var lists []DecisionFolder
		if err := db.DecisionFolders(ctx, "loc", func(f DecisionFolder) { lists = append(lists, f) }); err != nil {
			t.Fatal(err)
		}
		if len(lists) != 1 || len(lists[0].Items) != len(put) || len(lists[0].Problems) != 1 || lists[0].Problems[0].File != "9999-y.md" {
			t.Fatalf("DecisionFolders: %d lists, %+v", len(lists), lists)
		}
		if err := db.PutDecisions(ctx, "loc", "c1", put, []DecisionFolder{{EntityRef: "component:default/a", Dir: "d", Items: []DecisionSummary{{File: "0000-x.md"}}}}); err != nil {
			t.Fatal(err)
		}
		if err := db.PutDecisions(ctx, "other", "c9", put[:1], nil); err != nil {
			t.Fatal(err)
		}
		next := append([]Decision{{EntityRef: "component:default/b", File: "0001-y.md", Title: "B"}}, put[2:]...)
		next[1].Title = "New"
		if err := db.PutDecisions(ctx, "loc", "c2", next, []DecisionFolder{{EntityRef: "component:default/b", Items: []DecisionSummary{{File: "0001-y.md"}}}}); err != nil {
			t.Fatal(err)
		}
		var got []Decision
		if err := db.Decisions(ctx, "loc", func(r Decision) { got = append(got, r) }); err != nil {
			t.Fatal(err)
		}
		if len(got) != decisionBatch+2 || got[0].File != "0002-x.md" || got[0].Title != "New" || !strings.HasPrefix(got[0].Body, "body") || got[0].LocationID != "loc" ||
			got[len(got)-1].EntityRef != "component:default/b" {
			t.Errorf("got %d records, first %+v, last %+v", len(got), got[0], got[len(got)-1])
		}
		if st, ok, err := db.DecisionState(ctx, "loc"); !ok || err != nil || st.Commit != "c2" {
			t.Errorf("state %+v, ok %v, err %v", st, ok, err)
		}
		if r, ok, err := db.Decision(ctx, "loc", "component:default/a", "0003-x.md"); !ok || err != nil || !strings.HasPrefix(r.Body, "body") {
			t.Errorf("Decision = %+v, %v, %v", r, ok, err)
		}
		if _, ok, err := db.Decision(ctx, "loc", "component:default/a", "0000-x.md"); ok || err != nil {
			t.Errorf("a record gone: ok %v, err %v", ok, err)
		}
		if _, ok, err := db.DecisionFolder(ctx, "loc", "component:default/a"); ok || err != nil {
			t.Errorf("a folder gone: ok %v, err %v", ok, err)
		}
		if f, ok, err := db.DecisionFolder(ctx, "loc", "component:default/b"); !ok || err != nil || len(f.Items) != 1 || f.Items[0].File != "0001-y.md" {
			t.Errorf("DecisionFolder = %+v, %v, %v", f, ok, err)
		}
		lists = nil
		if err := db.DecisionFolders(ctx, "loc", func(f DecisionFolder) { lists = append(lists, f) }); err != nil || len(lists) != 1 || lists[0].EntityRef != "component:default/b" {
			t.Errorf("DecisionFolders after a replace: %+v (%v)", lists, err)
		}
		n := 0
		if err := db.Decisions(ctx, "other", func(Decision) { n++ }); err != nil || n != 1 {
			t.Errorf("other location has %d records (%v)", n, err)
		}
	})
}
