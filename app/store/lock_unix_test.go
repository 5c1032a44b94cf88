//go:build unix

package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestOpenWaitsOutAForkedLock holds a store's directory lock as a child
// forked before it execs does, a copy of the descriptor and no pid file,
// and checks Open waits for it to go rather than calling the store taken;
// and that a writer's lock, named by its pid file, fails at once.
func TestOpenWaitsOutAForkedLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(300 * time.Millisecond)
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		close(released)
	}()
	db, err = Open(ctx, dir, quiet)
	if err != nil {
		t.Fatalf("Open while a lock without a pid file is let go: %v", err)
	}
	select {
	case <-released:
	default:
		t.Fatal("Open succeeded while the lock was held")
	}

	start := time.Now()
	if _, err := Open(ctx, dir, quiet); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open = %v, want ErrLocked", err)
	}
	if waited := time.Since(start); waited >= lockWait {
		t.Errorf("a writer's lock made Open wait %v; want an answer at once", waited)
	}
	db.Close()
}

// TestOpenDropsAnEmptyMemtable leaves the empty memtable file a writer
// killed between creating and sizing it leaves, which Badger refuses to
// open, and checks Open removes it and keeps what was written.
func TestOpenDropsAnEmptyMemtable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetStar(ctx, "component:default/ledger", true); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.WriteFile(filepath.Join(dir, "00009.mem"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, dir, quiet)
	if err != nil {
		t.Fatalf("Open with an empty memtable file: %v", err)
	}
	defer db.Close()
	if stars, err := db.Stars(ctx); err != nil || len(stars) != 1 {
		t.Errorf("stars = %v, %v; want the one written before", stars, err)
	}
}
