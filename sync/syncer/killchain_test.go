package syncer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gittest"
)

// Kills that follow each other: a first sync and then incremental ones,
// each killed with SIGKILL once or twice at random points while upstream
// moves on (files edited, added and deleted), in the same data dir. After
// every kill the store holds the set of the last completed sync or of the
// commit being synced, nothing between; the sync of a fresh process then
// reads no more files than changed since the last completed sync (all of
// them only when no sync ever completed), and leaves a store whose every
// key and value is what a clean sync of the same commit writes, but for
// generation numbers and times. TestSyncKilledKeepsItsFileState kills one
// sync at a time; this one chains them.
//
// The kill points come from a logged seed (CALLBOARD_STATEKILL_SEED
// replays them); CALLBOARD_STATEKILL_ROUNDS runs more rounds than the 2
// of `make test`.
func TestSyncKilledAgainAndAgain(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CALLBOARD_STATEKILL_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	rounds := 2
	if s := os.Getenv("CALLBOARD_STATEKILL_ROUNDS"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	t.Logf("kill points from seed %d (CALLBOARD_STATEKILL_SEED replays them)", seed)
	rnd := rand.New(rand.NewPCG(seed, 0x6b696c6c))
	ctx := context.Background()

	const files, per = 30, 10
	repo := gittest.New(t)
	repo.Commit("base", killCatalog(files, per, "", 0, 0))
	present := map[int]bool{}
	for f := range files {
		present[f] = true
	}
	dir := t.TempDir()
	db, _ := openDataDir(t, dir)
	if err := db.PutLocation(ctx, store.Location{ID: "loc", URL: repo.Dir, Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	last := "" // the commit of the last completed sync
	for round := range rounds {
		if round > 0 {
			repo.Commit(fmt.Sprint("round ", round), moveOn(rnd, files, per, round, present))
		}
		target := strings.TrimSpace(gittest.Git(t, repo.Dir, "rev-parse", "HEAD"))
		// A clean run of this round's sync on a copy: how long each phase
		// takes spreads the kills over it, each phase as likely as
		// another however short (storing is).
		phases := runKilledIn(t, copyDir(t, dir), "", -1)
		for k := range 1 + rnd.IntN(2) {
			p := phases[rnd.IntN(len(phases))]
			delay := time.Duration(rnd.Int64N(int64(p.took) + 1))
			runKilledIn(t, dir, p.name, delay)
			db, _ := openDataDir(t, dir)
			loc, _, err := db.Location(ctx, "loc")
			db.Close()
			if err != nil {
				t.Fatalf("round %d, kill %d (%v into %s): %v", round, k, delay, p.name, err)
			}
			switch loc.HeadCommit {
			case target:
				last = target
			case last:
			default:
				t.Fatalf("round %d, kill %d (%v into %s): the store holds commit %q, want the last completed %q or the target %q", round, k, delay, p.name, loc.HeadCommit, last, target)
			}
		}

		changed := files + 1 // no sync completed: everything is read
		if last != "" {
			diff := strings.Fields(gittest.Git(t, repo.Dir, "diff", "--name-only", last, target))
			changed = len(diff) + 1 // and the root Location, always read
		}
		db, s := openDataDir(t, dir)
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatalf("round %d: sync in a fresh process: %v", round, err)
		}
		if v, ok := s.caches.Load("loc"); ok { // none when the killed sync had finished: nothing to read
			if _, processed := v.(*fileCache).files.Stats(); processed > changed {
				t.Errorf("round %d: the fresh process read %d files, want at most the %d changed since the last completed sync", round, processed, changed)
			}
		}
		got := dump(t, db)
		db.Close()
		last = target

		clean := t.TempDir()
		cdb, cs := openDataDir(t, clean)
		if err := cdb.PutLocation(ctx, store.Location{ID: "loc", URL: repo.Dir, Path: "catalog-info.yaml"}); err != nil {
			t.Fatal(err)
		}
		if err := cs.Sync(ctx, "loc"); err != nil {
			t.Fatalf("round %d: clean sync: %v", round, err)
		}
		want := dump(t, cdb)
		cdb.Close()
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("round %d: what readers see differs from a clean sync's (-clean +recovered):\n%s", round, diff)
		}
		if diff := gocmp.Diff(rawStore(t, clean), rawStore(t, dir)); diff != "" {
			t.Errorf("round %d: the store's keys differ from a clean sync's (-clean +recovered):\n%s", round, diff)
		}
	}
}

// A phase of a sync as the child reports it (fetch, process, store) and
// how long it took in a clean run, until the next phase or the end.
type phase struct {
	name string
	took time.Duration
}

// phaseOf is the phase a sync:progress line reports, if it is one.
var phaseOf = regexp.MustCompile(`^sync:progress .*Phase:(\w+)`)

// runKilledIn syncs data dir dir in a child process and kills it with
// SIGKILL delay after it reports phase (after it starts syncing, for ""),
// or never, for a negative delay; then it returns the phases the sync
// went through.
func runKilledIn(t *testing.T, dir, at string, delay time.Duration) []phase {
	t.Helper()
	cmd, lines, log := startKilledSync(t, dir)
	kill := func() {
		if delay >= 0 {
			timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
			t.Cleanup(func() { timer.Stop() })
		}
	}
	if at == "" {
		kill()
	}
	var phases []phase
	start := time.Now()
	for lines.Scan() {
		log = append(log, lines.Text())
		m := phaseOf.FindStringSubmatch(lines.Text())
		if m == nil || len(phases) > 0 && phases[len(phases)-1].name == m[1] {
			continue
		}
		if m[1] == at {
			kill()
		}
		if len(phases) > 0 {
			phases[len(phases)-1].took = time.Since(start)
		}
		start = time.Now()
		phases = append(phases, phase{name: m[1]})
	}
	err := cmd.Wait()
	if len(phases) > 0 {
		phases[len(phases)-1].took = time.Since(start)
	}
	if delay < 0 && err != nil {
		t.Fatalf("the sync in a child process: %v\n%s", err, strings.Join(log, "\n"))
	}
	if delay < 0 && len(phases) == 0 {
		t.Fatalf("the sync in a child process reported no phase:\n%s", strings.Join(log, "\n"))
	}
	last := "nothing"
	if len(log) > 0 {
		last = log[len(log)-1]
	}
	if delay >= 0 {
		t.Logf("sync killed %v into %s (%v): last heard %s", delay, cmp.Or(at, "the sync"), err, last)
	}
	return phases
}

// moveOn is the next commit's changes: a random run of the files edited,
// sometimes one deleted and one added back. present tracks which files
// the repository holds.
func moveOn(rnd *rand.Rand, files, per, round int, present map[int]bool) map[string][]byte {
	from := rnd.IntN(files)
	to := from + 1 + rnd.IntN(files-from)
	out := map[string][]byte{}
	for name, data := range killCatalog(files, per, fmt.Sprintf(" round %d", round), from, to) {
		out[name] = data
	}
	for f := range files {
		name := fmt.Sprintf("svc/%03d.yaml", f)
		if !present[f] {
			delete(out, name) // a deleted file stays deleted unless added below
		}
	}
	if rnd.IntN(2) == 0 {
		f := rnd.IntN(files)
		name := fmt.Sprintf("svc/%03d.yaml", f)
		if present[f] {
			out[name] = nil
		} else {
			out[name] = killCatalog(files, per, fmt.Sprintf(" back %d", round), f, f+1)[name]
		}
		present[f] = !present[f]
	}
	return out
}

// generation matches the generation number in a key of location loc: in
// its data (g/loc/<gen>/…) and its claims (o/<ref>\x00loc\x00<gen>).
var generation = regexp.MustCompile(`^(g/loc/)[0-9a-f]{16}(/)|(\x00loc\x00)[0-9a-f]{16}$`)

// rawStore is every key of the store in data dir dir (closed) with a
// hash of its value, generation numbers left out of the keys. Values that
// hold times or counters (the location record, a claim's first-claim
// time, the file state's version) are left out; dump compares what
// readers see of them.
func rawStore(t *testing.T, dir string) map[string]string {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(filepath.Join(dir, "store")).WithReadOnly(true).WithLogger(nil))
	if err != nil {
		t.Fatalf("open %s read-only: %v", dir, err)
	}
	defer db.Close()
	out := map[string]string{}
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			k := string(item.Key())
			norm := generation.ReplaceAllString(k, "${1}${3}<gen>${2}")
			if strings.HasPrefix(k, "l/") || strings.HasPrefix(k, "o/") || strings.HasSuffix(k, "/fv") {
				out[norm] = "(compared by dump)"
				continue
			}
			if strings.HasSuffix(k, "/fx") {
				// The location's Version its patch keys agree with: it
				// counts the syncs made, which killed ones add to.
				out[norm] = "(a version)"
				continue
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			out[norm] = fmt.Sprintf("%x", sha256.Sum256(v))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
