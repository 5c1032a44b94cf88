package stackoverflow

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
)

// Bounds on a fetch: the API's pages are at most 100 questions.
const (
	pageSize = 100
	// maxPagesPerTag caps the pages read for one tag.
	maxPagesPerTag = 20
	// maxQuestions caps the questions kept, as the portal indexes at most
	// 10,000 documents a plugin.
	maxQuestions = 10000
	// maxAnswerBytes caps one page's answer once decompressed (a page of
	// 100 questions with bodies is a few hundred KB).
	maxAnswerBytes = 8 << 20
	// maxExcerpt is how much of a question's text is kept; maxTitle of
	// its title or owner's name (Stack Overflow's titles are at most 150
	// characters), maxQuestionTags of its tags (Stack Overflow allows five).
	maxExcerpt      = 2000
	maxTitle        = 300
	maxQuestionTags = 5
	// requestTimeout bounds one request, whatever the call's deadline.
	requestTimeout = 15 * time.Second
	// filter is the API's built-in filter that adds each question's body.
	filter = "withbody"
)

// question is one question, as cached and indexed.
type question struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Excerpt    string    `json:"excerpt"`
	URL        string    `json:"url"`
	Tags       []string  `json:"tags"`
	Score      int       `json:"score"`
	Answers    int       `json:"answers"`
	Answered   bool      `json:"answered"`
	Accepted   bool      `json:"accepted"`
	Owner      string    `json:"owner,omitempty"`
	ActivityAt time.Time `json:"activityAt"`
}

// seAnswer is the part of the API's wrapper object that is read.
type seAnswer struct {
	Items          []seQuestion `json:"items"`
	HasMore        bool         `json:"has_more"`
	QuotaRemaining *int         `json:"quota_remaining"`
	Backoff        int          `json:"backoff"`
	ErrorID        int          `json:"error_id"`
	ErrorName      string       `json:"error_name"`
	ErrorMessage   string       `json:"error_message"`
}

type seQuestion struct {
	QuestionID       int64    `json:"question_id"`
	Title            string   `json:"title"`
	Link             string   `json:"link"`
	Tags             []string `json:"tags"`
	Score            int      `json:"score"`
	AnswerCount      int      `json:"answer_count"`
	IsAnswered       bool     `json:"is_answered"`
	AcceptedAnswerID int64    `json:"accepted_answer_id"`
	LastActivityDate int64    `json:"last_activity_date"`
	Body             string   `json:"body"`
	Owner            struct {
		DisplayName string `json:"display_name"`
	} `json:"owner"`
}

// fetched is what one fetch got.
type fetched struct {
	questions []question
	// complete is false when the fetch stopped early (err says why); what
	// it got is then added to the cache rather than replacing it.
	complete bool
	err      error
	// notBefore is when the API may be asked again (its backoff, or the
	// next quota day); zero when any time.
	notBefore time.Time
}

// fetcher asks the Stack Exchange API for questions.
type fetcher struct {
	client *http.Client
	now    func() time.Time
	strip  *bluemonday.Policy
}

// newFetcher makes a fetcher over transport (http.DefaultTransport when
// nil). It follows a redirect only to the same scheme and host, so the
// token never reaches another host.
func newFetcher(transport http.RoundTripper, now func() time.Time) *fetcher {
	client := &http.Client{Transport: transport, Timeout: requestTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			first := via[0].URL
			if req.URL.Host != first.Host || req.URL.Scheme != first.Scheme {
				return fmt.Errorf("%w: it redirected to another host (%s), not followed", errUnavailable, req.URL.Host)
			}
			if len(via) >= 5 {
				return fmt.Errorf("%w: too many redirects", errUnavailable)
			}
			return nil
		}}
	return &fetcher{client: client, now: now, strip: bluemonday.StrictPolicy()}
}

// fetch reads the questions of each tag (any of them), most recently
// active first, until the bounds, ctx's end, a backoff or the quota stop
// it. With no tags it reads all the questions (of a team: the caller
// asks for no public site's).
func (f *fetcher) fetch(ctx context.Context, s settings) fetched {
	tags := s.tags
	if len(tags) == 0 {
		tags = []string{""} // a team's every question
	}
	var out fetched
	seen := map[int64]bool{}
	for i, tag := range tags {
		for page := 1; page <= maxPagesPerTag; page++ {
			if err := ctx.Err(); err != nil {
				out.err = fmt.Errorf("%w: out of time after %d questions", errUnavailable, len(out.questions))
				return out
			}
			a, err := f.page(ctx, s, tag, page)
			if err != nil {
				out.err = err
				if errors.Is(err, errBackoff) {
					out.notBefore = f.now().Add(s.refresh)
				}
				return out
			}
			for _, q := range a.Items {
				if !seen[q.QuestionID] && len(out.questions) < maxQuestions {
					seen[q.QuestionID] = true
					out.questions = append(out.questions, f.question(q))
				}
			}
			more := a.HasMore && page < maxPagesPerTag && len(out.questions) < maxQuestions
			last := !more && i == len(tags)-1
			switch {
			case a.QuotaRemaining != nil && *a.QuotaRemaining <= 0 && !last:
				out.err = errQuota
				out.notBefore = nextDay(f.now())
				return out
			case a.Backoff > 0 && !last:
				// The API wants no request to this method before then.
				out.err = fmt.Errorf("%w for %d s", errBackoff, a.Backoff)
				out.notBefore = f.now().Add(time.Duration(a.Backoff) * time.Second)
				return out
			case a.Backoff > 0:
				out.notBefore = f.now().Add(time.Duration(a.Backoff) * time.Second)
			}
			if len(out.questions) >= maxQuestions {
				out.complete = true
				return out
			}
			if !more {
				break
			}
		}
	}
	out.complete = true
	return out
}

