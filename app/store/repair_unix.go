//go:build unix

package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// dropMemtable removes the memtable file name in dir while holding the
// directory lock Badger takes, so no writer runs there.
func dropMemtable(dir, name string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return fmt.Errorf("lock %s: %w", dir, err)
	}
	defer unix.Flock(int(f.Fd()), unix.LOCK_UN)
	return os.Remove(name)
}

// heldByWriter says whether a live writer's pid file is in dir: Badger
// writes it after taking the lock and removes it before letting go; one a
// killed writer left names a process that is gone.
func heldByWriter(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "LOCK"))
	if err != nil {
		return !errors.Is(err, fs.ErrNotExist)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return true
	}
	return unix.Kill(pid, 0) != unix.ESRCH
}
