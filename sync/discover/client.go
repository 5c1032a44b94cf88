package discover

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options are a forge client's dependencies and bounds; zero values take
// the defaults.
type Options struct {
	// Token gives the token for a host (Source.Host), "" for none. It is
	// sent to the source's API host only.
	Token func(ctx context.Context, host string) (string, error)
	// Transport makes the requests (http.DefaultTransport).
	Transport http.RoundTripper
	// Clock tells the time and waits (the real one).
	Clock Clock
	// Limits holds each host's rate-limit waits and budget; share one
	// between the sources of a host so they wait together.
	Limits *Limits
	Logger *slog.Logger
	// MaxBody bounds a response body (16 MiB).
	MaxBody int64
	// MaxRepos bounds a listing (20,000); MaxTeams and MaxPeople an org
	// (5,000 and 50,000).
	MaxRepos, MaxTeams, MaxPeople int
	// MaxRetries bounds the retries of one request after a rate limit,
	// a 5xx or a broken connection (6).
	MaxRetries int
	// Concurrency bounds the requests in flight at once (4).
	Concurrency int
	// RequestTimeout bounds one request (60 s).
	RequestTimeout time.Duration
	// MaxAge is how long a listing is reused while the source looks idle
	// before it is made again in full (24 h): the cheap check cannot see
	// every change (a repository made private and another made visible
	// to the token in between).
	MaxAge time.Duration
}

func (o Options) withDefaults() Options {
	if o.Token == nil {
		o.Token = func(context.Context, string) (string, error) { return "", nil }
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.Limits == nil {
		o.Limits = NewLimits()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxRepos, 20_000)
	def(&o.MaxTeams, 5_000)
	def(&o.MaxPeople, 50_000)
	def(&o.MaxRetries, 6)
	def(&o.Concurrency, 4)
	if o.MaxBody <= 0 {
		o.MaxBody = 16 << 20
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 60 * time.Second
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 24 * time.Hour
	}
	return o
}

// Clock is the time as the client sees it; tests wait without sleeping.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends, whichever is first.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Limits are the rate-limit waits and budgets of hosts, safe for
// concurrent use.
type Limits struct {
	mu     sync.Mutex
	until  map[string]time.Time
	budget map[string]Budget
}

// NewLimits makes an empty Limits.
func NewLimits() *Limits {
	return &Limits{until: map[string]time.Time{}, budget: map[string]Budget{}}
}

// Budget is what host last said is left of its rate limit.
func (l *Limits) Budget(host string) Budget {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.budget[host]
}

func (l *Limits) waitUntil(host string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.until[host]
}

func (l *Limits) hold(host string, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.until[host]) {
		l.until[host] = until
	}
}

func (l *Limits) record(host string, b Budget) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.budget[host] = b
}

// client makes a source's API requests: the token on every one, to the
// API host only, within bounds, waiting out rate limits per host.
type client struct {
	src      Source
	o        Options
	http     *http.Client
	slots    chan struct{}
	requests atomic.Int64

	tokenOnce sync.Once
	token     string
	tokenErr  error
}

func newClient(src Source, o Options) *client {
	o = o.withDefaults()
	c := &client{src: src, o: o, slots: make(chan struct{}, o.Concurrency)}
	c.http = &http.Client{Transport: o.Transport, CheckRedirect: c.redirect}
	return c
}

// errRedirect marks a redirect not followed; asking again would not
// help.
var errRedirect = errors.New("redirect refused")

// redirect follows a renamed repository's 301 within the API host, and
// nothing else: the token must not travel.
func (c *client) redirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return fmt.Errorf("%w: more than 5", errRedirect)
	}
	if req.URL.Scheme != via[0].URL.Scheme || req.URL.Host != via[0].URL.Host {
		return fmt.Errorf("%w: to %s://%s, the token is for %s only", errRedirect, req.URL.Scheme, req.URL.Host, via[0].URL.Host)
	}
	return nil
}

type response struct {
	code   int
	header http.Header
	body   []byte
	url    string
}

