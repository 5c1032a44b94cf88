package stackoverflow

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// harness is the plugin over a fake API, a clock and a cache folder.
type harness struct {
	api   *fakeAPI
	clock *clock
	req   sdk.Request
	p     *plugin
}

func newHarness(t *testing.T, config map[string]string) *harness {
	t.Helper()
	h := &harness{api: newFakeAPI(t), clock: newClock()}
	h.req = sdk.Request{Config: map[string]string{keyAPIURL: h.api.base(), keyCacheDir: t.TempDir()}, Secrets: map[string]string{}}
	for k, v := range config {
		h.req.Config[k] = v
	}
	h.p = h.plugin(h.api.srv.Client().Transport)
	return h
}

func (h *harness) plugin(transport http.RoundTripper) *plugin {
	return newPlugin(transport, h.clock.now, slog.New(slog.DiscardHandler))
}

func (h *harness) docs(t *testing.T) []*pluginv1.SearchDocument {
	t.Helper()
	docs, err := h.p.searchDocuments(context.Background(), h.req)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestFetchesQuestionsOfEachTag(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		// asksGzip: Go's transport asks for gzip and undoes it; without, the
		// plugin undoes the gzip the API sends anyway.
		asksGzip bool
	}{{"transport asks for gzip", true}, {"gzip sent unasked", false}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{keyTags: "go, Docker", keySite: "serverfault"})
			h.api.add("go", 1, 250)
			h.api.add("docker", 200, 60) // 50 of them also tagged go
			if !tt.asksGzip {
				tr := h.api.srv.Client().Transport.(*http.Transport).Clone()
				tr.DisableCompression = true
				h.p = h.plugin(tr)
			}
			docs := h.docs(t)
			if len(docs) != 259 {
				t.Fatalf("%d documents, want 259 (250 + 60 less 51 shared)", len(docs))
			}
			reqs := h.api.seen()
			if len(reqs) != 4 {
				t.Errorf("%d requests, want 3 pages of go and 1 of docker", len(reqs))
			}
			q := reqs[0].URL.Query()
			for k, want := range map[string]string{"tagged": "go", "sort": "activity", "order": "desc", "filter": "withbody", "site": "serverfault", "pagesize": "100", "page": "1"} {
				if q.Get(k) != want {
					t.Errorf("%s=%q, want %q", k, q.Get(k), want)
				}
			}
			if q.Has("team") || reqs[0].Header.Get("X-API-Access-Token") != "" {
				t.Error("a public site's request names a team or carries a token")
			}
			d := docs[0]
			if d.GetId() != "1" || d.GetTitle() != "How do I use go & friends (#1)?" || d.GetUrl() != "https://stackoverflow.com/questions/1/q-1" {
				t.Errorf("first document %v", d)
			}
			if want := "Answered · 1 vote · 1 answer · go, callboard\nI tried go run and it says no. Question 1."; d.GetText() != want {
				t.Errorf("text %q, want %q", d.GetText(), want)
			}
			if d.GetType() != "question" || !slices.Equal(d.GetTags(), []string{"go", "callboard"}) {
				t.Errorf("type %q, tags %q; want question, [go callboard]", d.GetType(), d.GetTags())
			}
		})
	}
}

// Not set up (no tags, no team), it asks nothing and writes nothing; a
// team without tags gets all of the team's questions.
func TestTagsOrATeam(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.api.add("", 1, 5)
	if docs := h.docs(t); len(docs) != 0 || len(h.api.seen()) != 0 {
		t.Errorf("not set up: %d documents, asked the API", len(docs))
	}
	if entries, _ := os.ReadDir(h.req.Config[keyCacheDir]); len(entries) != 0 {
		t.Errorf("not set up: wrote %d files", len(entries))
	}
	h.req.Config[keyTeam] = "acme"
	if docs := h.docs(t); len(docs) != 5 {
		t.Errorf("a team without tags: %d documents, want its 5 questions", len(docs))
	}
	if r := h.api.seen(); len(r) != 1 || r[0].URL.Query().Has("tagged") {
		t.Errorf("a team without tags asked %v", r)
	}
}

