// Package scheduler keeps every location fresh in the background: each is
// synced on an interval with jitter, failures back off exponentially, and
// at most a few sync at once.
package scheduler

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/callboard/callboard/app/store"
)

// Syncer is what the scheduler drives; it records results on the location.
type Syncer interface {
	Sync(ctx context.Context, locationID string) error
}

// Locations lists the registered locations with their sync state.
type Locations interface {
	Locations(ctx context.Context) ([]store.Location, error)
}

// Options tune the schedule; zero values take the defaults.
type Options struct {
	// Interval between syncs of a healthy location (default 5 minutes);
	// IntervalOf, when set, is asked instead, each time, so a change the
	// user makes applies from the next sync.
	Interval   time.Duration
	IntervalOf func() time.Duration
	// Jitter spreads syncs by up to this fraction of their delay (default 0.1),
	// so locations added together do not fetch together forever.
	Jitter float64
	// RetryAfter is the first retry delay after a failure (default 30 s); it
	// doubles with each consecutive failure up to MaxBackoff (default 1 hour).
	RetryAfter time.Duration
	MaxBackoff time.Duration
	// Concurrency is how many locations sync at once (default 2).
	Concurrency int
	// Tick is how often the scheduler looks for due locations (default 1 s).
	Tick time.Duration
}

func (o Options) withDefaults() Options {
	if o.Interval <= 0 {
		o.Interval = 5 * time.Minute
	}
	if o.Jitter <= 0 || o.Jitter > 1 {
		o.Jitter = 0.1
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = 30 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Hour
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 2
	}
	if o.Tick <= 0 {
		o.Tick = time.Second
	}
	return o
}

// Scheduler syncs locations when they are due.
type Scheduler struct {
	syncer Syncer
	locs   Locations
	opts   Options
	log    *slog.Logger

	mu       sync.Mutex
	due      map[string]time.Time // next sync of each location, once seen
	inFlight map[string]bool
}

// New returns a Scheduler; call Run to start it.
func New(syncer Syncer, locs Locations, opts Options, log *slog.Logger) *Scheduler {
	return &Scheduler{
		syncer: syncer, locs: locs, opts: opts.withDefaults(), log: log.With("component", "scheduler"),
		due: map[string]time.Time{}, inFlight: map[string]bool{},
	}
}

// Delay is how long after an attempt a location is due again: the interval
// after a success, and after n consecutive failures RetryAfter·2^(n-1),
// capped at MaxBackoff; both spread by the jitter.
func (s *Scheduler) Delay(failures int) time.Duration {
	d := s.opts.Interval
	if s.opts.IntervalOf != nil {
		if i := s.opts.IntervalOf(); i > 0 {
			d = i
		}
	}
	if failures > 0 {
		d = s.opts.RetryAfter
		for i := 1; i < failures && d < s.opts.MaxBackoff; i++ {
			d *= 2
		}
		d = min(d, s.opts.MaxBackoff)
	}
	spread := time.Duration(float64(d) * s.opts.Jitter * (2*rand.Float64() - 1))
	return d + spread
}

// Run syncs due locations until ctx ends, then waits for running syncs.
func (s *Scheduler) Run(ctx context.Context) {
	slots := make(chan struct{}, s.opts.Concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	ticker := time.NewTicker(s.opts.Tick)
	defer ticker.Stop()
	for {
		for _, id := range s.dueNow(ctx) {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Go(func() {
				defer func() { <-slots }()
				s.syncOne(ctx, id)
			})
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// dueNow lists the locations whose time has come and marks them in flight.
// A location seen for the first time is due at its last attempt plus its
// delay, so a restart does not refetch everything at once; one never
// synced is due at once.
func (s *Scheduler) dueNow(ctx context.Context) []string {
	locs, err := s.locs.Locations(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("list locations", "err", err)
		}
		return nil
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	var ids []string
	for _, l := range locs {
		seen[l.ID] = true
		when, known := s.due[l.ID]
		if !known {
			if !l.LastAttempt.IsZero() {
				when = l.LastAttempt.Add(s.Delay(l.Failures))
			}
			s.due[l.ID] = when
		}
		if !s.inFlight[l.ID] && !now.Before(when) {
			s.inFlight[l.ID] = true
			ids = append(ids, l.ID)
		}
	}
	for id := range s.due {
		if !seen[id] {
			delete(s.due, id) // removed
		}
	}
	return ids
}

func (s *Scheduler) syncOne(ctx context.Context, id string) {
	err := s.syncer.Sync(ctx, id)
	failures := 0
	if err != nil && ctx.Err() == nil {
		failures = 1
		if locs, lerr := s.locs.Locations(ctx); lerr == nil {
			for _, l := range locs {
				if l.ID == id {
					failures = max(l.Failures, 1)
				}
			}
		}
	}
	next := time.Now().Add(s.Delay(failures))
	s.mu.Lock()
	s.inFlight[id] = false
	if _, still := s.due[id]; still {
		s.due[id] = next
	}
	s.mu.Unlock()
	if err != nil && ctx.Err() == nil {
		s.log.Info("sync failed; retrying later", "location", id, "failures", failures, "next", next.Format(time.RFC3339), "err", err)
	}
}