// do sends one request, retrying what a retry may mend while ctx
// allows: a rate limit (waited out for the whole host), a 5xx, a broken
// connection. Another status is returned as a response, not an error.
func (c *client) do(ctx context.Context, method, rawURL string, body []byte, hdr http.Header) (*response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host != c.src.apiHost() || u.Scheme != c.src.Scheme {
		return nil, fmt.Errorf("request to %s refused: not the API of %s", rawURL, c.src.URL())
	}
	token, err := c.getToken(ctx)
	if err != nil {
		return nil, err
	}
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	host := u.Host
	var last error
	for attempt := 0; attempt <= c.o.MaxRetries; attempt++ {
		if err := c.waitHost(ctx, host); err != nil {
			return nil, err
		}
		resp, err := c.send(ctx, method, rawURL, body, hdr, token)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, ErrTooLarge) || errors.Is(err, errRedirect) {
				return nil, err
			}
			last = err
			if err := c.backoff(ctx, host, attempt); err != nil {
				return nil, fmt.Errorf("%w (after %v)", err, last)
			}
			continue
		}
		if until, limited := c.limited(resp, attempt); limited {
			last = &limitError{host: host, until: until}
			c.o.Logger.Warn("rate limited", "host", host, "until", until, "status", resp.code)
			c.o.Limits.hold(host, until)
			continue
		}
		if resp.code >= 500 {
			last = statusError(resp)
			if err := c.backoff(ctx, host, attempt); err != nil {
				return nil, fmt.Errorf("%w (after %v)", err, last)
			}
			continue
		}
		return resp, nil
	}
	return nil, fmt.Errorf("%s %s: gave up after %d tries: %w", method, rawURL, c.o.MaxRetries+1, last)
}

func (c *client) getToken(ctx context.Context) (string, error) {
	c.tokenOnce.Do(func() {
		c.token, c.tokenErr = c.o.Token(ctx, c.src.Host)
		if c.tokenErr != nil {
			c.tokenErr = fmt.Errorf("token for %s: %w", c.src.Host, c.tokenErr)
		}
	})
	return c.token, c.tokenErr
}

// waitHost waits out the host's rate limit, or fails at once when the
// context would end first. The wait is the clock's; the context's
// deadline is real time.
func (c *client) waitHost(ctx context.Context, host string) error {
	until := c.o.Limits.waitUntil(host)
	d := until.Sub(c.o.Clock.Now())
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return &limitError{host: host, until: until}
	}
	return c.o.Clock.Sleep(ctx, d)
}

// backoff holds the host for a growing delay: 1 s, 2 s, 4 s… up to a
// minute.
func (c *client) backoff(ctx context.Context, host string, attempt int) error {
	d := min(time.Second<<attempt, time.Minute)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return fmt.Errorf("%s: no time left to retry", host)
	}
	return c.o.Clock.Sleep(ctx, d)
}

func (c *client) send(ctx context.Context, method, rawURL string, body []byte, hdr http.Header, token string) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.o.RequestTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, rawURL, err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", "callboard")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	c.requests.Add(1)
	res, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, rawURL, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, c.o.MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: read: %w", method, rawURL, err)
	}
	if int64(len(data)) > c.o.MaxBody {
		return nil, fmt.Errorf("%s %s: %w: over %d bytes", method, rawURL, ErrTooLarge, c.o.MaxBody)
	}
	resp := &response{code: res.StatusCode, header: res.Header, body: data, url: res.Request.URL.String()}
	c.recordBudget(res.Request.URL.Host, res.Header)
	return resp, nil
}

// recordBudget keeps what the host says is left: GitHub's x-ratelimit-*
// and GitLab's RateLimit-* headers.
func (c *client) recordBudget(host string, h http.Header) {
	get := func(names ...string) string {
		for _, n := range names {
			if v := h.Get(n); v != "" {
				return v
			}
		}
		return ""
	}
	rem, err := strconv.Atoi(get("X-Ratelimit-Remaining", "Ratelimit-Remaining"))
	if err != nil {
		return
	}
	b := Budget{Remaining: rem}
	b.Limit, _ = strconv.Atoi(get("X-Ratelimit-Limit", "Ratelimit-Limit"))
	if reset, err := strconv.ParseInt(get("X-Ratelimit-Reset", "Ratelimit-Reset"), 10, 64); err == nil {
		b.ResetAt = time.Unix(reset, 0).UTC()
	}
	c.o.Limits.record(host, b)
}

