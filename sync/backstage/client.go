package backstage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Options are a client's dependencies and bounds; zero values take the
// defaults.
type Options struct {
	// Token is sent as a bearer token to the base URL's host only; ""
	// sends none.
	Token string
	// Transport makes the requests (http.DefaultTransport).
	Transport http.RoundTripper
	// PageSize is how many whole entities a page asks for (250);
	// ETagPageSize how many of a read of etags alone (10,000: an idle
	// catalog of that size is one request).
	PageSize, ETagPageSize int
	// BatchSize is how many changed entities one by-refs request asks
	// for (200).
	BatchSize int
	// MaxBody bounds one response (32 MiB); MaxEntities a catalog
	// (200,000).
	MaxBody     int64
	MaxEntities int
	// RequestTimeout bounds one request (60 s); ReadTimeout a whole read
	// (10 min).
	RequestTimeout, ReadTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.PageSize, 250)
	def(&o.ETagPageSize, 10_000)
	def(&o.BatchSize, 200)
	def(&o.MaxEntities, 200_000)
	if o.MaxBody <= 0 {
		o.MaxBody = 32 << 20
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 60 * time.Second
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = 10 * time.Minute
	}
	return o
}

// Client reads one Backstage backend's catalog.
type Client struct {
	base     *url.URL
	opts     Options
	http     *http.Client
	requests atomic.Int64
	bytes    atomic.Int64
}

// New returns a client of the backend at base (ParseBaseURL's rules).
func New(base string, opts Options) (*Client, error) {
	u, err := ParseBaseURL(base)
	if err != nil {
		return nil, err
	}
	c := &Client{base: u, opts: opts.withDefaults()}
	c.http = &http.Client{Transport: c.opts.Transport, CheckRedirect: c.checkRedirect}
	return c, nil
}

// checkRedirect follows at most 5 redirects, and drops the token from a
// request going to another host or scheme: it belongs to the base URL's
// host alone.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if req.URL.Host != c.base.Host || req.URL.Scheme != c.base.Scheme {
		req.Header.Del("Authorization")
	}
	return nil
}

// Requests and Bytes count what the client asked and received so far.
func (c *Client) Requests() int { return int(c.requests.Load()) }

// Bytes is the size of the response bodies received so far.
func (c *Client) Bytes() int64 { return c.bytes.Load() }

// call asks the backend's API for path (under /api) with query q (or
// posts body) and returns the response body, bounded.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	u := *c.base
	u.Path += "/api" + path
	u.RawQuery = q.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, u.Redacted(), err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.opts.Token)
	}
	c.requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil && context.Cause(ctx) != context.DeadlineExceeded && errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreachable, c.base.Host, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	c.bytes.Add(int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: reading the answer to %s %s: %v", ErrUnreachable, c.base.Host, method, u.Path, err)
	}
	host := c.base.Host
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return nil, fmt.Errorf("%w (401 from %s): the token is missing, expired or not one this backend accepts; "+
			"store a valid one with `callboard token set %s` (a static token from the backend's backend.auth.externalAccess, or your own Backstage token)",
			ErrUnauthorized, host, c.base.Hostname())
	case resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("%w (403 from %s): the token is valid but its principal may not read the catalog; "+
			"ask the backend's admins to allow catalog.entity.read for it (the permission policy, or the external-access token's accessRestrictions)",
			ErrForbidden, host)
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return nil, fmt.Errorf("%w: %s answered %s to %s %s", ErrUnreachable, host, resp.Status, method, u.Path)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%w: %s answered %s to %s %s: %s", ErrBadResponse, host, resp.Status, method, u.Path, snippet(b))
	case int64(len(b)) > c.opts.MaxBody:
		return nil, fmt.Errorf("%w: the answer to %s %s is over %d MiB", ErrBadResponse, method, u.Path, c.opts.MaxBody>>20)
	}
	return b, nil
}

// snippet is the start of an error body, for the message.
func snippet(b []byte) string {
	s := strings.ToValidUTF8(string(b), "?")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return strings.TrimSpace(s)
}

// etagFields are what a read of etags alone asks for: enough to tell
// each entity apart and see it change.
const etagFields = "kind,metadata.namespace,metadata.name,metadata.etag"

// pages reads every entity through /entities/by-query, cursor after
// cursor; with etagsOnly only etagFields of each. fn is given each page.
func (c *Client) pages(ctx context.Context, etagsOnly bool, fn func([]Entity) error) error {
	limit := c.opts.PageSize
	q := url.Values{}
	if etagsOnly {
		limit = c.opts.ETagPageSize
		q.Set("fields", etagFields)
	}
	q.Set("limit", strconv.Itoa(limit))
	seen := map[string]bool{}
	total := 0
	for {
		b, err := c.call(ctx, http.MethodGet, "/catalog/entities/by-query", q, nil)
		if err != nil {
			return err
		}
		p, err := decodePage(b, !etagsOnly, limit)
		if err != nil {
			return err
		}
		if total += len(p.Items); total > c.opts.MaxEntities {
			return fmt.Errorf("%w: the catalog has more than %d entities, the most Callboard reads of one Backstage", ErrBadResponse, c.opts.MaxEntities)
		}
		if err := fn(p.Items); err != nil {
			return err
		}
		if p.NextCursor == "" || len(p.Items) == 0 {
			return nil
		}
		if seen[p.NextCursor] {
			return fmt.Errorf("%w: the backend gave a cursor it gave before", ErrBadResponse)
		}
		seen[p.NextCursor] = true
		// A cursor carries the query; it is sent alone, as catalog-client does.
		q = url.Values{"cursor": {p.NextCursor}, "limit": {strconv.Itoa(limit)}}
		if etagsOnly {
			q.Set("fields", etagFields)
		}
	}
}

// byRefs reads the entities refs name; those gone are left out.
func (c *Client) byRefs(ctx context.Context, refs []string) ([]Entity, error) {
	body, err := json.Marshal(map[string][]string{"entityRefs": refs})
	if err != nil {
		return nil, err
	}
	b, err := c.call(ctx, http.MethodPost, "/catalog/entities/by-refs", nil, body)
	if err != nil {
		return nil, err
	}
	return decodeRefs(b, len(refs))
}
