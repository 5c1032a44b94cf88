package syncer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gittest"
)

// crash is what crashAt panics with: the fuzzer's stand-in for SIGKILL,
// which TestWriteKilledAtEveryStep uses for real.
type crash struct{}

// crashAt stops a write at its step by unwinding out of it; the fuzzer
// then drops the syncer and reopens the store from disk, as a new process
// would.
type crashAt string

func (c crashAt) Reached(step string) {
	if step == string(c) {
		panic(crash{})
	}
}

var fuzzSteps = []string{StepBuilt, StepRecorded, StepCommitted, StepProcessed, StepStored, ""}

// FuzzWriteRecover runs writes (some refused), cut short at any step, and
// syncs offline and online, restarting after each cut. After every
// operation the outbox list, its commits and the catalog must agree with
// a model where a write happened exactly when it returned no error or was
// cut short after its entry was recorded; at the end one sync pushes
// exactly the writes the model holds, in order.
func FuzzWriteRecover(f *testing.F) {
	f.Add([]byte{0, 1, 3, 4})
	f.Add([]byte{5, 11, 16, 22, 3, 27, 7, 4})
	f.Add([]byte{10, 12, 17, 13, 8, 24, 1})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 10 {
			ops = ops[:10]
		}
		ctx := context.Background()
		r := gittest.NewShared(t, catalogFiles)
		base := strings.TrimSpace(gittest.Git(t, r.Bare, "rev-parse", "main"))
		dir := t.TempDir()
		db, s := openDataDir(t, dir)
		defer func() { db.Close() }()
		if err := db.PutLocation(ctx, store.Location{ID: "loc", URL: r.URL, Path: "catalog-info.yaml"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatal(err)
		}
		var listed, pushed []string // messages of the writes made, waiting and pushed
		desc := map[string]string{"alpha": "", "beta": ""}
		restart := func() {
			db.Close()
			db, s = openDataDir(t, dir)
			if err := s.Reconcile(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for i, op := range ops {
			step := fuzzSteps[int(op/4)%len(fuzzSteps)]
			switch op % 4 {
			case 0, 1: // a valid write of a.yaml or b.yaml
				name := []string{"alpha", "beta"}[op%4]
				w := edit(name[:1]+".yaml", described(name, fmt.Sprint("v", i)), fmt.Sprintf("Write %d", i))
				crashed, err := writeCrashing(ctx, s, w, step)
				if crashed {
					restart()
				}
				switch {
				case crashed && step == StepBuilt:
				case crashed || err == nil:
					listed = append(listed, w.Message)
					desc[name] = fmt.Sprint("v", i)
				default:
					t.Fatalf("op %d: write: %v", i, err)
				}
			case 2: // a write the catalog refuses
				w := edit("a.yaml", []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [alpha\n"), fmt.Sprintf("Broken %d", i))
				crashed, err := writeCrashing(ctx, s, w, step)
				if crashed {
					restart()
				} else if !errors.Is(err, ErrRefused) {
					t.Fatalf("op %d: broken write: err = %v, want ErrRefused", i, err)
				}
			case 3: // a sync, online or not
				r.Offline.Store(step == "")
				err := s.Sync(ctx, "loc")
				r.Offline.Store(false)
				if step != "" {
					if err != nil {
						t.Fatalf("op %d: sync: %v", i, err)
					}
					pushed, listed = append(pushed, listed...), nil
				}
			}
			checkOutbox(t, db, s, listed)
			for name, want := range desc {
				if got := description(t, db, "component:default/"+name); got != want {
					t.Fatalf("op %d (%d, step %q): %s's description = %q, want %q", i, op, step, name, got, want)
				}
			}
		}
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatal(err)
		}
		pushed = append(pushed, listed...)
		var got []string
		if log := strings.TrimSpace(gittest.Git(t, r.Bare, "log", "--reverse", "--format=%s", base+"..main")); log != "" {
			got = strings.Split(log, "\n")
		}
		if diff := cmp.Diff(pushed, got); diff != "" {
			t.Errorf("pushed commits (-written +pushed):\n%s", diff)
		}
		checkOutbox(t, db, s, nil)
	})
}

// writeCrashing writes w, cut short at step ("" for never); crashed says
// it was.
func writeCrashing(ctx context.Context, s *Syncer, w Write, step string) (crashed bool, err error) {
	s.ObserveWrites(crashAt(step))
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(crash); !ok {
				panic(p)
			}
			crashed = true
		}
	}()
	_, err = s.Write(ctx, "loc", w)
	return false, err
}