// limited says whether resp is a rate limit, and until when to wait:
// 429, or 403 with Retry-After, no requests remaining or GitHub's
// secondary-limit message. Without a time, GitHub asks for at least a
// minute, growing.
func (c *client) limited(resp *response, attempt int) (time.Time, bool) {
	if resp.code != http.StatusTooManyRequests && resp.code != http.StatusForbidden {
		return time.Time{}, false
	}
	now := c.o.Clock.Now()
	if s, err := strconv.Atoi(resp.header.Get("Retry-After")); err == nil && s >= 0 {
		return now.Add(time.Duration(min(s, 3600)) * time.Second), true
	}
	if resp.header.Get("X-Ratelimit-Remaining") == "0" || resp.header.Get("Ratelimit-Remaining") == "0" {
		reset, err := strconv.ParseInt(resp.header.Get("X-Ratelimit-Reset"), 10, 64)
		if err != nil {
			reset, err = strconv.ParseInt(resp.header.Get("Ratelimit-Reset"), 10, 64)
		}
		if err == nil {
			if t := time.Unix(reset, 0); t.After(now) {
				return t.Add(time.Second), true
			}
			return now.Add(time.Second), true
		}
	}
	if resp.code == http.StatusTooManyRequests || bytes.Contains(bytes.ToLower(resp.body), []byte("secondary rate limit")) {
		return now.Add(min(time.Minute<<attempt, time.Hour)), true
	}
	return time.Time{}, false
}

// statusError reads the forge's message out of an error answer.
func statusError(resp *response) error {
	var m struct {
		Message json.RawMessage `json:"message"`
		Error   string          `json:"error"`
		Desc    string          `json:"error_description"`
	}
	msg := ""
	if json.Unmarshal(resp.body, &m) == nil {
		var s string
		if json.Unmarshal(m.Message, &s) == nil {
			msg = s
		} else if len(m.Message) > 0 {
			msg = string(m.Message)
		}
		if msg == "" {
			msg = strings.TrimSpace(m.Error + " " + m.Desc)
		}
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return &StatusError{Code: resp.code, Message: msg, URL: redactQuery(resp.url)}
}

func redactQuery(raw string) string {
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		return raw[:i]
	}
	return raw
}

// getJSON GETs a REST resource into v. 401 is ErrAuth; a 403 naming a
// missing scope a *ScopeError (checkScope says how each forge names it).
func (c *client) getJSON(ctx context.Context, rawURL string, hdr http.Header, v any) (*response, error) {
	resp, err := c.do(ctx, http.MethodGet, rawURL, nil, hdr)
	if err != nil {
		return nil, err
	}
	if resp.code == http.StatusNotModified {
		return resp, nil
	}
	if err := c.check(resp, "listing "+c.src.URL()); err != nil {
		return resp, err
	}
	if v != nil {
		if err := json.Unmarshal(resp.body, v); err != nil {
			return resp, fmt.Errorf("GET %s: %w", redactQuery(rawURL), err)
		}
	}
	return resp, nil
}

// check turns an answer other than 2xx into an error.
func (c *client) check(resp *response, what string) error {
	switch {
	case resp.code >= 200 && resp.code < 300:
		return nil
	case resp.code == http.StatusUnauthorized:
		return fmt.Errorf("%w: %s: %w", ErrAuth, c.src.Host, statusError(resp))
	case resp.code == http.StatusForbidden:
		if err := c.scopeError(resp, what); err != nil {
			return err
		}
	}
	return statusError(resp)
}

// scopeError reads a missing scope out of a 403: GitHub's
// X-Accepted-OAuth-Scopes against X-OAuth-Scopes, GitLab's
// insufficient_scope error.
func (c *client) scopeError(resp *response, what string) error {
	if acc := resp.header.Get("X-Accepted-Oauth-Scopes"); acc != "" {
		have := map[string]bool{}
		for s := range strings.SplitSeq(resp.header.Get("X-Oauth-Scopes"), ",") {
			have[strings.TrimSpace(s)] = true
		}
		first := ""
		for s := range strings.SplitSeq(acc, ",") {
			s = strings.TrimSpace(s)
			if have[s] {
				return nil
			}
			if first == "" {
				first = s
			}
		}
		if first != "" {
			return &ScopeError{Host: c.src.Host, Scope: first, What: what}
		}
	}
	var gl struct {
		Error string `json:"error"`
		Scope string `json:"scope"`
	}
	if json.Unmarshal(resp.body, &gl) == nil && gl.Error == "insufficient_scope" {
		scope, _, _ := strings.Cut(gl.Scope, " ")
		if scope == "" {
			scope = "read_api"
		}
		return &ScopeError{Host: c.src.Host, Scope: scope, What: what}
	}
	return nil
}
