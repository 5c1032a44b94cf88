package ci

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// nightly is the failed run #88 of testdata/runs.json, whose jobs are
// testdata/jobs.json.
const nightly = 9000027000

// fakeJobs serves, beside the fake GitHub's runs, a run's jobs, a job's
// log (a redirect to a storage server on another loopback port, as
// GitHub's blob storage is another host) and re-runs.
type fakeJobs struct {
	storage *httptest.Server
	// rerun is the status a re-run is answered with.
	rerun  atomic.Int32
	reruns atomic.Int32

	mu sync.Mutex
	// storageAuth are the Authorization headers the storage saw.
	storageAuth []string

	jobs, log, big []byte
}

// bigJob's (lint's) log is 2 MiB of lines; ownHostJob's redirect stays on
// the API's host; goneJob has no log.
const (
	bigJob     = 7002
	ownHostJob = 7005
	goneJob    = 7004
)

func newFakeJobs(t testing.TB, gh *fakeGitHub) *fakeJobs {
	t.Helper()
	f := &fakeJobs{jobs: readFile(t, "testdata/jobs.json"), log: readFile(t, "testdata/job.log")}
	var b strings.Builder
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, "2026-03-01T03:00:%02d.0000000Z line %d of a long build, padded to look like a compiler's output ...........\n", 21+i%30, i)
	}
	f.big = []byte(b.String())
	f.rerun.Store(http.StatusCreated)
	f.storage = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.storageAuth = append(f.storageAuth, r.Header.Get("Authorization"))
		f.mu.Unlock()
		if r.URL.Query().Get("sig") != "signed" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		switch r.URL.Path {
		case "/logs/7001":
			_, _ = w.Write(f.log)
		case fmt.Sprintf("/logs/%d", bigJob):
			_, _ = w.Write(f.big)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(f.storage.Close)
	gh.jobs.Store(f)
	return f
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// serve answers the requests of jobs, logs and re-runs; false for others.
func (f *fakeJobs) serve(w http.ResponseWriter, r *http.Request) bool {
	const repo = "/repos/acme/payments/actions"
	get := r.Method == http.MethodGet
	switch p := r.URL.Path; {
	case get && p == fmt.Sprintf("%s/runs/%d/jobs", repo, nightly):
		_, _ = w.Write(f.jobs)
	case get && (p == repo+"/jobs/7001" || p == fmt.Sprintf("%s/jobs/%d", repo, bigJob)):
		var gh ghJobs
		_ = json.Unmarshal(f.jobs, &gh)
		for _, j := range gh.Jobs {
			if p == fmt.Sprintf("%s/jobs/%d", repo, j.ID) {
				_ = json.NewEncoder(w).Encode(j)
			}
		}
	case get && (p == repo+"/jobs/7001/logs" || p == fmt.Sprintf("%s/jobs/%d/logs", repo, bigJob)):
		id := strings.Split(p, "/")[6]
		http.Redirect(w, r, f.storage.URL+"/logs/"+id+"?sig=signed", http.StatusFound)
	case get && p == fmt.Sprintf("%s/jobs/%d/logs", repo, ownHostJob):
		http.Redirect(w, r, "/raw/7005", http.StatusFound)
	case get && p == "/raw/7005": // the API checked the token
		_, _ = w.Write(f.log)
	case get && p == fmt.Sprintf("%s/jobs/%d/logs", repo, goneJob):
		w.WriteHeader(http.StatusGone)
		fmt.Fprint(w, `{"message":"Gone"}`)
	case get && strings.HasPrefix(p, repo+"/jobs/"):
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found"}`)
	case r.Method == http.MethodPost && p == fmt.Sprintf("%s/runs/%d/rerun-failed-jobs", repo, nightly):
		f.reruns.Add(1)
		w.WriteHeader(int(f.rerun.Load()))
		if f.rerun.Load() == http.StatusForbidden {
			fmt.Fprint(w, `{"message":"Resource not accessible by personal access token","status":"403"}`)
		} else {
			fmt.Fprint(w, `{}`)
		}
	default:
		return false
	}
	return true
}

// act runs a view action as the host would, and checks its answer holds
// no token and fits the host's limits on logs.
func act(t *testing.T, p *ciPlugin, req sdk.EntityRequest, a *pluginv1.ViewAction) []*pluginv1.Block {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	blocks, err := p.action(ctx, sdk.ViewActionRequest{EntityRequest: req, ID: a.GetId(), Parameters: a.GetParameters()})
	if err != nil {
		t.Fatalf("action %s: %v", a.GetId(), err)
	}
	for _, b := range blocks {
		data, _ := protojson.Marshal(b)
		if strings.Contains(string(data), testToken) {
			t.Fatalf("the answer holds the token: %s", data)
		}
		if l := b.GetLog(); l != nil {
			lines, size := len(l.GetLines()), 0
			for _, s := range l.GetSections() {
				lines += len(s.GetLines())
				for _, x := range s.GetLines() {
					size += len(x)
				}
			}
			if lines > 10000 || size > 1<<20 {
				t.Errorf("a log of %d lines, %d bytes: past the host's limits", lines, size)
			}
		}
	}
	return blocks
}

// buttons are the labels of the answer's buttons and cell buttons, a
// dangerous one followed by its confirmation.
func buttons(blocks []*pluginv1.Block) []string {
	var out []string
	add := func(a *pluginv1.ViewAction) {
		s := a.GetLabel()
		if a.GetConfirm() != "" {
			s += " (" + a.GetConfirm() + ")"
		}
		out = append(out, s)
	}
	for _, b := range blocks {
		for _, a := range b.GetActions().GetItems() {
			add(a)
		}
		for _, r := range b.GetTable().GetRows() {
			for _, c := range r.GetCells() {
				if c.GetAction() != nil {
					add(c.GetAction())
				}
			}
		}
	}
	return out
}

func blockNotices(blocks []*pluginv1.Block) []string {
	return notices(&pluginv1.View{Blocks: blocks})
}

// The runs table offers each run's jobs; the jobs offer each job's log
// and, as the run failed, a re-run of the failed jobs.
func TestJobsAction(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	newFakeJobs(t, gh)
	p, _, _ := testPlugin(t)
	req := entityRequest("", "", gh.srv.URL, t.TempDir(), testToken, "acme/payments")
	v := render(t, context.Background(), p, req)
	var jobs *pluginv1.ViewAction
	for _, r := range v.tab.GetBlocks()[2].GetTable().GetRows() {
		if c := r.GetCells()[6]; c.GetText() == "#88" {
			jobs = c.GetAction()
		}
	}
	if jobs.GetLabel() != "Jobs" {
		t.Fatalf("run #88 offers %v, want Jobs", jobs)
	}
	blocks := act(t, p, req, jobs)
	want := [][]string{{
		"Job / step | Status | Duration | ",
		"test | failure [ERROR] | 13m 41s | ",
		"    1. Set up job | success [OK] | 1s | ",
		"    2. Run actions/checkout@v4 | success [OK] | 1s | ",
		"    3. Run go test ./... | failure [ERROR] | 13m 35s | ",
		"    4. Run make lint | skipped [WARNING] |  | ",
		"    5. Complete job | success [OK] | 2s | ",
		"lint | success [OK] | 45s | ",
		"    1. Set up job | success [OK] | 1s | ",
		"    2. Run make lint | success [OK] | 42s | ",
	}}
	if d := cmp.Diff(want, tables(&pluginv1.View{Blocks: blocks})); d != "" {
		t.Errorf("jobs (-want +got):\n%s", d)
	}
	wantButtons := []string{"Log", "Log", "Refresh", "Re-run failed jobs (Re-run the failed jobs of run #88 of acme/payments? GitHub runs them again, and the jobs that depend on them.)"}
	if d := cmp.Diff(wantButtons, buttons(blocks)); d != "" {
		t.Errorf("buttons (-want +got):\n%s", d)
	}

	// Offline, the run's jobs cannot be had: it says so and offers to look again.
	addr := gh.srv.Listener.Addr().String()
	goOffline(p, gh.srv)
	blocks = act(t, p, req, jobs)
	want2 := []string{"STATUS_WARNING: Offline — the jobs of run #88 cannot be fetched now: GitHub API unavailable: dial tcp " + addr + ": connect: connection refused."}
	if d := cmp.Diff(want2, blockNotices(blocks)); d != "" {
		t.Errorf("offline (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Refresh"}, buttons(blocks)); d != "" {
		t.Errorf("offline buttons (-want +got):\n%s", d)
	}
}

func TestLogAction(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	f := newFakeJobs(t, gh)
	p, _, logs := testPlugin(t)
	req := entityRequest("", "", gh.srv.URL, t.TempDir(), testToken, "acme/payments")

	blocks := act(t, p, req, logAction("acme", "payments", 7001, "test"))
	l := blocks[0].GetLog()
	var titles []string
	for _, s := range l.GetSections() {
		titles = append(titles, fmt.Sprintf("%s open=%v %s %d lines", s.GetTitle(), s.GetOpen(), s.GetDuration(), len(s.GetLines())))
	}
	wantTitles := []string{
		"Set up job open=false 1s 3 lines",
		"Run actions/checkout@v4 open=false 1s 4 lines",
		"Run go test ./... (failure) open=true 13m 35s 5 lines",
		"Run make lint (skipped) open=false  0 lines",
		"Complete job open=false 2s 2 lines",
	}
	if d := cmp.Diff(wantTitles, titles); d != "" || l.GetTitle() != "Log of job test" || l.GetTruncated() {
		t.Errorf("log %q, truncated %v, sections (-want +got):\n%s", l.GetTitle(), l.GetTruncated(), d)
	}
	if d := cmp.Diff([]string{"Refresh"}, buttons(blocks)); d != "" {
		t.Errorf("buttons (-want +got):\n%s", d)
	}

	// The last 2 MiB of a longer log, the newest lines kept.
	blocks = act(t, p, req, logAction("acme", "payments", bigJob, "lint"))
	l = blocks[0].GetLog()
	all := l.GetLines()
	for _, s := range l.GetSections() {
		all = append(all, s.GetLines()...)
	}
	if !l.GetTruncated() || len(all) == 0 || !strings.HasPrefix(all[len(all)-1], "line ") || !strings.HasSuffix(l.GetTitle(), "(its last 2 MiB)") {
		t.Errorf("a 2 MiB log: truncated %v, title %q, %d lines", l.GetTruncated(), l.GetTitle(), len(all))
	}

	f.mu.Lock()
	seen := f.storageAuth
	f.mu.Unlock()
	if len(seen) != 2 {
		t.Errorf("the storage was asked %d times, want 2", len(seen))
	}
	for _, a := range seen {
		if a != "" {
			t.Errorf("the log's storage, another host, got Authorization %q", a)
		}
	}

	// A redirect on the API's own host keeps the token (the fake asks it).
	blocks = act(t, p, req, logAction("acme", "payments", ownHostJob, "own"))
	if len(blocks[0].GetLog().GetSections()) != 3 { // groups: its steps were not read
		t.Errorf("a log on the API's host: %v", blocks[0])
	}
	if !strings.Contains(logs.String(), "job steps not read") {
		t.Errorf("steps that could not be read are not logged: %s", logs)
	}

	blocks = act(t, p, req, logAction("acme", "payments", goneJob, "gone"))
	want := []string{"STATUS_INFO: GitHub has no log of job gone (410 Gone): a job's log is there once it has finished, for as long as the repository keeps logs."}
	if d := cmp.Diff(want, blockNotices(blocks)); d != "" {
		t.Errorf("a log that is gone (-want +got):\n%s", d)
	}
}

func TestRerunAction(t *testing.T) {
	t.Parallel()
	rerun := rerunAction("acme", "payments", nightly, "#88")
	for _, tc := range []struct {
		name   string
		status int
		down   bool
		want   string
	}{
		{"re-run", http.StatusCreated, false, "STATUS_OK: GitHub re-runs the failed jobs of run #88 of acme/payments."},
		{"no permission", http.StatusForbidden, false, "STATUS_ERROR: Not re-run: the token lacks permission (actions: write) on acme/payments — GitHub refused the token (403 Forbidden). Give the token in Settings, under the ci plugin, read and write access to the repository's Actions."},
		{"offline", 0, true, "STATUS_WARNING: Offline — run #88 of acme/payments was not re-run: GitHub API unavailable: dial tcp ADDR: connect: connection refused. Try again when GitHub can be reached."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh := newFakeGitHub(t)
			f := newFakeJobs(t, gh)
			f.rerun.Store(int32(tc.status))
			addr := gh.srv.Listener.Addr().String()
			if tc.down {
				gh.srv.Close()
			}
			p, _, _ := testPlugin(t)
			blocks := act(t, p, entityRequest("", "", gh.srv.URL, t.TempDir(), testToken, "acme/payments"), rerun)
			if d := cmp.Diff([]string{strings.ReplaceAll(tc.want, "ADDR", addr)}, blockNotices(blocks)); d != "" {
				t.Errorf("notice (-want +got):\n%s", d)
			}
			if d := cmp.Diff([]string{"Jobs"}, buttons(blocks)); d != "" {
				t.Errorf("buttons (-want +got):\n%s", d)
			}
			if !tc.down && f.reruns.Load() != 1 {
				t.Errorf("GitHub asked to re-run %d times, want once", f.reruns.Load())
			}
		})
	}
}