func TestRefreshesAtMostEveryN(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{keyTags: "go", keyRefresh: "30"})
	h.api.add("go", 1, 10)
	h.docs(t)
	if n := len(h.api.seen()); n != 1 {
		t.Fatalf("first call made %d requests, want 1", n)
	}
	h.api.add("go", 11, 5)
	h.clock.advance(29 * time.Minute)
	if docs := h.docs(t); len(docs) != 10 || len(h.api.seen()) != 0 {
		t.Fatalf("a call within 30 minutes asked the API or changed the documents (%d)", len(docs))
	}
	h.clock.advance(time.Minute)
	if docs := h.docs(t); len(docs) != 15 || len(h.api.seen()) != 1 {
		t.Fatalf("a call after 30 minutes: %d documents, want 15 fetched again", len(docs))
	}
}

func TestStopsWhereTheAPISays(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		set       func(f *fakeAPI)
		requests  int
		docs      int
		notBefore time.Duration // after the start, when the API may be asked again
	}{
		{"backoff", func(f *fakeAPI) { f.backoffOn, f.backoff = 1, 7200 }, 1, 100, 2 * time.Hour},
		{"backoff on the last page", func(f *fakeAPI) { f.backoffOn, f.backoff = 3, 7200 }, 3, 250, 2 * time.Hour},
		{"quota spent", func(f *fakeAPI) { f.quotaOutOn = 2 }, 2, 200, 14 * time.Hour}, // 10:00 to midnight UTC
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{keyTags: "go"})
			h.api.add("go", 1, 250)
			h.api.set(tt.set)
			if docs := h.docs(t); len(docs) != tt.docs {
				t.Errorf("%d documents, want %d", len(docs), tt.docs)
			}
			if n := len(h.api.seen()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
			// Due by the refresh interval, not yet by the API.
			h.clock.advance(tt.notBefore - time.Minute)
			h.docs(t)
			if n := len(h.api.seen()); n != 0 {
				t.Errorf("%d requests before the API allowed them", n)
			}
			h.clock.advance(time.Minute)
			h.api.set(func(f *fakeAPI) { f.backoffOn, f.quotaOutOn = 0, 0 })
			if docs := h.docs(t); len(docs) != 250 {
				t.Errorf("%d documents once allowed again, want 250", len(docs))
			}
		})
	}
}

