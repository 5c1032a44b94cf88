package store

import (
	"context"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// lockWait bounds how long an open waits out a lock no writer stands
// behind (see openBadger).
const lockWait = 5 * time.Second

// openBadger opens Badger, waiting up to lockWait while the directory
// lock is held but no writer's pid file says whose it is. That is a lock
// on its way out: a child this process forked (for git, a plugin, a
// test's helper) holds a copy of the lock's descriptor until it execs,
// so a store closed and reopened meanwhile finds its own old lock, as do
// readers finishing beside a writer's start. A writer's lock, named by
// its pid file, fails at once: another instance runs there.
func openBadger(ctx context.Context, opts badger.Options) (*badger.DB, error) {
	delay := 10 * time.Millisecond
	deadline := time.Now().Add(lockWait)
	for {
		db, err := badger.Open(opts)
		if err == nil || opts.InMemory || !isLocked(err) || heldByWriter(opts.Dir) || time.Now().After(deadline) {
			return db, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(delay):
		}
		delay = min(2*delay, 200*time.Millisecond)
	}
}

// isLocked says whether Badger refused to open a store another process holds.
func isLocked(err error) bool { return strings.Contains(err.Error(), "Cannot acquire directory lock") }
