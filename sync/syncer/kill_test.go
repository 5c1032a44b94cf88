package syncer

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

// printer is an Emitter that prints each event name, for the parent test.
type printer struct{ w io.Writer }

func (p printer) Emit(_ context.Context, name string, data any) {
	fmt.Fprintf(p.w, "%s %+v\n", name, data)
}

// TestHelperSync is not a test: TestKilledDuringIngest runs the test binary
// again with CALLBOARD_KILL_HELPER set, to sync in a process it can kill.
func TestHelperSync(t *testing.T) {
	dir := os.Getenv("CALLBOARD_KILL_HELPER")
	if dir == "" {
		t.Skip("only run by TestKilledDuringIngest")
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(context.Background(), filepath.Join(dir, "store"), quiet)
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, printer{os.Stdout}, quiet, nil)
	if err := s.Sync(context.Background(), "loc"); err != nil {
		t.Fatal(err)
	}
	db.Close()
}

func bigCatalog(n int) map[string][]byte {
	files := map[string][]byte{}
	var root strings.Builder
	root.WriteString("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets:\n")
	for f := range 20 {
		var b strings.Builder
		for i := range n / 20 {
			if i > 0 {
				b.WriteString("---\n")
			}
			fmt.Fprintf(&b, "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc-%d-%d, description: %s}\nspec: {type: service, lifecycle: production, owner: team, dependsOn: [component:svc-0-0]}\n", f, i, strings.Repeat("x", 200))
		}
		name := fmt.Sprintf("part-%02d.yaml", f)
		files[name] = []byte(b.String())
		fmt.Fprintf(&root, "    - ./%s\n", name)
	}
	files["catalog-info.yaml"] = []byte(root.String())
	return files
}

// A sync killed with SIGKILL while it stores a large set leaves the store
// with the old set or the new one, never a mix; after a restart the next
// sync completes.
func TestKilledDuringIngest(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills a subprocess")
	}
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("small", map[string][]byte{"catalog-info.yaml": comp("alpha")})
	dir := t.TempDir()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
	if err != nil {
		t.Fatal(err)
	}
	db.PutLocation(ctx, store.Location{ID: "loc", URL: repo.Dir, Path: "catalog-info.yaml"})
	s := New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, printer{io.Discard}, quiet, nil)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	const big = 20000
	files := bigCatalog(big)
	files["catalog-info.yaml"] = append(files["catalog-info.yaml"], []byte("---\n"+string(comp("alpha")))...)
	repo.Commit("big", files)

	for _, delay := range []time.Duration{0, 20 * time.Millisecond, 60 * time.Millisecond} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSync$")
		cmd.Env = append(os.Environ(), "CALLBOARD_KILL_HELPER="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		for lines.Scan() && !strings.Contains(lines.Text(), "Phase:store") {
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
		if err != nil {
			t.Fatalf("reopen after SIGKILL: %v", err)
		}
		n := 0
		db.Entities(ctx, func(store.Entity) bool { n++; return true })
		loc, _, _ := db.Location(ctx, "loc")
		if n != 1 && n != big+2 || n != loc.Entities {
			t.Errorf("killed %v into storing: %d entities, location says %d: want the old 1 or the new %d", delay, n, loc.Entities, big+2)
		}
		t.Logf("killed %v into storing: the store holds %d entities", delay, n)
		db.Close()
	}
	db, err = store.Open(ctx, filepath.Join(dir, "store"), quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s = New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, printer{io.Discard}, quiet, nil)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatalf("sync after the crashes: %v", err)
	}
	n := 0
	db.Entities(ctx, func(store.Entity) bool { n++; return true })
	if n != big+2 { // the components, alpha and the root Location
		t.Errorf("after a clean sync %d entities, want %d", n, big+2)
	}
}
