package syncer

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gittest"
)

// TestHelperKilledSync is not a test: TestSyncKilledKeepsItsFileState runs
// the test binary again with CALLBOARD_STATEKILL_HELPER set, to sync the
// data dir there in a process it kills.
func TestHelperKilledSync(t *testing.T) {
	dir := os.Getenv("CALLBOARD_STATEKILL_HELPER")
	if dir == "" {
		t.Skip("only run by TestSyncKilledKeepsItsFileState")
	}
	db, s := openDataDir(t, dir)
	s.emit = printer{os.Stdout}
	fmt.Println("syncing")
	if err := s.Sync(context.Background(), "loc"); err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// killCatalog is files × per components, each depending on one in another
// file, listed by a root Location through a glob; edit rewrites the files
// from..to-1 as a new commit would.
func killCatalog(files, per int, edit string, from, to int) map[string][]byte {
	out := map[string][]byte{}
	if edit == "" {
		out["catalog-info.yaml"] = []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./svc/*.yaml]}\n")
		from, to = 0, files
	}
	for f := from; f < to; f++ {
		var b strings.Builder
		for i := range per {
			fmt.Fprintf(&b, "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc-%d-%d, description: %q}\nspec: {type: service, lifecycle: production, owner: team, dependsOn: [component:svc-%d-%d]}\n",
				f, i, "first"+edit, (f+files/2)%files, i)
		}
		out[fmt.Sprintf("svc/%03d.yaml", f)] = []byte(b.String())
	}
	return out
}

// dump is everything a reader and the next sync see of location loc: each
// entity's record and relations both ways, the location's commit, count
// and errors, and its file state (each file's entry, hashed).
func dump(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	err := db.Entities(ctx, func(e store.Entity) bool {
		ref := e.Entity.Ref().String()
		rec, _ := json.Marshal(e)
		rels, _ := db.Relations(ctx, ref)
		in, _ := db.IncomingRelations(ctx, ref)
		out[ref] = fmt.Sprintf("%s out=%v in=%v", rec, rels, in)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	loc, _, err := db.Location(ctx, "loc")
	if err != nil {
		t.Fatal(err)
	}
	out["(location)"] = fmt.Sprintf("%s %d entities, errors %v, roots %v", loc.HeadCommit, loc.Entities, loc.Errors, loc.RootsRead)
	_, ok, err := db.FileStates(ctx, "loc", func(file string, data []byte) error {
		out["(file state) "+file] = fmt.Sprintf("%x", sha256.Sum256(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out["(file state)"] = strconv.FormatBool(ok)
	return out
}

// A sync killed with SIGKILL at a random point, a first one or an
// incremental one (applied in place or as a new generation), leaves a
// store from which a sync in a new process reaches exactly the state a
// clean sync gives, file state included, reading only the files changed
// since the set the store holds; and the sync after it reads only the
// file that changed.
func TestSyncKilledKeepsItsFileState(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CALLBOARD_STATEKILL_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("kill points from seed %d (CALLBOARD_STATEKILL_SEED replays them)", seed)
	for _, tc := range []struct {
		name       string
		files, per int // the catalog: files × per components
		from, to   int // the files the commit synced after the base changes
		kills      int
	}{
		{"first sync", 40, 10, -1, -1, 3},
		{"incremental in place", 40, 10, 10, 30, 3},
		{"incremental new generation", 44, 50, 0, 42, 2}, // 2,100 entities: over what an in-place update takes
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			rnd := rand.New(rand.NewPCG(seed, uint64(tc.from+1)))
			repo := gittest.New(t)
			files := tc.files
			repo.Commit("base", killCatalog(files, tc.per, "", 0, 0))
			base := t.TempDir()
			db, s := openDataDir(t, base)
			if err := db.PutLocation(ctx, store.Location{ID: "loc", URL: repo.Dir, Path: "catalog-info.yaml"}); err != nil {
				t.Fatal(err)
			}
			changed := files + 1 // a first sync reads every file
			if tc.from >= 0 {
				if err := s.Sync(ctx, "loc"); err != nil {
					t.Fatal(err)
				}
				repo.Commit("edit", killCatalog(files, tc.per, " edited", tc.from, tc.to))
				changed = tc.to - tc.from + 1 // and the root Location
			}
			db.Close()
			target := strings.TrimSpace(gittest.Git(t, repo.Dir, "rev-parse", "HEAD"))

			fresh, fdb, _ := setup(t, repo.Dir)
			if err := fresh.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			want := dump(t, fdb)

			// A clean run of the child first: how long a sync takes there
			// spreads the kills over it.
			took := runKilled(t, copyDir(t, base), -1)
			for k := range tc.kills {
				gittest.Git(t, repo.Dir, "reset", "-q", "--hard", target)
				dir := copyDir(t, base)
				delay := time.Duration(rnd.Int64N(int64(took) + 1))
				runKilled(t, dir, delay)

				db, s := openDataDir(t, dir)
				if err := s.Sync(ctx, "loc"); err != nil {
					t.Fatalf("kill %d (%v in): sync in a new process: %v", k, delay, err)
				}
				if diff := cmp.Diff(want, dump(t, db)); diff != "" {
					t.Errorf("kill %d (%v in): the store differs from a clean sync's (-clean +recovered):\n%s", k, delay, diff)
				}
				if v, ok := s.runs.Load("loc"); ok { // none when the killed sync had finished: nothing to read
					if processed := v.(runStats).processed; processed > changed {
						t.Errorf("kill %d (%v in): the new process read %d files, want at most the %d changed", k, delay, processed, changed)
					}
				}
				db.Close()

				repo.Commit("one more", map[string][]byte{"svc/005.yaml": []byte(strings.ReplaceAll(string(killCatalog(files, tc.per, " again", 5, 6)["svc/005.yaml"]), "first", "next"))})
				db, s = openDataDir(t, dir)
				if err := s.Sync(ctx, "loc"); err != nil {
					t.Fatalf("kill %d: the next sync: %v", k, err)
				}
				if processed, reused := processedFiles(t, s, "loc"); processed != 1 {
					t.Errorf("kill %d (%v in): the next sync read %d files (%d reused), want the changed one", k, delay, processed, reused)
				}
				db.Close()
			}
		})
	}
}

// runKilled syncs data dir dir in a child process and kills it with
// SIGKILL delay after it starts syncing (never, for a negative delay). It
// returns how long the sync ran.
func runKilled(t *testing.T, dir string, delay time.Duration) time.Duration {
	t.Helper()
	cmd, lines, log := startKilledSync(t, dir)
	start := time.Now()
	if delay >= 0 {
		timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	for lines.Scan() {
		log = append(log, lines.Text())
	}
	err := cmd.Wait()
	took := time.Since(start)
	if delay < 0 && err != nil {
		t.Fatalf("the sync in a child process: %v\n%s", err, strings.Join(log, "\n"))
	}
	last := "nothing"
	if len(log) > 0 {
		last = log[len(log)-1]
	}
	t.Logf("sync killed %v in (%v): last heard %s", delay, err, last)
	return took
}

// copyDir copies a data dir whose store is closed.
func copyDir(t *testing.T, dir string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "data")
	if out, err := exec.Command("cp", "-a", dir, dst).CombinedOutput(); err != nil {
		t.Fatalf("copy %s: %v\n%s", dir, err, out)
	}
	return dst
}

// startKilledSync starts TestHelperKilledSync on data dir dir in a child
// process and reads its output until it starts syncing: the lines before
// are returned, the scanner goes on with the rest.
func startKilledSync(t *testing.T, dir string) (*exec.Cmd, *bufio.Scanner, []string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKilledSync$")
	cmd.Env = append(os.Environ(), "CALLBOARD_STATEKILL_HELPER="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	var log []string
	for lines.Scan() && lines.Text() != "syncing" {
		log = append(log, lines.Text())
	}
	return cmd, lines, log
}
