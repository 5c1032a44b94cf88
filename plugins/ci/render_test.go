package ci

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// testToken is the token the fake GitHub accepts; no view, log or cache
// file may hold it.
const testToken = "ghp_T3stT0kenN0tReal0123456789abcdefABCD"

// How the fake GitHub answers.
const (
	answerRuns      int32 = iota
	answer500             // a GitHub outage
	answerRateLimit       // 403 with no requests remaining
	answer403             // 403 that is no rate limit: the token may not
	answer422Echo         // an error whose message repeats the Authorization header
	answerHang            // no answer until the client gives up
)

// fakeGitHub is a loopback server speaking the one endpoint the plugin
// uses, "list workflow runs for a repository", with testdata/runs.json (an
// answer as GitHub gives it) for acme/payments.
type fakeGitHub struct {
	srv    *httptest.Server
	answer atomic.Int32
	hits   atomic.Int32
	// jobs serves the jobs, logs and re-runs of runs (actions_test.go).
	jobs atomic.Pointer[fakeJobs]
}

func newFakeGitHub(t testing.TB) *fakeGitHub {
	t.Helper()
	runs, err := os.ReadFile("testdata/runs.json")
	if err != nil {
		t.Fatal(err)
	}
	gh := &fakeGitHub{}
	gh.srv = closable(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gh.hits.Add(1)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.Header.Get("Accept") != "application/vnd.github+json" || r.Header.Get("X-GitHub-Api-Version") != "2022-11-28" {
			t.Errorf("request headers: Accept %q, X-GitHub-Api-Version %q", r.Header.Get("Accept"), r.Header.Get("X-GitHub-Api-Version"))
		}
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`)
			return
		}
		if j := gh.jobs.Load(); j != nil && j.serve(w, r) {
			return
		}
		if r.Method != http.MethodGet || r.URL.Query().Get("per_page") != "20" {
			t.Errorf("request: %s %s", r.Method, r.URL)
		}
		if r.URL.Path != "/repos/acme/payments/actions/runs" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository","status":"404"}`)
			return
		}
		switch gh.answer.Load() {
		case answerRuns:
			w.Header().Set("X-RateLimit-Remaining", "4999")
			_, _ = w.Write(runs)
		case answer500:
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"message":"Server Error"}`)
		case answerRateLimit:
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC).Unix()))
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"403"}`)
		case answer403:
			w.Header().Set("X-RateLimit-Remaining", "4998")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"Resource not accessible by personal access token","status":"403"}`)
		case answer422Echo:
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprintf(w, `{"message":"Validation Failed for %s"}`, r.Header.Get("Authorization"))
		case answerHang:
			<-r.Context().Done()
		}
	}))
	t.Cleanup(gh.srv.Close)
	return gh
}

// testPlugin is a plugin whose clock the test sets and whose log it reads.
func testPlugin(t *testing.T) (p *ciPlugin, clock *time.Time, logs *bytes.Buffer) {
	t.Helper()
	logs = &bytes.Buffer{}
	clock = new(time.Time)
	p = newPlugin(slog.New(slog.NewTextHandler(logs, nil)))
	p.now = func() time.Time { return *clock }
	return p, clock, logs
}

// entityRequest is what the app sends for component payments.
func entityRequest(clone, commit, api, cacheDir, token, slug string) sdk.EntityRequest {
	ann := map[string]string{"backstage.io/techdocs-ref": "dir:."}
	if slug != "" {
		ann[slugAnnotation] = slug
	}
	secrets := map[string]string{}
	if token != "" {
		secrets[keyToken] = token
	}
	return sdk.EntityRequest{
		Request: sdk.Request{Config: map[string]string{keyAPIURL: api, keyCacheDir: cacheDir}, Secrets: secrets},
		Entity: sdk.Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Component",
			Metadata: sdk.Metadata{Name: "payments", Namespace: "default", Annotations: ann}, Spec: map[string]any{"type": "service"}},
		ClonePath: clone, Commit: commit, EntityFile: "catalog-info.yaml",
	}
}

// rendered is a render's views, checked for the token and taken apart.
type rendered struct {
	card, tab *pluginv1.View
}

func render(t *testing.T, ctx context.Context, p *ciPlugin, req sdk.EntityRequest) rendered {
	t.Helper()
	views, err := p.render(ctx, req)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	for _, v := range views {
		b, err := protojson.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(testToken)) {
			t.Fatalf("view %s holds the token: %s", v.GetId(), b)
		}
	}
	if len(views) != 2 || views[0].GetId() != "ci" || views[0].GetTitle() != "CI" || views[0].GetPlacement() != pluginv1.Placement_PLACEMENT_CARD ||
		views[1].GetId() != "ci-cd" || views[1].GetTitle() != "CI/CD" || views[1].GetPlacement() != pluginv1.Placement_PLACEMENT_TAB {
		t.Fatalf("views: want card ci and tab ci-cd, got %v", views)
	}
	return rendered{card: views[0], tab: views[1]}
}

// notices are the view's notices as "STATUS: text".
func notices(v *pluginv1.View) []string {
	var out []string
	for _, b := range v.GetBlocks() {
		if n := b.GetNotice(); n != nil {
			out = append(out, n.GetStatus().String()+": "+n.GetText())
		}
	}
	return out
}

// tables are the view's tables, each row as its cells joined by " | ",
// a cell with a status followed by it.
func tables(v *pluginv1.View) [][]string {
	var out [][]string
	for _, b := range v.GetBlocks() {
		tb := b.GetTable()
		if tb == nil {
			continue
		}
		rows := []string{strings.Join(tb.GetColumns(), " | ")}
		for _, r := range tb.GetRows() {
			var cs []string
			for _, c := range r.GetCells() {
				s := c.GetText()
				if c.GetStatus() != pluginv1.Status_STATUS_NONE {
					s += " [" + strings.TrimPrefix(c.GetStatus().String(), "STATUS_") + "]"
				}
				cs = append(cs, s)
			}
			rows = append(rows, strings.Join(cs, " | "))
		}
		out = append(out, rows)
	}
	return out
}

// badges are the view's badges as "text [STATUS]".
func badges(v *pluginv1.View) []string {
	var out []string
	for _, b := range v.GetBlocks() {
		for _, i := range b.GetBadges().GetItems() {
			out = append(out, i.GetText()+" ["+strings.TrimPrefix(i.GetStatus().String(), "STATUS_")+"]")
		}
	}
	return out
}

var (
	wantBadges = []string{"CI: in progress [PENDING]", "Deploy: queued [PENDING]", "Nightly: failure [ERROR]", "Release: cancelled [ERROR]"}
	wantRuns   = []string{
		"Workflow | Branch | Event | Status | When | Duration | Run",
		"CI | main | push | in progress [PENDING] | 2026-03-01T08:55:05Z |  | #142",
		"Nightly | main | schedule | failure [ERROR] | 2026-03-01T03:00:20Z | 13m 42s | #88",
		"CI | feature/login | pull_request | success [OK] | 2026-02-28T17:20:03Z | 4m 38s | #141",
		"Release | v1.4.0 | push | cancelled [ERROR] | 2026-02-28T12:00:09Z | 51s | #17",
		"CI | main | push | timed out [ERROR] | 2026-02-28T09:30:02Z | 6h 00m | #140",
		"Nightly | main | schedule | skipped [WARNING] | 2026-02-28T03:00:10Z | 1s | #87",
		"Deploy | main | workflow_dispatch | queued [PENDING] | 2026-02-27T16:00:00Z |  | #5",
	}
	wantCardRuns = []string{
		"Workflow | Branch | Status | When",
		"CI | main | in progress [PENDING] | 2026-03-01T08:55:05Z",
		"Nightly | main | failure [ERROR] | 2026-03-01T03:00:20Z",
		"CI | feature/login | success [OK] | 2026-02-28T17:20:03Z",
		"Release | v1.4.0 | cancelled [ERROR] | 2026-02-28T12:00:09Z",
		"CI | main | timed out [ERROR] | 2026-02-28T09:30:02Z",
	}
	wantWorkflowRows = []string{
		"Workflow | File | Triggers | Jobs | Problem",
		"broken.yml | .github/workflows/broken.yml |  |  | .github/workflows/broken.yml:6:4: value is not allowed in this context [ERROR]",
		"CI | .github/workflows/ci.yml | push | Build, test | ",
		"nightly.yml | .github/workflows/nightly.yml | schedule (0 3 * * *), push (main, release/*), workflow_dispatch | e2e | ",
		"Release | .github/workflows/release.yaml | push, workflow_dispatch | publish | ",
	}
)

// TestRenderOnlineThenOffline fetches the runs, then loses GitHub in every
// way it can be lost: each time the cached runs are shown, with their age
// and why.
func TestRenderOnlineThenOffline(t *testing.T) {
	t.Parallel()
	bare, first, _ := workflowRepo(t)
	gh := newFakeGitHub(t)
	p, clock, logs := testPlugin(t)
	cacheDir := t.TempDir()
	req := entityRequest(bare, first, gh.srv.URL, cacheDir, testToken, "acme/payments")
	fetched := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	*clock = fetched
	hostCtx := func(t *testing.T, d time.Duration) context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		t.Cleanup(cancel)
		return ctx
	}

	v := render(t, hostCtx(t, 5*time.Second), p, req)
	if n := notices(v.card); n != nil {
		t.Errorf("online card notices: %q", n)
	}
	if diff := cmp.Diff(wantBadges, badges(v.card)); diff != "" {
		t.Errorf("card badges (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]string{wantCardRuns}, tables(v.card)); diff != "" {
		t.Errorf("card table (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]string{wantRuns, wantWorkflowRows}, tables(v.tab)); diff != "" {
		t.Errorf("tab tables (-want +got):\n%s", diff)
	}
	runCell := v.tab.GetBlocks()[2].GetTable().GetRows()[0].GetCells()[6]
	if want := "https://github.com/acme/payments/actions/runs/9001027003"; runCell.GetUrl() != want {
		t.Errorf("run link = %q, want %q", runCell.GetUrl(), want)
	}
	c, ok, err := runCache{dir: cacheDir}.load(gh.srv.URL, "acme", "payments")
	if err != nil || !ok || !c.FetchedAt.Equal(fetched) || len(c.Runs) != 7 || c.Repo != "acme/payments" {
		t.Fatalf("cache after fetch: %+v, %v, %v", c, ok, err)
	}

	for _, step := range []struct {
		name   string
		answer int32
		down   bool // the server is gone
		// deadline is the host's, later how long after the fetch it is.
		deadline, later time.Duration
		reason          string
	}{
		{"server error", answer500, false, 5 * time.Second, 3*time.Hour + 25*time.Minute,
			"GitHub API unavailable: it answered 500 Internal Server Error"},
		{"rate limit", answerRateLimit, false, 5 * time.Second, 26 * time.Hour,
			"GitHub API unavailable: rate limit reached, until 2026-03-01T13:00:00Z"},
		{"no answer in time", answerHang, false, 500 * time.Millisecond, 40 * time.Second,
			"GitHub API unavailable: no answer in time"},
		{"network down", 0, true, 5 * time.Second, 12 * time.Minute,
			"GitHub API unavailable: dial tcp " + gh.srv.Listener.Addr().String() + ": connect: connection refused"},
	} {
		// Steps run in order: each changes the one server.
		t.Run(step.name, func(t *testing.T) {
			gh.answer.Store(step.answer)
			if step.down {
				goOffline(p, gh.srv)
			}
			*clock = fetched.Add(step.later)
			hits := gh.hits.Load()
			start := time.Now()
			v := render(t, hostCtx(t, step.deadline), p, req)
			if took := time.Since(start); took >= step.deadline {
				t.Errorf("render took %v, past the host's deadline of %v", took, step.deadline)
			}
			if !step.down && gh.hits.Load() != hits+1 {
				t.Errorf("GitHub asked %d times, want once", gh.hits.Load()-hits)
			}
			want := []string{fmt.Sprintf("STATUS_WARNING: offline — runs as of 2026-03-01T09:00:00Z (%s ago): %s", age(step.later), step.reason)}
			if diff := cmp.Diff(want, notices(v.card)); diff != "" {
				t.Errorf("card notices (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, notices(v.tab)); diff != "" {
				t.Errorf("tab notices (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantBadges, badges(v.card)); diff != "" {
				t.Errorf("cached badges (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([][]string{wantRuns, wantWorkflowRows}, tables(v.tab)); diff != "" {
				t.Errorf("cached tab tables (-want +got):\n%s", diff)
			}
			if c, _, _ := (runCache{dir: cacheDir}).load(gh.srv.URL, "acme", "payments"); !c.FetchedAt.Equal(fetched) {
				t.Errorf("cache rewritten at %v without an answer", c.FetchedAt)
			}
		})
	}

	data, err := os.ReadFile(runCache{dir: cacheDir}.path(gh.srv.URL, "acme", "payments"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(testToken)) || strings.Contains(logs.String(), testToken) {
		t.Error("the token is in the cache file or the log")
	}
}

// TestRenderRunsNotices covers each reason there are no fresh runs: the
// notice says why, and the workflows are shown all the same.
func TestRenderRunsNotices(t *testing.T) {
	t.Parallel()
	bare, first, _ := workflowRepo(t)
	const (
		info    = "STATUS_INFO: "
		warning = "STATUS_WARNING: "
		failed  = "STATUS_ERROR: "
	)
	for _, tc := range []struct {
		name    string
		answer  int32
		down    bool
		token   string
		slug    string
		api     string // "" is the fake GitHub
		corrupt bool   // a cache file that is not JSON
		notice  string
		noCall  bool // GitHub must not be asked
	}{
		{name: "token refused", token: "ghp_wrongTokenWrongToken0123456789abcdef", slug: "acme/payments",
			notice: failed + "GitHub refused the token (401 Unauthorized): set another token in Settings, under the ci plugin; it needs read access to the Actions of acme/payments."},
		{name: "token may not", answer: answer403, token: testToken, slug: "acme/payments",
			notice: failed + "GitHub refused the token (403 Forbidden): set another token in Settings, under the ci plugin; it needs read access to the Actions of acme/payments."},
		{name: "no token", slug: "acme/payments", noCall: true,
			notice: info + "To see the latest runs of acme/payments, set a GitHub token in Settings, under the ci plugin (its token setting): a fine-grained token with read-only access to the repository's Actions, or a classic token with the repo scope for private repositories."},
		{name: "no cache, server error", answer: answer500, token: testToken, slug: "acme/payments",
			notice: warning + "offline — no runs of acme/payments cached yet: GitHub API unavailable: it answered 500 Internal Server Error"},
		{name: "no cache, network down", down: true, token: testToken, slug: "acme/payments",
			notice: warning + "offline — no runs of acme/payments cached yet: GitHub API unavailable: dial tcp ADDR: connect: connection refused"},
		{name: "corrupt cache, server error", answer: answer500, token: testToken, slug: "acme/payments", corrupt: true,
			notice: warning + "offline — no runs of acme/payments cached yet: GitHub API unavailable: it answered 500 Internal Server Error"},
		{name: "no such repository", token: testToken, slug: "acme/gone",
			notice: failed + "GitHub shows this token no repository acme/gone (404): check the github.com/project-slug annotation, and that the token may read the repository."},
		{name: "error repeating the token", answer: answer422Echo, token: testToken, slug: "acme/payments",
			notice: failed + "Runs of acme/payments not fetched: GitHub API error: 422 Unprocessable Entity: Validation Failed for Bearer [token]"},
		{name: "no slug", token: testToken, noCall: true,
			notice: info + "Add the annotation github.com/project-slug: owner/repo to this component to see its GitHub Actions runs."},
		{name: "bad slug", token: testToken, slug: "payments", noCall: true,
			notice: failed + `The annotation github.com/project-slug is "payments", not owner/repo.`},
		{name: "bad apiUrl", token: testToken, slug: "acme/payments", api: "ftp://ghe.acme.test", noCall: true,
			notice: failed + "Runs not fetched: the apiUrl setting is not an http(s) address."},
		{name: "apiUrl with credentials", token: testToken, slug: "acme/payments", api: "https://x:" + testToken + "@ghe.acme.test/api/v3", noCall: true,
			notice: failed + "Runs not fetched: the apiUrl setting holds credentials: put the token in the token setting."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh := newFakeGitHub(t)
			gh.answer.Store(tc.answer)
			addr := gh.srv.Listener.Addr().String()
			if tc.down {
				gh.srv.Close()
			}
			api := tc.api
			if api == "" {
				api = gh.srv.URL
			}
			cacheDir := t.TempDir()
			if tc.corrupt {
				cache := runCache{dir: cacheDir}
				if err := cache.store(api, "acme", "payments", cachedRuns{}); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(cache.path(api, "acme", "payments"), []byte("{not json"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			p, _, logs := testPlugin(t)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			v := render(t, ctx, p, entityRequest(bare, first, api, cacheDir, tc.token, tc.slug))

			want := []string{strings.ReplaceAll(tc.notice, "ADDR", addr)}
			if diff := cmp.Diff(want, notices(v.card)); diff != "" {
				t.Errorf("card notices (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, notices(v.tab)); diff != "" {
				t.Errorf("tab notices (-want +got):\n%s", diff)
			}
			if b := badges(v.card); b != nil {
				t.Errorf("badges without runs: %q", b)
			}
			if diff := cmp.Diff([][]string{wantWorkflowRows}, tables(v.tab)); diff != "" {
				t.Errorf("tab tables (-want +got):\n%s", diff)
			}
			if tc.noCall && gh.hits.Load() != 0 {
				t.Errorf("GitHub asked %d times, want never", gh.hits.Load())
			}
			if strings.Contains(logs.String(), testToken) {
				t.Errorf("the log holds the token: %s", logs)
			}
		})
	}
}

// TestRenderWorkflowsOnly: without a clone, or with a repository without
// workflows, the tab says so.
func TestRenderWorkflowsOnly(t *testing.T) {
	t.Parallel()
	bare, first, _ := workflowRepo(t)
	for _, tc := range []struct {
		name, clone, commit string
		notices             []string
		tables              [][]string
		cardKV              string
	}{
		{"no clone", "", "", []string{"STATUS_INFO: This entity has no local clone to read .github/workflows from."}, nil, ""},
		{"unknown commit", bare, "0123456789012345678901234567890123456789",
			[]string{"STATUS_ERROR: Workflows not read: commit 0123456789012345678901234567890123456789: object not found"}, nil, ""},
		{"workflows", bare, first, nil, [][]string{wantWorkflowRows}, "Workflows: broken.yml, CI, nightly.yml, Release (1 with problems)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, _, _ := testPlugin(t)
			v := render(t, context.Background(), p, entityRequest(tc.clone, tc.commit, "", t.TempDir(), "", ""))
			got := notices(v.tab)[1:] // after the runs' notice
			if diff := cmp.Diff(tc.notices, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("workflow notices (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.tables, tables(v.tab), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("tab tables (-want +got):\n%s", diff)
			}
			var kv string
			for _, b := range v.card.GetBlocks() {
				for _, i := range b.GetKeyValues().GetItems() {
					kv = i.GetKey() + ": " + i.GetValue()
				}
			}
			if kv != tc.cardKV {
				t.Errorf("card workflows = %q, want %q", kv, tc.cardKV)
			}
		})
	}
}

func TestDefinition(t *testing.T) {
	t.Parallel()
	d := newPlugin(slog.New(slog.DiscardHandler)).definition()
	got := map[string]bool{}
	for _, f := range d.Config {
		got[f.GetKey()] = f.GetSecret()
	}
	if diff := cmp.Diff(map[string]bool{keyAPIURL: false, keyCacheDir: false, keyToken: true, keyGitLabURL: false, keyGitLabToken: true}, got); diff != "" {
		t.Errorf("config fields, key: secret (-want +got):\n%s", diff)
	}
	if d.Name != "ci" || d.EntityContent == nil || len(d.EntityContent.Applies) != 1 ||
		d.EntityContent.Applies[0].GetKind() != "Component" || d.EntityContent.Applies[0].GetType() != "" {
		t.Errorf("definition: %+v", d)
	}
}

// closable starts a test server for h whose connections are not kept
// alive, so that once the test closes it, every request dials and is
// refused: a kept-alive connection cut mid-request would fail with
// "connection reset" instead, and the offline messages would vary.
func closable(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.SetKeepAlivesEnabled(false)
	srv.Start()
	return srv
}

// goOffline closes srv and the plugin's idle connections. The server
// keeps none alive, but the transport still pools a connection it dialled
// for a request that was served by then; a request on it after the close
// failed with "connection reset by peer" instead of being refused.
func goOffline(p *ciPlugin, srv *httptest.Server) {
	srv.Close()
	p.client.CloseIdleConnections()
}
