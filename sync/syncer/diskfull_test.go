//go:build linux

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

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

// TestHelperDiskFull is not a test: TestDiskFull runs the test binary again
// in a user and mount namespace of its own, where it can mount a small
// tmpfs for the data dir and fill it.
func TestHelperDiskFull(t *testing.T) {
	repo := os.Getenv("CALLBOARD_DISKFULL_REPO")
	if repo == "" {
		t.Skip("only run by TestDiskFull")
	}
	ctx := context.Background()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=160m"); err != nil {
		t.Fatalf("mount a tmpfs: %v", err)
	}
	defer syscall.Unmount(dir, 0)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.PutLocation(ctx, store.Location{ID: "loc", URL: repo, Path: "catalog-info.yaml"})
	s := New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, printer{io.Discard}, quiet, nil)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	fill(t, filepath.Join(dir, "filler"))
	gittest.Git(t, repo, "-c", "user.name=t", "-c", "user.email=t@callboard.invalid", "commit", "-q", "--allow-empty", "-m", "more")
	err = s.Sync(ctx, "loc")
	if !errors.Is(err, store.ErrDiskFull) || !strings.Contains(err.Error(), "free some space") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("sync on a full disk: %v; want a clear disk-full error naming %s", err, dir)
	}
	loc, _, _ := db.Location(ctx, "loc")
	if loc.StaleSince.IsZero() || !strings.Contains(loc.LastError, "disk full") {
		t.Errorf("location after the failed sync = %+v; want stale with the reason", loc)
	}
	if got := names(t, db); len(got) != 1 || got[0] != "component:default/alpha" {
		t.Errorf("entities after the failed sync = %v; want the last good set", got)
	}
	if _, err := s.Write(ctx, "loc", edit("catalog-info.yaml", described("alpha", "x"), "x")); !errors.Is(err, store.ErrDiskFull) {
		t.Errorf("write on a full disk: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Errorf("sync once there is space again: %v", err)
	}
}

// fill writes name until the disk has less than the store needs.
func fill(t *testing.T, name string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for {
		var st syscall.Statfs_t
		if err := syscall.Statfs(filepath.Dir(name), &st); err != nil {
			t.Fatal(err)
		}
		if st.Bavail*uint64(st.Bsize) < 16<<20 {
			return
		}
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
}

// A disk too full for the store fails the sync with an error that says so
// and where, keeps the last good entities, and recovers once there is space.
func TestDiskFull(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare (util-linux) not installed")
	}
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": comp("alpha")})
	cmd := exec.Command("unshare", "--user", "--map-root-user", "--mount", os.Args[0], "-test.run=^TestHelperDiskFull$", "-test.v")
	cmd.Env = append(os.Environ(), "CALLBOARD_DISKFULL_REPO="+repo.Dir)
	out, err := cmd.CombinedOutput()
	if err != nil && strings.Contains(string(out), "unshare failed") {
		t.Skipf("this machine allows no user namespaces, so no tmpfs to fill: %s", out)
	}
	if err != nil {
		t.Fatalf("disk-full helper: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestHelperDiskFull") {
		t.Fatalf("the helper did not run:\n%s", out)
	}
}
