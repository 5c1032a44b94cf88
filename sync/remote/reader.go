package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Defaults of Options.
const (
	DefaultMaxSize        = 10 << 20
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 20 * time.Second
	DefaultConcurrency    = 8
	maxRedirects          = 5
)

// Options configure a Reader; zero values take the defaults.
type Options struct {
	// Token returns the token to present to host (as Target.Host names
	// it), or "" for none. It is asked for https requests only; the token
	// goes to that host alone (for github.com and bitbucket.org, to their
	// API and raw-file hosts), never to a host a redirect names.
	Token func(ctx context.Context, host string) (string, error)
	// Refused is told the host (as Token was asked for it) that answered
	// 401 or 403 to a request carrying Token's token, so whatever keeps
	// tokens can forget one the host no longer takes. Nil tells nobody.
	Refused func(host string)
	// Allowed says whether files may be read from host at all; a refused
	// host is an error wrapping ErrNotAllowed, which ends with AllowHint.
	// Nil allows every host.
	Allowed   func(ctx context.Context, host string) (bool, error)
	AllowHint string
	// Cache keeps what was read; nil keeps it in memory for the Reader's
	// lifetime.
	Cache Cache
	// MaxSize is the largest file read, in bytes (DefaultMaxSize).
	MaxSize int64
	// ConnectTimeout bounds connecting and the TLS handshake; Timeout a
	// whole request, body included.
	ConnectTimeout, Timeout time.Duration
	// Concurrency is how many requests run at once, across sessions.
	Concurrency int
	// Transport, when set, is used instead of the default (a test's, which
	// trusts its server); ConnectTimeout then does not apply.
	Transport http.RoundTripper
	// Now is the clock (time.Now).
	Now func() time.Time
	Log *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Cache == nil {
		o.Cache = NewMemCache()
	}
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	switch t := o.Transport.(type) {
	case nil:
		d := http.DefaultTransport.(*http.Transport).Clone()
		d.DialContext = (&net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext
		d.TLSHandshakeTimeout = o.ConnectTimeout
		d.ResponseHeaderTimeout = o.Timeout
		d.MaxIdleConnsPerHost = o.Concurrency
		o.Transport = d
	case *http.Transport:
		// A connection kept for each request at once: a TLS handshake
		// costs more than a conditional request answered 304.
		if t.MaxIdleConnsPerHost < o.Concurrency {
			t = t.Clone()
			t.MaxIdleConnsPerHost = o.Concurrency
			o.Transport = t
		}
	}
	return o
}

// Reader reads files by URL within bounds: a size limit per file, a
// connect and a request timeout, a cap on requests at once, redirects
// within the same host only. Reads go through a Session, which adds a
// budget per sync and the offline fallback to the cache. It is safe for
// concurrent use.
type Reader struct {
	o      Options
	client *http.Client
	slots  chan struct{}
}

// New returns a Reader.
func New(o Options) *Reader {
	o = o.withDefaults()
	r := &Reader{o: o, slots: make(chan struct{}, o.Concurrency)}
	r.client = &http.Client{Transport: o.Transport, CheckRedirect: sameHostRedirect}
	return r
}

// MaxSize is the largest file the reader reads.
func (r *Reader) MaxSize() int64 { return r.o.MaxSize }

// sameHostRedirect follows a redirect only to the same scheme and host: a
// token (which the client keeps on same-host redirects) never leaves it,
// and a server cannot point the reader at a host nobody allowed.
func sameHostRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRedirect, maxRedirects)
	}
	from, to := via[0].URL, req.URL
	a, errA := canonicalHost(from)
	b, errB := canonicalHost(to)
	if errA != nil || errB != nil || a != b || from.Scheme != to.Scheme {
		return fmt.Errorf("%w: %s sends the reader on to %s://%s; only redirects within the same host are followed", ErrRedirect, from.Host, to.Scheme, to.Host)
	}
	return nil
}

