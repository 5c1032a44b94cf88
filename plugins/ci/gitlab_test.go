package ci

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

const gitlabToken = "glpat-T3stT0kenN0tReal0123"

// fakeGitLab is a loopback server speaking the GitLab endpoints the
// plugin uses, for project acme/ledger: pipelines, a pipeline's jobs, a
// job's trace (testdata/trace.txt) and a retry.
type fakeGitLab struct {
	srv   *httptest.Server
	retry atomic.Int32 // the status a retry is answered with

	mu sync.Mutex
	// tokens are the PRIVATE-TOKEN headers seen, one per request.
	tokens []string
}

const glPipelines = `[
 {"id": 501, "iid": 31, "project_id": 7, "status": "failed", "source": "push", "ref": "main", "sha": "a1", "web_url": "https://gitlab.test/acme/ledger/-/pipelines/501", "created_at": "2026-03-01T10:00:00.000Z", "updated_at": "2026-03-01T10:01:11.000Z"},
 {"id": 500, "iid": 30, "project_id": 7, "status": "success", "source": "merge_request_event", "ref": "feature", "sha": "a0", "web_url": "https://gitlab.test/acme/ledger/-/pipelines/500", "created_at": "2026-02-28T10:00:00.000Z", "updated_at": "2026-02-28T10:02:00.000Z"}
]`

const glJobs = `[
 {"id": 601, "name": "unit", "stage": "test", "status": "failed", "started_at": "2026-03-01T10:00:00.000Z", "finished_at": "2026-03-01T10:01:11.000Z", "web_url": "https://gitlab.test/acme/ledger/-/jobs/601"},
 {"id": 602, "name": "build", "stage": "build", "status": "success", "started_at": "2026-03-01T09:59:00.000Z", "finished_at": "2026-03-01T09:59:40.000Z", "web_url": "https://gitlab.test/acme/ledger/-/jobs/602"}
]`