func TestFailedFetchKeepsTheCache(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		break_ func(h *harness)
		want   error
	}{
		{"offline", func(h *harness) { h.api.srv.Close() }, errUnavailable},
		{"throttled", func(h *harness) { h.api.set(func(f *fakeAPI) { f.throttled = true }) }, errBackoff},
		{"answer too big", func(h *harness) { h.api.set(func(f *fakeAPI) { f.huge = true }) }, errTooBig},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{keyTags: "go"})
			h.api.add("go", 1, 30)
			h.docs(t)
			tt.break_(h)
			h.clock.advance(2 * time.Hour)
			// A new process: the questions come from the disk.
			h.p = h.plugin(h.api.srv.Client().Transport)
			if docs := h.docs(t); len(docs) != 30 {
				t.Errorf("%d documents after a failed fetch, want the 30 cached", len(docs))
			}
			c, err := questionCache{dir: h.req.Config[keyCacheDir]}.load(mustSettings(t, h.req).cacheKey())
			if err != nil || c.LastError == "" {
				t.Errorf("the cache does not say why the fetch failed (%v)", err)
			}
			// With nothing cached, the call fails saying why.
			h.req.Config[keyTags] = "rust"
			if _, err := h.p.searchDocuments(context.Background(), h.req); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestTokenOnlyToTheTeamsAPIHost(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{keyTags: "go", keyTeam: "acme"})
	h.req.Secrets[keyToken] = "s3cret"
	h.api.add("go", 1, 3)
	if docs := h.docs(t); len(docs) != 3 {
		t.Fatalf("%d documents, want 3", len(docs))
	}
	r := h.api.seen()[0]
	if r.Header.Get("X-API-Access-Token") != "s3cret" || r.URL.Query().Get("team") != "acme" || r.URL.Query().Has("site") {
		t.Errorf("a team's request: token %q, query %s", r.Header.Get("X-API-Access-Token"), r.URL.RawQuery)
	}

	// The API redirects elsewhere (another port is another host).
	other := newFakeAPI(t)
	other.add("go", 1, 3)
	h.api.set(func(f *fakeAPI) { f.redirect = other.srv.URL })
	h.clock.advance(2 * time.Hour)
	h.docs(t)
	if n := len(other.seen()); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
	for _, r := range h.api.seen() {
		if r.Header.Get("X-API-Access-Token") == "" {
			t.Error("a request to the API's host lost the token")
		}
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		config  map[string]string
		wantErr string
		check   func(s settings) bool
	}{
		{"defaults", map[string]string{keyCacheDir: "/c"}, "", func(s settings) bool {
			return s.api.String() == DefaultAPIURL && s.site == DefaultSite && s.refresh == time.Hour && len(s.tags) == 0
		}},
		{"a team defaults to the Teams API", map[string]string{keyTeam: "acme", keyCacheDir: "/c"}, "", func(s settings) bool { return s.api.String() == DefaultTeamsURL }},
		{"tags cleaned", map[string]string{keyTags: " Go ,,c#, .net ", keyCacheDir: "/c"}, "", func(s settings) bool { return strings.Join(s.tags, ";") == "go;c#;.net" }},
		{"refresh at least 15 minutes", map[string]string{keyRefresh: "1", keyCacheDir: "/c"}, "", func(s settings) bool { return s.refresh == 15*time.Minute }},
		{"bad tag", map[string]string{keyTags: "go lang"}, "not a tag", nil},
		{"bad refresh", map[string]string{keyRefresh: "soon"}, "refreshMinutes", nil},
		{"http elsewhere", map[string]string{keyAPIURL: "http://api.example.com/2.3"}, "use https", nil},
		{"credentials in the URL", map[string]string{keyAPIURL: "https://u:p@api.example.com"}, "credentials", nil},
		{"relative cache", map[string]string{keyCacheDir: "cache"}, "absolute", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := settingsOf(sdk.Request{Config: tt.config})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(s) {
				t.Errorf("settings %+v, error %v", s, err)
			}
		})
	}
}

func mustSettings(t *testing.T, req sdk.Request) settings {
	t.Helper()
	s, err := settingsOf(req)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// An answer of 10,000 questions fits the host's gRPC messages (4 MiB):
// each question keeps what the budget leaves of its text.
func TestDocumentsFitOneMessage(t *testing.T) {
	t.Parallel()
	qs := benchQuestions(maxQuestions)
	for _, tt := range []struct {
		name   string
		budget int
		want   int
	}{
		{"all of them", maxDocumentBytes, maxQuestions},
		{"the newest that fit a smaller budget", 100 << 10, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs := documents(qs, tt.budget)
			size := proto.Size(&pluginv1.SearchDocumentsResponse{Documents: docs})
			if size > tt.budget {
				t.Errorf("%d documents of %d bytes, over the budget of %d", len(docs), size, tt.budget)
			}
			if tt.want != 0 && len(docs) != tt.want {
				t.Errorf("%d documents, want %d", len(docs), tt.want)
			}
			if tt.want == 0 && (len(docs) == 0 || len(docs) == len(qs)) {
				t.Errorf("%d documents: want the newest that fit", len(docs))
			}
			if tt.want != 0 && !strings.Contains(docs[0].GetText(), "\n") {
				t.Errorf("first document %q keeps none of its text", docs[0].GetText())
			}
		})
	}
}

// Without a cache folder (no HOME), the questions are kept in memory and
// the API is still asked only when due.
func TestNoCacheFolder(t *testing.T) {
	for _, v := range []string{"HOME", "XDG_CACHE_HOME", "LocalAppData"} {
		t.Setenv(v, "")
	}
	h := newHarness(t, map[string]string{keyTags: "go"})
	delete(h.req.Config, keyCacheDir)
	if s := mustSettings(t, h.req); s.cacheDir != "" {
		t.Fatalf("a cache folder without HOME: %s", s.cacheDir)
	}
	h.api.add("go", 1, 4)
	for range 2 {
		if docs := h.docs(t); len(docs) != 4 {
			t.Fatalf("%d documents, want 4", len(docs))
		}
	}
	if n := len(h.api.seen()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
