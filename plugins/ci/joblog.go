package ci

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// Bounds on reading a job's log.
const (
	// maxLogTail is how much of a log's end is kept: more than is shown
	// (maxShownBytes), as markers and timestamps are dropped.
	maxLogTail = 2 << 20
	// maxLogDownload is the most read of a log before giving up on its end.
	maxLogDownload = 64 << 20
	// maxRedirects is how many redirects to the log's storage are followed.
	maxRedirects = 3
)

// errLogTooLong is a log longer than maxLogDownload.
var errLogTooLong = errors.New("the log is longer than Callboard reads")

// noFollow is client not following redirects, so the plugin decides where
// the token goes.
func noFollow(client *http.Client) *http.Client {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// sameOrigin says whether u is at the scheme, host and port of base: the
// only place the token is sent.
func sameOrigin(u *url.URL, base string) bool {
	b, err := url.Parse(base)
	return err == nil && strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Host, b.Host)
}

// fetchLog reads the end of a log whose address is path on the API at
// base: the API answers with a redirect to the log's storage (signed, to
// be asked without the token), or with the log. At most maxLogTail bytes
// of its end are kept; truncated says the beginning was left out.
// Errors are callAPI's, and errLogTooLong.
func fetchLog(ctx context.Context, client *http.Client, base string, first *http.Request) (text string, truncated bool, err error) {
	nf := noFollow(client)
	req := first
	for hops := 0; ; hops++ {
		resp, err := nf.Do(req)
		if err != nil {
			return "", false, fmt.Errorf("%w: %s", errUnavailable, netReason(err))
		}
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			loc, lerr := resp.Location()
			resp.Body.Close()
			if lerr != nil || (loc.Scheme != "https" && loc.Scheme != "http") || hops >= maxRedirects {
				return "", false, fmt.Errorf("%w: a redirect Callboard does not follow (%s)", errAPI, resp.Status)
			}
			next, nerr := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
			if nerr != nil {
				return "", false, fmt.Errorf("%w: %v", errAPI, nerr)
			}
			next.Header.Set("User-Agent", userAgent)
			for _, h := range []string{"Authorization", "PRIVATE-TOKEN", "Accept", "X-GitHub-Api-Version"} {
				if v := first.Header.Get(h); v != "" && (sameOrigin(loc, base) || h != "Authorization" && h != "PRIVATE-TOKEN") {
					next.Header.Set(h, v)
				}
			}
			req = next
			continue
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			if hops == 0 {
				return "", false, statusError(resp)
			}
			return "", false, fmt.Errorf("%w: the log's storage answered %s", errUnavailable, resp.Status)
		}
		data, truncated, err := readTail(resp.Body, maxLogTail, maxLogDownload)
		return string(data), truncated, err
	}
}

// statusError is the error of an API answer that is no 2xx or 3xx.
func statusError(resp *http.Response) error {
	code := resp.StatusCode
	switch {
	case rateLimited(resp):
		return fmt.Errorf("%w: rate limit reached%s", errUnavailable, resetAt(resp.Header))
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return fmt.Errorf("%w (%s)", errRefused, resp.Status)
	case code == http.StatusNotFound || code == http.StatusGone:
		return fmt.Errorf("%w (%s)", errNotFound, resp.Status)
	case code >= 500:
		return fmt.Errorf("%w: it answered %s", errUnavailable, resp.Status)
	}
	return fmt.Errorf("%w: %s", errAPI, resp.Status)
}

// readTail reads r to its end, at most limit bytes, and keeps the last
// keep bytes from the start of a line. truncated says bytes were left out
// before them.
func readTail(r io.Reader, keep, limit int) (data []byte, truncated bool, err error) {
	buf := make([]byte, 0, min(keep, 256<<10)*2)
	chunk := make([]byte, 64<<10)
	total := 0
	for {
		n, rerr := r.Read(chunk)
		total += n
		buf = append(buf, chunk[:n]...)
		if len(buf) > 2*keep {
			buf = buf[:copy(buf, buf[len(buf)-keep:])]
			truncated = true
		}
		if total > limit {
			return nil, false, fmt.Errorf("%w: over %d MiB", errLogTooLong, limit>>20)
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return nil, false, fmt.Errorf("%w: reading the log: %s", errUnavailable, netReason(rerr))
		}
	}
	if len(buf) > keep {
		buf, truncated = buf[len(buf)-keep:], true
	}
	if truncated {
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			buf = buf[i+1:]
		}
	}
	return buf, truncated, nil
}

// githubLog is the log action: job id's log, folded by its steps.
func (p *ciPlugin) githubLog(ctx context.Context, s settings, owner, repo string, id int64, name string) []*pluginv1.Block {
	j, jerr := fetchJob(ctx, p.client, s.apiURL, s.token, owner, repo, id)
	u := fmt.Sprintf("%s/repos/%s/%s/actions/jobs/%d/logs", s.apiURL, url.PathEscape(owner), url.PathEscape(repo), id)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return []*pluginv1.Block{failure(err, "the log of job "+name, s.token)}
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", userAgent)
	text, truncated, err := fetchLog(ctx, p.client, s.apiURL, req)
	refresh := sdk.Buttons(refreshOf(logAction(owner, repo, id, name)))
	if err != nil {
		if errors.Is(err, errNotFound) {
			return []*pluginv1.Block{sdk.Notice(fmt.Sprintf("GitHub has no log of job %s %s: a job's log is there once it has finished, for as long as the repository keeps logs.", name, strings.TrimPrefix(err.Error(), errNotFound.Error()+" ")), pluginv1.Status_STATUS_INFO), refresh}
		}
		return []*pluginv1.Block{failure(err, "the log of job "+name, s.token), refresh}
	}
	var steps []step
	if jerr == nil {
		steps = j.Steps
	} else {
		p.log.Warn("job steps not read", "repo", owner+"/"+repo, "job", id, "err", redact(jerr.Error(), s.token))
	}
	text, cut := lastLines(text, maxShownLines)
	pre, secs := splitGitHubLog(text, steps)
	title := "Log of job " + name
	if truncated {
		title += fmt.Sprintf(" (its last %d MiB)", maxLogTail>>20)
	}
	return []*pluginv1.Block{logBlock(title, pre, secs, truncated || cut), refresh}
}

// logBlock is a log folded into sections, within the bounds shown.
func logBlock(title string, pre []string, secs []logSection, truncated bool) *pluginv1.Block {
	pre, secs, cut := fitLog(pre, secs)
	b := sdk.Log(title, pre, truncated || cut)
	for _, s := range secs {
		b.GetLog().Sections = append(b.GetLog().Sections, &pluginv1.LogSection{Title: s.Title, Lines: s.Lines, Status: s.Status, Open: s.Open, Duration: s.Duration})
	}
	return b
}
