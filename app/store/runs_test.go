package store

import (
	"context"
	"errors"
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
		if r, ok, err := db.Run(ctx, fmt.Sprintf("%04d", maxRuns+4)); err != nil || !ok || string(r) != `{"n":"updated"}` {
			t.Errorf("Run = %s, %v, %v", r, ok, err)
		}
		for _, gone := range []string{"0000", "nope"} {
			if r, ok, err := db.Run(ctx, gone); err != nil || ok {
				t.Errorf("Run(%s) = %s, %v, %v", gone, r, ok, err)
			}
		}
		stop := errors.New("stop")
		n := 0
		if err := db.Runs(ctx, func([]byte) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("Runs stopped by fn: %v after %d", err, n)
		}
	})
}
