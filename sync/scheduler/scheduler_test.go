package scheduler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/callboard/callboard/app/store"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fakeSyncer records syncs; locations listed in fail fail, and each sync
// takes hold long, counting how many run at once.
type fakeSyncer struct {
	mu      sync.Mutex
	calls   map[string][]time.Time
	fail    map[string]bool
	hold    time.Duration
	running atomic.Int32
	peak    atomic.Int32
	locs    *fakeLocations
}

func (f *fakeSyncer) Sync(ctx context.Context, id string) error {
	n := f.running.Add(1)
	defer f.running.Add(-1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	time.Sleep(f.hold)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[id] = append(f.calls[id], time.Now())
	if f.fail[id] {
		f.locs.failed(id)
		return errors.New("remote unreachable")
	}
	f.locs.succeeded(id)
	return nil
}

func (f *fakeSyncer) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls[id])
}

type fakeLocations struct {
	mu   sync.Mutex
	locs []store.Location
}

func (l *fakeLocations) Locations(context.Context) ([]store.Location, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]store.Location(nil), l.locs...), nil
}

func (l *fakeLocations) update(id string, fn func(*store.Location)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range l.locs {
		if l.locs[i].ID == id {
			fn(&l.locs[i])
		}
	}
}

func (l *fakeLocations) failed(id string) {
	l.update(id, func(loc *store.Location) { loc.Failures++; loc.LastAttempt = time.Now() })
}

func (l *fakeLocations) succeeded(id string) {
	l.update(id, func(loc *store.Location) { loc.Failures = 0; loc.LastAttempt = time.Now() })
}

func TestDelay(t *testing.T) {
	t.Parallel()
	s := New(nil, nil, Options{Interval: 10 * time.Minute, RetryAfter: 30 * time.Second, MaxBackoff: time.Hour, Jitter: 0.1}, quiet)
	tests := []struct {
		failures int
		want     time.Duration
	}{{0, 10 * time.Minute}, {1, 30 * time.Second}, {2, time.Minute}, {4, 4 * time.Minute}, {7, 32 * time.Minute}, {8, time.Hour}, {50, time.Hour}}
	for _, tt := range tests {
		for range 100 {
			got := s.Delay(tt.failures)
			if lo, hi := tt.want*9/10, tt.want*11/10; got < lo || got > hi {
				t.Fatalf("Delay(%d) = %v, want %v ± 10%%", tt.failures, got, tt.want)
			}
		}
	}
}

func TestIntervalOfWins(t *testing.T) {
	t.Parallel()
	chosen := time.Hour
	s := New(nil, nil, Options{Interval: time.Minute, IntervalOf: func() time.Duration { return chosen }, Jitter: 0.01}, quiet)
	if d := s.Delay(0); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("Delay(0) = %v, want the chosen hour", d)
	}
	chosen = 0 // nothing chosen: the fixed interval
	if d := s.Delay(0); d < 59*time.Second || d > 61*time.Second {
		t.Errorf("Delay(0) = %v, want a minute", d)
	}
}

// The scheduler runs in a synctest bubble: its clock is virtual, so the
// intervals and backoffs below are exact and a loaded machine changes
// nothing.
func TestRunSyncsDueLocationsAndBacksOff(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testRunSyncsDueLocationsAndBacksOff)
}

func testRunSyncsDueLocationsAndBacksOff(t *testing.T) {
	locs := &fakeLocations{locs: []store.Location{{ID: "good"}, {ID: "bad"}, {ID: "slow"}, {ID: "recent", LastAttempt: time.Now()}}}
	syncer := &fakeSyncer{calls: map[string][]time.Time{}, fail: map[string]bool{"bad": true}, hold: 5 * time.Millisecond, locs: locs}
	s := New(syncer, locs, Options{Interval: 150 * time.Millisecond, RetryAfter: 20 * time.Millisecond, MaxBackoff: 400 * time.Millisecond, Jitter: 0.01, Concurrency: 2, Tick: 2 * time.Millisecond}, quiet)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	time.Sleep(520 * time.Millisecond)
	cancel()
	<-done

	// Never synced: synced at once, then every 150 ms: 4 times in 520 ms.
	if n := syncer.count("good"); n != 4 {
		t.Errorf("good synced %d times in 520 ms at a 150 ms interval, want 4", n)
	}
	// Failing: 20, 40, 80, 160 ms apart: 5 attempts by about 300 ms, the next at about 620.
	if n := syncer.count("bad"); n != 5 {
		t.Errorf("bad tried %d times; backoff 20/40/80/160 ms makes 5", n)
	}
	calls := syncer.calls["bad"]
	// Each retry waits at least twice the one before.
	for i := 1; i < len(calls); i++ {
		want := min(20*time.Millisecond<<(i-1), 400*time.Millisecond)
		if gap := calls[i].Sub(calls[i-1]); gap < want*9/10 {
			t.Errorf("retry %d came %v after the previous: not backing off (want at least %v)", i, gap, want)
		}
	}
	// Attempted just before the scheduler started: not refetched at once.
	if first := syncer.calls["recent"]; len(first) == 0 || time.Since(first[0]) > 450*time.Millisecond {
		t.Errorf("recent synced at %v, want about an interval after start", first)
	}
	if p := syncer.peak.Load(); p > 2 {
		t.Errorf("%d syncs ran at once, concurrency is 2", p)
	}
}
