package syncer

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/outbox"
)

// killAt kills this process with SIGKILL when a write reaches its step.
type killAt string

func (k killAt) Reached(step string) {
	if step == string(k) {
		// Process.Kill is SIGKILL on Unix and TerminateProcess on Windows.
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Kill()
		}
		time.Sleep(time.Hour) // the signal is on its way
	}
}

// The write TestWriteKilledAtEveryStep cuts short.
var killedWrite = edit("b.yaml", described("beta", "killed"), "Describe beta")

// TestHelperWrite is not a test: TestWriteKilledAtEveryStep runs the test
// binary again with CALLBOARD_WRITE_HELPER set, to write in a process that
// kills itself at step CALLBOARD_WRITE_KILL.
func TestHelperWrite(t *testing.T) {
	dir := os.Getenv("CALLBOARD_WRITE_HELPER")
	if dir == "" {
		t.Skip("only run by TestWriteKilledAtEveryStep")
	}
	db, s := openDataDir(t, dir)
	s.ObserveWrites(killAt(os.Getenv("CALLBOARD_WRITE_KILL")))
	if _, err := s.Write(context.Background(), "loc", killedWrite); err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// openDataDir opens the store and syncer of a data dir on disk, as a start
// of Callboard does.
func openDataDir(t *testing.T, dir string) (*store.DB, *Syncer) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(context.Background(), filepath.Join(dir, "store"), quiet)
	if err != nil {
		t.Fatal(err)
	}
	return db, New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, printer{io.Discard}, quiet, nil)
}

// A write killed with SIGKILL after any of its steps leaves, once Callboard
// starts again, an outbox whose list, refs and catalog agree: the write is
// there in full (its entry was recorded) or not at all, the same edit can
// be written again when it is not, and the next sync pushes exactly what
// the list shows.
func TestWriteKilledAtEveryStep(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills subprocesses")
	}
	for _, step := range []string{StepBuilt, StepRecorded, StepCommitted, StepProcessed, StepStored} {
		t.Run(step, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := gittest.NewShared(t, catalogFiles)
			remoteBase := strings.TrimSpace(gittest.Git(t, r.Bare, "rev-parse", "main"))
			dir := t.TempDir()
			db, s := openDataDir(t, dir)
			if err := db.PutLocation(ctx, store.Location{ID: "loc", URL: r.URL, Path: "catalog-info.yaml"}); err != nil {
				t.Fatal(err)
			}
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			// One write already waits in the outbox.
			if _, err := s.Write(ctx, "loc", edit("a.yaml", described("alpha", "first"), "Describe alpha")); err != nil {
				t.Fatal(err)
			}
			db.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWrite$")
			cmd.Env = append(os.Environ(), "CALLBOARD_WRITE_HELPER="+dir, "CALLBOARD_WRITE_KILL="+step)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the write was not killed at %s: %v\n%s", step, err, out)
			}

			db, s = openDataDir(t, dir)
			defer db.Close()
			if err := s.Reconcile(ctx); err != nil {
				t.Fatal(err)
			}
			in := step != StepBuilt // the entry was recorded: the write is finished
			want := []string{"Describe alpha"}
			if in {
				want = append(want, "Describe beta")
			}
			checkOutbox(t, db, s, want)
			if got, want := description(t, db, "component:default/beta"), map[bool]string{true: "killed", false: ""}[in]; got != want {
				t.Errorf("beta's description = %q, want %q", got, want)
			}

			_, err = s.Write(ctx, "loc", killedWrite)
			switch {
			case in && !errors.Is(err, outbox.ErrNoChange):
				t.Errorf("writing the finished edit again: err = %v, want ErrNoChange", err)
			case !in && err != nil:
				t.Errorf("writing the edit that never happened: %v", err)
			}
			want = []string{"Describe alpha", "Describe beta"}
			checkOutbox(t, db, s, want)

			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			pushed := strings.Fields(strings.ReplaceAll(gittest.Git(t, r.Bare, "log", "--reverse", "--format=%s", remoteBase+"..main"), " ", "_"))
			if diff := cmp.Diff([]string{"Describe_alpha", "Describe_beta"}, pushed); diff != "" {
				t.Errorf("pushed commits (-listed +pushed):\n%s", diff)
			}
			if got := outboxOf(t, db); len(got) != 0 {
				t.Errorf("outbox after the push = %+v", got)
			}
			if got := r.File("b.yaml"); got != string(described("beta", "killed")) {
				t.Errorf("remote b.yaml = %q", got)
			}
		})
	}
}

// checkOutbox checks that the outbox of location loc agrees everywhere:
// its entries, all pending, hold the messages want in order; the outbox
// ref has one commit per entry; the catalog shows the outbox's tip.
func checkOutbox(t *testing.T, db *store.DB, s *Syncer, want []string) {
	t.Helper()
	ctx := context.Background()
	var got []string
	for _, e := range outboxOf(t, db) {
		if e.State != store.StatePending {
			t.Errorf("entry %s (%q) is %s", e.ID, e.Message, e.State)
		}
		got = append(got, e.Message)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outbox list (-want +got):\n%s", diff)
	}
	loc, _, err := db.Location(ctx, "loc")
	if err != nil {
		t.Fatal(err)
	}
	head, err := gitfetch.Open(s.Clone("loc"), loc.Branch)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := outbox.Pending(head.Repository(), head.Branch)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, c := range chain {
		msgs = append(msgs, c.Message)
	}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("outbox commits (-listed +committed):\n%s", diff)
	}
	if tip, _, err := outbox.Tip(head.Repository(), head.Branch); err != nil || tip.String() != loc.HeadCommit {
		t.Errorf("the catalog shows %s, the outbox's tip is %s (%v)", loc.HeadCommit, tip, err)
	}
}

// What a write cut short by an older Callboard left behind is settled too:
// a commit no entry records is taken back, never pushed; an entry whose
// commit never reached the catalog is shown.
func TestSyncSettlesAnOlderWriteCutShort(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		record bool // the entry was stored, the catalog not updated
		want   string
	}{
		{"commit without entry", false, ""},
		{"entry without catalog", true, "cut short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := gittest.NewShared(t, catalogFiles)
			s, db, _ := setup(t, r.URL)
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			head, err := gitfetch.Open(cloneOf(s), "")
			if err != nil {
				t.Fatal(err)
			}
			w := edit("b.yaml", described("beta", "cut short"), "Cut short")
			commit, err := outbox.Commit(head.Repository(), head.Branch, w.Changes, w.Message, w.Author, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if tc.record {
				e := newEntry("loc", commit, w, time.Now())
				e.State = store.StatePending
				if err := db.PutOutbox(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			// The older Callboard ran before this one started.
			s = New(db, s.clones, gitfetch.Credentials{}, &recorder{}, slog.New(slog.DiscardHandler), nil)
			r.Offline.Store(true)
			if err := s.Sync(ctx, "loc"); err == nil {
				t.Fatal("sync with the network cut succeeded")
			}
			if got := description(t, db, "component:default/beta"); got != tc.want {
				t.Errorf("beta's description after a sync = %q, want %q", got, tc.want)
			}
			r.Offline.Store(false)
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if got := r.File("b.yaml"); strings.Contains(got, "cut short") != tc.record {
				t.Errorf("remote b.yaml = %q: want the change pushed %v", got, tc.record)
			}
			if got := outboxOf(t, db); len(got) != 0 {
				t.Errorf("outbox after the push = %+v", got)
			}
		})
	}
}
