package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/google/go-cmp/cmp"
)

func TestRuns(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for i := range maxRuns + 5 {
			if err := db.PutRun(ctx, Run{ID: fmt.Sprintf("%04d", i), Title: fmt.Sprint(i)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.PutRun(ctx, Run{ID: fmt.Sprintf("%04d", maxRuns+4), Title: "updated"}); err != nil {
			t.Fatal(err)
		}
		var got []string
		db.Runs(ctx, func(r Run) error { got = append(got, r.Title); return nil })
		if len(got) != maxRuns || got[0] != "updated" || got[len(got)-1] != "5" {
			t.Errorf("%d runs, newest %s, oldest %s", len(got), got[0], got[len(got)-1])
		}
		if r, ok, err := db.Run(ctx, fmt.Sprintf("%04d", maxRuns+4)); err != nil || !ok || r.Title != "updated" || r.Format != runFormat {
			t.Errorf("Run = %+v, %v, %v", r, ok, err)
		}
		for _, gone := range []string{"0000", "nope"} {
			if r, ok, err := db.Run(ctx, gone); err != nil || ok {
				t.Errorf("Run(%s) = %+v, %v, %v", gone, r, ok, err)
			}
		}
		stop := errors.New("stop")
		n := 0
		if err := db.Runs(ctx, func(Run) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("Runs stopped by fn: %v after %d", err, n)
		}
	})
}

// putRaw stores a run's record exactly as given, as an older or newer
// Callboard would have written it.
func putRaw(t *testing.T, db *DB, id, record string) {
	t.Helper()
	if err := db.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(pRun+id), []byte(record)) }); err != nil {
		t.Fatal(err)
	}
}

// Records written before runs had a format of their own (the portal's
// ScaffoldRun stored as it was sent) still read, field for field; a record
// of a newer format is refused by Run and left out of Runs.
func TestRunFormats(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		// What the previous release wrote for a published project.
		const legacy = `{"id":"20250301T100000.123-0a1b2c3d","template":"template:default/go-service","title":"Go service",` +
			`"target":"/home/ada/src/tide","status":"completed","started":"2025-03-01T10:00:00.123456789Z","finished":"2025-03-01T10:00:02.5Z",` +
			`"steps":[{"id":"fetch","name":"Fetch the skeleton","action":"fetch:template","status":"completed","durationMs":12,"log":["wrote 3 files"]}],` +
			`"links":[{"title":"Repository","url":"https://git.example/ada/tide"}],"texts":[{"title":"Next","content":"run make","default":true}],` +
			`"files":[{"path":"bin","dir":true,"size":0,"mode":2147484141},{"path":"bin/run","size":20,"mode":493},{"path":"logo.png","size":9,"mode":420,"binary":true}],` +
			`"publish":[{"remote":"https://git.example/ada/tide.git","branch":"main","status":"pending","error":"offline"}],"registered":["component:default/tide"]}`
		putRaw(t, db, "20250301T100000.123-0a1b2c3d", legacy)
		want := Run{Format: runFormat, ID: "20250301T100000.123-0a1b2c3d", Template: "template:default/go-service", Title: "Go service",
			Target: "/home/ada/src/tide", Status: "completed",
			Started: time.Date(2025, 3, 1, 10, 0, 0, 123456789, time.UTC), Finished: time.Date(2025, 3, 1, 10, 0, 2, 5e8, time.UTC),
			Steps: []RunStep{{ID: "fetch", Name: "Fetch the skeleton", Action: "fetch:template", Status: "completed", DurationMS: 12, Log: []string{"wrote 3 files"}}},
			Links: []RunLink{{Title: "Repository", URL: "https://git.example/ada/tide"}}, Texts: []RunText{{Title: "Next", Content: "run make", Default: true}},
			Files:      []RunFile{{Path: "bin", Dir: true, Mode: 0o755 | 1<<31}, {Path: "bin/run", Size: 20, Mode: 0o755}, {Path: "logo.png", Size: 9, Mode: 0o644, Binary: true}},
			Publish:    []RunPublish{{Remote: "https://git.example/ada/tide.git", Branch: "main", Status: "pending", Error: "offline"}},
			Registered: []string{"component:default/tide"}}
		got, ok, err := db.Run(ctx, want.ID)
		if err != nil || !ok {
			t.Fatalf("Run: %v, %v", ok, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("the legacy record reads (-want +got):\n%s", d)
		}
		// Written again, it reads the same.
		if err := db.PutRun(ctx, got); err != nil {
			t.Fatal(err)
		}
		if again, _, err := db.Run(ctx, want.ID); err != nil || !cmp.Equal(want, again) {
			t.Errorf("written again: %s, %v", cmp.Diff(want, again), err)
		}
		// A run never finished has no finish time.
		putRaw(t, db, "20250301T100001.000-00000000", `{"id":"20250301T100001.000-00000000","status":"running","started":"2025-03-01T10:00:01Z","steps":[],"links":[],"texts":[],"files":[]}`)
		if r, _, err := db.Run(ctx, "20250301T100001.000-00000000"); err != nil || !r.Finished.IsZero() || r.Status != "running" {
			t.Errorf("an unfinished legacy run: %+v, %v", r, err)
		}

		putRaw(t, db, "20990101T000000.000-00000000", `{"v":2,"id":"20990101T000000.000-00000000","status":"completed"}`)
		if _, _, err := db.Run(ctx, "20990101T000000.000-00000000"); !errors.Is(err, ErrNewerRecord) {
			t.Errorf("a newer record: %v, want ErrNewerRecord", err)
		}
		var ids []string
		if err := db.Runs(ctx, func(r Run) error { ids = append(ids, r.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		if !cmp.Equal(ids, []string{"20250301T100001.000-00000000", want.ID}) {
			t.Errorf("Runs with a newer record among them: %v", ids)
		}
		if got, err := db.RunsWithStatus(ctx, "completed", "running"); err != nil || len(got) != 2 {
			t.Errorf("RunsWithStatus with a newer record among them: %d runs, %v", len(got), err)
		}
	})
}

// A record over MaxRunRecord is refused, and nothing is written.
func TestRunTooLarge(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		big := Run{ID: "big", Texts: []RunText{{Content: strings.Repeat("x", MaxRunRecord)}}}
		if err := db.PutRun(ctx, big); !errors.Is(err, ErrTooLarge) {
			t.Errorf("PutRun: %v, want ErrTooLarge", err)
		}
		if _, ok, err := db.Run(ctx, "big"); ok || err != nil {
			t.Errorf("after the refusal: %v, %v", ok, err)
		}
	})
}

func TestRunsWithStatus(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for i, st := range []string{"completed", "running", "failed", "pending", "running"} {
			if err := db.PutRun(ctx, Run{ID: fmt.Sprint(i), Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.RunsWithStatus(ctx, "running", "pending")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID+":"+r.Status)
		}
		if want := []string{"4:running", "3:pending", "1:running"}; !cmp.Equal(ids, want) {
			t.Errorf("got %v, want %v", ids, want)
		}
	})
}