func newFakeGitLab(t *testing.T) *fakeGitLab {
	t.Helper()
	trace := readFile(t, "testdata/trace.txt")
	g := &fakeGitLab{}
	g.retry.Store(http.StatusCreated)
	g.srv = closable(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.tokens = append(g.tokens, r.Header.Get("PRIVATE-TOKEN"))
		g.mu.Unlock()
		const project = "/api/v4/projects/acme%2Fledger"
		switch p := r.URL.EscapedPath(); {
		case r.Method == http.MethodGet && p == project+"/pipelines" && r.URL.Query().Get("per_page") == "20":
			fmt.Fprint(w, glPipelines)
		case r.Method == http.MethodGet && p == project+"/pipelines/501/jobs":
			fmt.Fprint(w, glJobs)
		case r.Method == http.MethodGet && p == project+"/jobs/601/trace":
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write(trace)
		case r.Method == http.MethodPost && p == project+"/pipelines/501/retry":
			w.WriteHeader(int(g.retry.Load()))
			if g.retry.Load() == http.StatusForbidden {
				fmt.Fprint(w, `{"message":"403 Forbidden"}`)
			} else {
				fmt.Fprint(w, `{"id": 501, "status": "pending"}`)
			}
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"message":"404 Not found %s"}`, p)
		}
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGitLab) seenTokens() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.tokens...)
}

// gitlabRequest is component ledger with annotations ann, the GitLab
// setting at gitlabURL with the token.
func gitlabRequest(gitlabURL, cacheDir string, ann map[string]string) sdk.EntityRequest {
	return sdk.EntityRequest{
		Request: sdk.Request{Config: map[string]string{keyGitLabURL: gitlabURL, keyCacheDir: cacheDir}, Secrets: map[string]string{keyGitLabToken: gitlabToken}},
		Entity: sdk.Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Component",
			Metadata: sdk.Metadata{Name: "ledger", Namespace: "default", Annotations: ann}, Spec: map[string]any{"type": "service", "owner": "group:default/finance"}},
	}
}

// TestGitLabPipelines: pipelines, their jobs, a job's trace folded by its
// sections, a retry and its refusal, and the cached pipelines offline.
func TestGitLabPipelines(t *testing.T) {
	t.Parallel()
	gl := newFakeGitLab(t)
	p, clock, _ := testPlugin(t)
	*clock = time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)
	cacheDir := t.TempDir()
	req := gitlabRequest(gl.srv.URL, cacheDir, map[string]string{gitlabSlugAnnotation: "acme/ledger"})

	v := render(t, context.Background(), p, req)
	wantRuns := []string{
		"Workflow | Branch | Event | Status | When | Duration | Run",
		"Pipeline | main | push | failure [ERROR] | 2026-03-01T10:00:00Z | 1m 11s | #31",
		"Pipeline | feature | merge_request_event | success [OK] | 2026-02-28T10:00:00Z | 2m 00s | #30",
	}
	if d := cmp.Diff([][]string{wantRuns}, tables(v.tab)); d != "" || notices(v.tab) != nil {
		t.Fatalf("notices %q, tables (-want +got):\n%s", notices(v.tab), d)
	}
	if h := v.tab.GetBlocks()[0].GetHeading().GetText(); h != "Latest pipelines of acme/ledger" {
		t.Errorf("heading %q", h)
	}
	jobs := v.tab.GetBlocks()[2].GetTable().GetRows()[0].GetCells()[6].GetAction()

	blocks := act(t, p, req, jobs)
	wantJobs := [][]string{{"Stage | Job | Status | Duration | ", "test | unit | failure [ERROR] | 1m 11s | ", "build | build | success [OK] | 40s | "}}
	if d := cmp.Diff(wantJobs, tables(&pluginv1.View{Blocks: blocks})); d != "" {
		t.Errorf("jobs (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Log", "Log", "Refresh", "Retry failed jobs (Retry the failed jobs of pipeline #31 of acme/ledger? GitLab runs them again.)"}, buttons(blocks)); d != "" {
		t.Errorf("buttons (-want +got):\n%s", d)
	}

	logBlocks := act(t, p, req, blocks[1].GetTable().GetRows()[0].GetCells()[4].GetAction())
	l := logBlocks[0].GetLog()
	var secs []string
	for _, s := range l.GetSections() {
		secs = append(secs, fmt.Sprintf("%s open=%v %s", s.GetTitle(), s.GetOpen(), s.GetDuration()))
	}
	wantSecs := []string{
		`Preparing the "docker" executor open=false 4s`,
		"Getting source from Git repository open=false 2s",
		`Executing "step_script" stage of the job script open=true 1m 04s`,
		"Cleaning up project directory and file based variables open=false 1s",
		"Job output open=true ",
	}
	if d := cmp.Diff(wantSecs, secs); d != "" || l.GetTitle() != "Log of job unit" {
		t.Errorf("trace %q, sections (-want +got):\n%s", l.GetTitle(), d)
	}

	retry := blocks[2].GetActions().GetItems()[1]
	for _, tc := range []struct {
		status int32
		want   string
	}{
		{http.StatusCreated, "STATUS_OK: GitLab retries the failed jobs of pipeline #31 of acme/ledger."},
		{http.StatusForbidden, "STATUS_ERROR: Not retried: the token lacks permission on acme/ledger — GitLab refused the token (403 Forbidden). It needs the api scope and at least the Developer role; set it in Settings, under the ci plugin (gitlabToken)."},
	} {
		gl.retry.Store(tc.status)
		if d := cmp.Diff([]string{tc.want}, blockNotices(act(t, p, req, retry))); d != "" {
			t.Errorf("retry answered %d (-want +got):\n%s", tc.status, d)
		}
	}
	for _, tok := range gl.seenTokens() {
		if tok != gitlabToken {
			t.Errorf("the configured GitLab got PRIVATE-TOKEN %q", tok)
		}
	}

	addr := gl.srv.Listener.Addr().String()
	goOffline(p, gl.srv)
	*clock = clock.Add(2 * time.Hour)
	v = render(t, context.Background(), p, req)
	want := []string{"STATUS_WARNING: offline — runs as of 2026-03-01T11:00:00Z (2h 0m ago): GitLab API unavailable: dial tcp " + addr + ": connect: connection refused"}
	if d := cmp.Diff(want, notices(v.tab)); d != "" {
		t.Errorf("offline notices (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]string{wantRuns}, tables(v.tab)); d != "" {
		t.Errorf("cached pipelines (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"STATUS_WARNING: Offline — pipeline #31 of acme/ledger was not retried: GitLab API unavailable: dial tcp " + addr + ": connect: connection refused. Try again when GitLab can be reached."}, blockNotices(act(t, p, req, retry))); d != "" {
		t.Errorf("retry offline (-want +got):\n%s", d)
	}
}

// TestGitLabOtherHost: a project on a GitLab host other than the
// configured one is asked without the token, and a forged action naming
// the configured host's token for another host sends none either.
func TestGitLabOtherHost(t *testing.T) {
	t.Parallel()
	home, other := newFakeGitLab(t), newFakeGitLab(t)
	p, _, _ := testPlugin(t)
	// gitlab.other.test is the other server, on loopback.
	_, port, _ := net.SplitHostPort(other.srv.Listener.Addr().String())
	dialer := &net.Dialer{}
	p.client = &http.Client{Timeout: httpTimeout, Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if strings.HasPrefix(addr, "gitlab.other.test:") {
			addr = "127.0.0.1:" + port
		}
		return dialer.DialContext(ctx, network, addr)
	}}}
	src := "url:http://gitlab.other.test:" + port + "/acme/ledger/-/tree/main/"
	req := gitlabRequest(home.srv.URL, t.TempDir(), map[string]string{sourceLocationAnnotion: src})
	v := render(t, context.Background(), p, req)
	if n := notices(v.tab); n != nil || len(tables(v.tab)) != 1 {
		t.Fatalf("pipelines of the other host: %q, %v", n, tables(v.tab))
	}
	jobs := v.tab.GetBlocks()[2].GetTable().GetRows()[0].GetCells()[6].GetAction()
	forged := sdk.ViewAction(jobs.GetId(), jobs.GetLabel(), map[string]string{})
	for k, val := range jobs.GetParameters() {
		forged.Parameters[k] = val
	}
	forged.Parameters["token"] = "true"
	act(t, p, req, forged)
	if seen := other.seenTokens(); len(seen) != 2 || seen[0] != "" || seen[1] != "" {
		t.Errorf("the other GitLab host got tokens %q, want none in 2 requests", seen)
	}
	if seen := home.seenTokens(); len(seen) != 0 {
		t.Errorf("the configured GitLab was asked %d times", len(seen))
	}
}

func TestGitLabProjectOf(t *testing.T) {
	t.Parallel()
	s := settings{gitlabURL: "https://gitlab.acme.test"}
	for _, tc := range []struct {
		name string
		ann  map[string]string
		want gitlabProject
		ok   bool
		err  string
	}{
		{"none", map[string]string{}, gitlabProject{}, false, ""},
		{"github source", map[string]string{sourceLocationAnnotion: "url:https://github.com/acme/ledger/tree/main/"}, gitlabProject{}, false, ""},
		{"slug", map[string]string{gitlabSlugAnnotation: "acme/sub/ledger"}, gitlabProject{api: "https://gitlab.acme.test/api/v4", ref: "acme/sub/ledger", sendToken: true}, true, ""},
		{"id on gitlab.com", map[string]string{gitlabIDAnnotation: "42", sourceLocationAnnotion: "url:https://gitlab.com/acme/ledger"}, gitlabProject{api: "https://gitlab.com/api/v4", ref: "42"}, true, ""},
		{"source only", map[string]string{sourceLocationAnnotion: "url:https://gitlab.acme.test/acme/ledger/-/tree/main/catalog-info.yaml"}, gitlabProject{api: "https://gitlab.acme.test/api/v4", ref: "acme/ledger", sendToken: true}, true, ""},
		{"bad id", map[string]string{gitlabIDAnnotation: "x"}, gitlabProject{}, false, `the annotation gitlab.com/project-id is "x", not a project's number`},
		{"bad slug", map[string]string{gitlabSlugAnnotation: "../x"}, gitlabProject{}, false, `the annotation gitlab.com/project-slug is "../x", not group/project`},
		{"bad gitlabUrl setting", map[string]string{gitlabSlugAnnotation: "acme/ledger", sourceLocationAnnotion: "url:https://gitlab.com/acme/ledger"}, gitlabProject{api: "https://gitlab.com/api/v4", ref: "acme/ledger"}, true, ""},
		{"dot segment", map[string]string{gitlabSlugAnnotation: "acme/.."}, gitlabProject{}, false, `the annotation gitlab.com/project-slug is "acme/..", not group/project`},
	} {
		s := s
		if tc.name == "bad gitlabUrl setting" {
			s.gitlabURL = "http://[::1"
		}
		got, ok, err := gitlabProjectOf(tc.ann, s)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tc.want || ok != tc.ok || gotErr != tc.err {
			t.Errorf("%s: got %+v, %v, %q; want %+v, %v, %q", tc.name, got, ok, gotErr, tc.want, tc.ok, tc.err)
		}
	}
}
