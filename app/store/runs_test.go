package store

import (
	"context"
	"fmt"
	"testing"
)

func TestRuns(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for i := range maxRuns + 5 {
			if err := db.PutRun(ctx, fmt.Sprintf("%04d", i), []byte(fmt.Sprintf(`{"n":%d}`, i))); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.PutRun(ctx, fmt.Sprintf("%04d", maxRuns+4), []byte(`{"n":"updated"}`)); err != nil {
			t.Fatal(err)
		}
		var got []string
		db.Runs(ctx, func(r []byte) error { got = append(got, string(r)); return nil })
		if len(got) != maxRuns || got[0] != `{"n":"updated"}` || got[len(got)-1] != `{"n":5}` {
			t.Errorf("%d runs, newest %s, oldest %s", len(got), got[0], got[len(got)-1])
		}
	})
}
