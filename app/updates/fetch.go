package updates

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultFeed is the project's GitHub releases: the latest release.
const DefaultFeed = "https://api.github.com/repos/callboard/callboard/releases/latest"

// Budgets for reading a feed, which is untrusted: its size, the time the
// whole request may take, and how many redirects (same host only) it may
// follow.
const (
	MaxFeedBytes = 1 << 20
	Timeout      = 15 * time.Second
	maxRedirects = 3
)

// ErrTooLarge is a feed over MaxFeedBytes.
var ErrTooLarge = errors.New("release feed too large")

// CheckFeedURL refuses a feed URL that is not https (plain http only on
// a loopback address, for a feed served on the machine itself) or that
// carries credentials, which the check would then send.
func CheckFeedURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("feed URL %.200q is not an absolute URL", raw)
	}
	if u.User != nil {
		return fmt.Errorf("feed URL %s holds credentials: the update check sends none", u.Redacted())
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		return fmt.Errorf("feed URL %.200q: want https (http only on a loopback address)", raw)
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Fetcher reads release feeds. The zero value is not usable: use NewFetcher.
type Fetcher struct {
	client    *http.Client
	userAgent string
}

// NewFetcher returns a fetcher whose requests carry no credential and no
// cookie, follow redirects only to the feed's own host, and end after
// Timeout. transport is nil for http.DefaultTransport.
func NewFetcher(version string, transport http.RoundTripper) *Fetcher {
	return &Fetcher{
		userAgent: "callboard/" + version,
		client: &http.Client{
			Transport: transport,
			Timeout:   Timeout,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) > maxRedirects {
					return fmt.Errorf("more than %d redirects", maxRedirects)
				}
				if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
					return fmt.Errorf("redirect to %s://%s, another host than the feed's", req.URL.Scheme, req.URL.Host)
				}
				return nil
			},
		},
	}
}

// Latest reads the feed at feedURL and returns the release it names.
func (f *Fetcher) Latest(ctx context.Context, feedURL string) (Release, error) {
	if err := CheckFeedURL(feedURL); err != nil {
		return Release{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, feedURL, nil)
	if err != nil {
		return Release{}, fmt.Errorf("read release feed %s: %w", feedURL, err)
	}
	req.Header.Set("Accept", "application/vnd.github+json, application/json")
	req.Header.Set("User-Agent", f.userAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		return Release{}, fmt.Errorf("read release feed: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Release{}, fmt.Errorf("read release feed %s: %s", feedURL, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxFeedBytes+1))
	if err != nil {
		return Release{}, fmt.Errorf("read release feed %s: %w", feedURL, err)
	}
	if len(data) > MaxFeedBytes {
		return Release{}, fmt.Errorf("read release feed %s: over %d bytes: %w", feedURL, MaxFeedBytes, ErrTooLarge)
	}
	rel, err := Parse(data)
	if err != nil {
		return Release{}, fmt.Errorf("release feed %s: %w", strings.TrimSpace(feedURL), err)
	}
	return rel, nil
}