// page asks for one page of one tag's questions ("" for all).
func (f *fetcher) page(ctx context.Context, s settings, tag string, page int) (seAnswer, error) {
	q := url.Values{"order": {"desc"}, "sort": {"activity"}, "filter": {filter},
		"pagesize": {strconv.Itoa(pageSize)}, "page": {strconv.Itoa(page)}}
	if tag != "" {
		q.Set("tagged", tag)
	}
	if s.team != "" {
		q.Set("team", s.team)
	} else {
		q.Set("site", s.site)
	}
	if s.key != "" {
		q.Set("key", s.key)
	}
	u := *s.api
	u.Path = strings.TrimRight(u.Path, "/") + "/questions"
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return seAnswer{}, fmt.Errorf("%w: %v", errUnavailable, err)
	}
	req.Header.Set("User-Agent", "callboard-stackoverflow-plugin")
	if s.team != "" && s.token != "" {
		// Only a team's requests carry the token, to the API's own host.
		req.Header.Set("X-API-Access-Token", s.token)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return seAnswer{}, fmt.Errorf("%w: %s", errUnavailable, netReason(err))
	}
	defer resp.Body.Close()
	body := resp.Body
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") && !resp.Uncompressed {
		// The API compresses every answer, asked or not.
		zr, err := gzip.NewReader(body)
		if err != nil {
			return seAnswer{}, fmt.Errorf("%w: a broken gzip answer: %v", errUnavailable, err)
		}
		defer zr.Close()
		body = zr
	}
	data, err := io.ReadAll(io.LimitReader(body, maxAnswerBytes+1))
	if err != nil {
		return seAnswer{}, fmt.Errorf("%w: reading the answer: %s", errUnavailable, netReason(err))
	}
	if len(data) > maxAnswerBytes {
		return seAnswer{}, fmt.Errorf("%w: over %d MiB", errTooBig, maxAnswerBytes>>20)
	}
	var a seAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		// A captive portal or proxy answers with a page of its own.
		return seAnswer{}, fmt.Errorf("%w: the answer from %s is not the API's (%s, %s)", errUnavailable, s.api.Host, resp.Status, resp.Header.Get("Content-Type"))
	}
	switch {
	case a.ErrorID == 502 || resp.StatusCode == http.StatusTooManyRequests:
		return seAnswer{}, fmt.Errorf("%w: %s", errBackoff, cmpOr(a.ErrorMessage, resp.Status))
	case a.ErrorID == 401 || a.ErrorID == 403 || a.ErrorID == 405 || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return seAnswer{}, fmt.Errorf("%w: %s", errRefused, cmpOr(a.ErrorMessage, resp.Status))
	case a.ErrorID != 0 || resp.StatusCode != http.StatusOK:
		return seAnswer{}, fmt.Errorf("%w: %s: %s", errUnavailable, resp.Status, cmpOr(a.ErrorName+": "+a.ErrorMessage, "no message"))
	}
	return a, nil
}

// question turns the API's question into ours: text, not HTML.
func (f *fetcher) question(q seQuestion) question {
	link := q.Link
	if u, err := url.Parse(link); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(link) > 2000 {
		link = ""
	}
	var tags []string
	for _, t := range q.Tags[:min(len(q.Tags), maxQuestionTags)] {
		tags = append(tags, clip(t, 40))
	}
	return question{
		ID: q.QuestionID, Title: excerpt(html.UnescapeString(q.Title), maxTitle), URL: link,
		Excerpt: excerpt(html.UnescapeString(f.strip.Sanitize(q.Body)), maxExcerpt),
		Tags:    tags, Score: q.Score, Answers: q.AnswerCount, Answered: q.IsAnswered,
		Accepted: q.AcceptedAnswerID != 0, Owner: excerpt(html.UnescapeString(q.Owner.DisplayName), maxTitle),
		ActivityAt: time.Unix(q.LastActivityDate, 0).UTC(),
	}
}

// excerpt is text with its white space made single spaces, cut to n bytes
// at a word.
func excerpt(text string, n int) string {
	return clip(strings.Join(strings.Fields(text), " "), n)
}

// clip cuts text to n bytes, at a word when one ends in the second half,
// marking the cut with " …".
func clip(text string, n int) string {
	if len(text) <= n {
		return text
	}
	cut := strings.ToValidUTF8(text[:n], "")
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}

// nextDay is the start of the next UTC day, when the API's quota resets.
func nextDay(t time.Time) time.Time {
	return t.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
}

// netReason is a network error without the URL, which may hold the key.
func netReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

func cmpOr(s, fallback string) string {
	if strings.TrimSpace(strings.Trim(s, ": ")) == "" {
		return fallback
	}
	return s
}
