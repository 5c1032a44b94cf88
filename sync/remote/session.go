package remote

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Budget bounds one session (a sync): past any of its limits, files come
// from the cache, or fail when it has none.
type Budget struct {
	// Reads is how many requests the session makes (1000).
	Reads int
	// Bytes is how many bytes it reads in all (256 MB).
	Bytes int64
	// Time is how long after it starts it still makes requests (2 min).
	Time time.Duration
}

func (b Budget) withDefaults() Budget {
	if b.Reads <= 0 {
		b.Reads = 1000
	}
	if b.Bytes <= 0 {
		b.Bytes = 256 << 20
	}
	if b.Time <= 0 {
		b.Time = 2 * time.Minute
	}
	return b
}

// File is one file read by URL.
type File struct {
	URL string
	// Path, when set, is the file in the session's Home the URL names:
	// nothing was read, the caller reads it from its own copy at Home's
	// commit.
	Path string
	// Data is the file's contents; callers must not change it (one read
	// serves every caller of the same URL in a session).
	Data []byte
	// ReadAt is when the server last gave or confirmed Data.
	ReadAt time.Time
	// Stale, when set, says why the server could not be asked now: Data is
	// the copy kept from ReadAt.
	Stale error
}

// Stats count what a session did.
type Stats struct {
	// Fetched files came in whole (200), Unchanged ones were confirmed
	// (304), Cached ones came from the cache because the server could not
	// be asked, Failed ones could not be read at all.
	Fetched, Unchanged, Cached, Failed int
}

// Session is the reads of one sync: each URL is read once however many
// entities name it, within the session's Budget; a host that does not
// answer is not waited for again. It is safe for concurrent use.
type Session struct {
	r        *Reader
	home     Home
	budget   Budget
	deadline time.Time

	mu     sync.Mutex
	calls  map[string]*call
	down   map[string]error  // hosts that did not answer, and why
	tokens map[string]string // by host, asked once per session
	reads  int
	bytes  int64
	stats  Stats
}

type call struct {
	done chan struct{}
	f    File
	err  error
}

// Session starts the reads of one sync of files from home's repository.
func (r *Reader) Session(home Home, b Budget) *Session {
	b = b.withDefaults()
	// The deadline is on the real clock: it bounds contexts.
	return &Session{r: r, home: home, budget: b, deadline: time.Now().Add(b.Time),
		calls: map[string]*call{}, down: map[string]error{}, tokens: map[string]string{}}
}

// Read returns the file raw names. A URL into the session's Home gives
// File.Path and no data. Otherwise the server is asked, conditionally when
// the cache has the file; when it cannot be asked (no answer, a server
// error, the budget spent) the cached copy is returned with Stale set.
// Errors: ErrBadURL and ErrNoFile for the URL, ErrNotAllowed for its
// host, ErrTooLarge, ErrRedirect, a *StatusError when the server refuses
// the file, or why the server could not be asked when nothing is cached.
func (s *Session) Read(ctx context.Context, raw string) (File, error) {
	t, err := Parse(raw)
	if err != nil {
		return File{}, err
	}
	if !t.File() && t.Forge != Plain {
		return File{}, fmt.Errorf("%w: point at a file, not a repository or folder", ErrNoFile)
	}
	if p, ok := t.In(s.home); ok {
		return File{URL: raw, Path: p}, nil
	}
	s.mu.Lock()
	c, ok := s.calls[raw]
	if !ok {
		c = &call{done: make(chan struct{})}
		s.calls[raw] = c
		s.mu.Unlock()
		c.f, c.err = s.read(ctx, t)
		close(c.done)
		return c.f, c.err
	}
	s.mu.Unlock()
	select {
	case <-c.done:
		return c.f, c.err
	case <-ctx.Done():
		return File{}, ctx.Err()
	}
}

