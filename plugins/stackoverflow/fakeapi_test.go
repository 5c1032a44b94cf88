package stackoverflow

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeAPI is a Stack Exchange API on loopback: /questions of its
// questions by tag, most recently active first, gzip-compressed whether
// asked or not, as the real API answers.
type fakeAPI struct {
	srv *httptest.Server

	mu        sync.Mutex
	questions map[string][]seQuestion // by tag; "" for all
	requests  []*http.Request
	// backoff and quota, when set, go in the answer to that page number.
	backoffOn, backoff int
	quotaOutOn         int
	// throttled answers every request with a throttle violation.
	throttled bool
	// redirect sends every request there.
	redirect string
	// huge answers more than the byte bound.
	huge bool
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{questions: map[string][]seQuestion{}}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// base is the API URL to put in the settings.
func (f *fakeAPI) base() string { return f.srv.URL + "/2.3" }

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Clone(r.Context()))
	if f.redirect != "" {
		http.Redirect(w, r, f.redirect+r.URL.RequestURI(), http.StatusFound)
		return
	}
	if r.URL.Path != "/2.3/questions" {
		f.write(w, http.StatusNotFound, map[string]any{"error_id": 404, "error_name": "no_method", "error_message": "no method found with this name"})
		return
	}
	if f.throttled {
		f.write(w, http.StatusBadRequest, map[string]any{"error_id": 502, "error_name": "throttle_violation", "error_message": "too many requests from this IP, more requests available in 82763 seconds"})
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	size, _ := strconv.Atoi(r.URL.Query().Get("pagesize"))
	all := f.questions[r.URL.Query().Get("tagged")]
	lo, hi := min((page-1)*size, len(all)), min(page*size, len(all))
	quota := 9000
	if f.quotaOutOn == page {
		quota = 0
	}
	answer := map[string]any{"items": all[lo:hi], "has_more": hi < len(all), "quota_max": 10000, "quota_remaining": quota}
	if f.backoffOn == page {
		answer["backoff"] = f.backoff
	}
	if f.huge {
		pad := make([]byte, maxAnswerBytes)
		for i := range pad {
			pad[i] = 'x'
		}
		answer["padding"] = string(pad)
	}
	f.write(w, http.StatusOK, answer)
}

func (f *fakeAPI) write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	zw := gzip.NewWriter(w)
	_ = json.NewEncoder(zw).Encode(v)
	_ = zw.Close()
}

// add gives tag n questions, ids from first, the newest first.
func (f *fakeAPI) add(tag string, first int64, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range int64(n) {
		id := first + i
		q := seQuestion{QuestionID: id, Title: fmt.Sprintf("How do I use %s &amp; friends (#%d)?", tag, id),
			Link: fmt.Sprintf("https://stackoverflow.com/questions/%d/q-%d", id, id), Tags: []string{tag, "callboard"},
			Score: int(id % 7), AnswerCount: int(id % 3), IsAnswered: id%3 != 0,
			LastActivityDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).Unix() - id,
			Body:             fmt.Sprintf("<p>I tried <code>%s run</code> and it says <b>no</b>.</p>\n\n<p>Question %d.</p>", tag, id)}
		q.Owner.DisplayName = "Ada &quot;L&quot;"
		if id%5 == 0 {
			q.AcceptedAnswerID = id * 10
		}
		f.questions[tag] = append(f.questions[tag], q)
	}
}

// seen returns the requests made so far and forgets them.
func (f *fakeAPI) seen() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.requests
	f.requests = nil
	return out
}

func (f *fakeAPI) set(fn func(f *fakeAPI)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// clock is a time a test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