// Allowed refuses a host the user has not allowed (Options.Allowed) with
// an error wrapping ErrNotAllowed whose message ends with AllowHint.
func (r *Reader) Allowed(ctx context.Context, host string) error {
	if r.o.Allowed == nil {
		return nil
	}
	ok, err := r.o.Allowed(ctx, host)
	if err != nil {
		return fmt.Errorf("tell whether %s may be read from: %w", host, err)
	}
	if !ok {
		msg := fmt.Sprintf("%s is not a host Callboard reads files from", host)
		if r.o.AllowHint != "" {
			msg += ": " + r.o.AllowHint
		}
		return &kindError{msg: msg, kind: ErrNotAllowed}
	}
	return nil
}

// kindError is an error of a sentinel's kind whose message says it all.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// fetch makes one request for t at fetchURL, conditional on prev when prev
// came from the same URL, and reads at most limit bytes of the answer.
// unchanged says the server confirmed prev.
func (r *Reader) fetch(ctx context.Context, t Target, fetchURL, token string, prev *Entry, limit int64, deadline time.Time) (e Entry, unchanged bool, err error) {
	u, err := url.Parse(fetchURL)
	if err != nil {
		return Entry{}, false, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	// Parse guarantees this (FuzzParse checks it); a token is worth
	// checking twice.
	if h, err := canonicalHost(u); err != nil || h != t.Host && aliasOf[h] != t.Host {
		return Entry{}, false, fmt.Errorf("%w: %s would be fetched from another host", ErrBadURL, t.URL)
	}
	ctx, cancel := context.WithTimeout(ctx, r.o.Timeout)
	defer cancel()
	if !deadline.IsZero() {
		var stop context.CancelFunc
		ctx, stop = context.WithDeadline(ctx, deadline)
		defer stop()
	}
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-ctx.Done():
		return Entry{}, false, r.netError(ctx, t, ctx.Err())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fetchURL, nil)
	if err != nil {
		return Entry{}, false, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	req.Header.Set("User-Agent", "Callboard")
	if token != "" {
		t.authorize(req.Header, token)
	}
	if prev != nil && prev.FetchURL == fetchURL {
		if prev.ETag != "" {
			req.Header.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			req.Header.Set("If-Modified-Since", prev.LastModified)
		}
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return Entry{}, false, r.netError(ctx, t, err)
	}
	defer resp.Body.Close()
	now := r.o.Now()
	switch {
	case resp.StatusCode == http.StatusNotModified && prev != nil && prev.FetchURL == fetchURL:
		e := *prev
		e.ReadAt = now
		return e, true, nil
	case resp.StatusCode != http.StatusOK:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		if token != "" && r.o.Refused != nil && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
			r.o.Refused(t.Host)
		}
		return Entry{}, false, &StatusError{Code: resp.StatusCode}
	case resp.ContentLength > limit:
		return Entry{}, false, tooLarge(resp.ContentLength, limit)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return Entry{}, false, r.netError(ctx, t, err)
	}
	if int64(len(data)) > limit {
		return Entry{}, false, tooLarge(-1, limit)
	}
	return Entry{FetchURL: fetchURL, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), ReadAt: now, Data: data}, false, nil
}

func tooLarge(size, limit int64) error {
	if size < 0 {
		return fmt.Errorf("%w: the file is over the %.1f MB read at most", ErrTooLarge, float64(limit)/(1<<20))
	}
	return fmt.Errorf("%w: the file is %.1f MB, over the %.1f MB read at most", ErrTooLarge, float64(size)/(1<<20), float64(limit)/(1<<20))
}

// netError says why a request got no answer, without the URL (the caller
// names it) or the client's wording.
func (r *Reader) netError(ctx context.Context, t Target, err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	if errors.Is(err, ErrRedirect) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil && !errors.Is(err, context.Canceled) {
		return &netError{fmt.Errorf("%s did not answer in time (%v at most a request): %w", t.Host, r.o.Timeout, context.DeadlineExceeded)}
	}
	return &netError{fmt.Errorf("%s cannot be reached: %w", t.Host, err)}
}

// netError is a request that got no answer: the host is unreachable or
// too slow, so the rest of the session does not wait for it again.
type netError struct{ err error }

func (e *netError) Error() string { return e.err.Error() }
func (e *netError) Unwrap() error { return e.err }