// URLs are the URLs the session read or tried to, sorted: what the cache
// should keep.
func (s *Session) URLs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.calls))
	for u := range s.calls {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// Stats says what the session did so far.
func (s *Session) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Session) read(ctx context.Context, t Target) (File, error) {
	if err := s.r.Allowed(ctx, t.Host); err != nil {
		s.count(func(st *Stats) { st.Failed++ })
		return File{}, err
	}
	prev, have, err := s.r.o.Cache.Get(ctx, t.URL)
	if err != nil {
		s.r.o.Log.Warn("read the remote file cache", "url", t.URL, "err", err)
		have = false
	}
	fallback := func(cause error) (File, error) {
		if !have {
			s.count(func(st *Stats) { st.Failed++ })
			return File{}, cause
		}
		s.count(func(st *Stats) { st.Cached++ })
		return File{URL: t.URL, Data: prev.Data, ReadAt: prev.ReadAt, Stale: cause}, nil
	}
	limit, err := s.spend(t.Host)
	if err != nil {
		return fallback(err)
	}
	byBudget := limit < s.r.o.MaxSize
	token, err := s.token(ctx, t)
	if err != nil {
		s.count(func(st *Stats) { st.Failed++ })
		return File{}, err
	}
	fetchURL, err := t.FetchURL(token != "")
	if err != nil {
		s.count(func(st *Stats) { st.Failed++ })
		return File{}, err
	}
	var p *Entry
	if have {
		p = &prev
	}
	e, unchanged, err := s.r.fetch(ctx, t, fetchURL, token, p, limit, s.deadline)
	if err != nil {
		var status *StatusError
		var net *netError
		switch {
		case ctx.Err() != nil:
			return File{}, ctx.Err()
		case errors.Is(err, ErrTooLarge) && byBudget:
			err = fmt.Errorf("%w: this sync has %d MB left to read of remote files: %w", ErrBudget, limit>>20, err)
		case errors.As(err, &status) && status.Final(), errors.Is(err, ErrTooLarge), errors.Is(err, ErrRedirect), errors.Is(err, ErrBadURL):
			s.count(func(st *Stats) { st.Failed++ })
			return File{}, err
		case errors.As(err, &net):
			s.mu.Lock()
			s.down[t.Host] = err
			s.mu.Unlock()
		}
		return fallback(err)
	}
	s.count(func(st *Stats) {
		s.bytes += int64(len(e.Data))
		if unchanged {
			st.Unchanged++
		} else {
			st.Fetched++
		}
	})
	if err := s.r.o.Cache.Put(ctx, t.URL, e); err != nil {
		s.r.o.Log.Warn("keep a remote file", "url", t.URL, "err", err)
	}
	return File{URL: t.URL, Data: e.Data, ReadAt: e.ReadAt}, nil
}

func (s *Session) count(fn func(*Stats)) {
	s.mu.Lock()
	fn(&s.stats)
	s.mu.Unlock()
}

// spend takes one read from the budget and returns how many bytes it may
// read, or why it may not ask host now.
func (s *Session) spend(host string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.down[host] != nil:
		return 0, fmt.Errorf("%w (earlier in this sync)", s.down[host])
	case s.reads >= s.budget.Reads:
		return 0, fmt.Errorf("%w: this sync already made %d requests for remote files, the most it makes", ErrBudget, s.budget.Reads)
	case s.bytes >= s.budget.Bytes:
		return 0, fmt.Errorf("%w: this sync already read %d MB of remote files, the most it reads", ErrBudget, s.budget.Bytes>>20)
	case !time.Now().Before(s.deadline):
		return 0, fmt.Errorf("%w: this sync already spent the %v it waits for remote files", ErrBudget, s.budget.Time)
	}
	s.reads++
	return min(s.r.o.MaxSize, s.budget.Bytes-s.bytes), nil
}

// token is the token for t's host, asked once per session; plain http
// gets none.
func (s *Session) token(ctx context.Context, t Target) (string, error) {
	if t.Scheme != "https" || s.r.o.Token == nil {
		return "", nil
	}
	s.mu.Lock()
	tok, ok := s.tokens[t.Host]
	s.mu.Unlock()
	if ok {
		return tok, nil
	}
	tok, err := s.r.o.Token(ctx, t.Host)
	if err != nil {
		return "", fmt.Errorf("find a token for %s: %w", t.Host, err)
	}
	s.mu.Lock()
	s.tokens[t.Host] = tok
	s.mu.Unlock()
	return tok, nil
}
