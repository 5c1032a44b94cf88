package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/internal/fakehost"
)

// The booking service's GitHub repository (its github.com/project-slug)
// and its red run: #42 of workflow CI, whose test job failed.
const (
	owner    = "marigold-ferries"
	redRun   = 7700042
	greenRun = 7700041
	buildJob = 81001
	testJob  = 81002
)

// actions serves the GitHub Actions REST API the ci plugin reads, for
// the token only: the runs of every repository of the organisation
// (none but the booking service's), a run's jobs with their steps, a
// job's log (a redirect to a storage server on another loopback port,
// as GitHub's blob storage is another host) and re-running failed jobs.
// It records the re-runs asked and the Authorization headers the storage
// saw, which must be none.
type actions struct {
	token   string
	now     time.Time
	storage *httptest.Server

	mu          sync.Mutex
	reruns      []string
	storageAuth []string
}

// newActions serves the API on addr (a free loopback port when ""), the
// storage on a free one.
func newActions(h *fakehost.Host, addr, token string, now time.Time) (*actions, *httptest.Server) {
	a := &actions{token: token, now: now}
	a.storage = httptest.NewServer(http.HandlerFunc(a.serveStorage))
	h.Cleanup(a.storage.Close)
	api := httptest.NewUnstartedServer(a.mux())
	if addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			h.Fatalf("GitHub API listener: %v", err)
		}
		api.Listener.Close()
		api.Listener = ln
	}
	api.Start()
	h.Cleanup(api.Close)
	return a, api
}

func (a *actions) mux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/{owner}/{repo}/actions/runs", a.runs)
	mux.HandleFunc("GET /repos/{owner}/{repo}/actions/runs/{run}/jobs", a.jobs)
	mux.HandleFunc("GET /repos/{owner}/{repo}/actions/jobs/{job}", a.job)
	mux.HandleFunc("GET /repos/{owner}/{repo}/actions/jobs/{job}/logs", a.logs)
	mux.HandleFunc("POST /repos/{owner}/{repo}/actions/runs/{run}/rerun-failed-jobs", a.rerun)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+a.token {
			reply(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"})
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "4999")
		mux.ServeHTTP(w, r)
	})
}

// ours says whether r is about the booking service's repository; else it
// answers 404 as GitHub does.
func ours(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("owner") == owner && r.PathValue("repo") == service {
		return true
	}
	reply(w, http.StatusNotFound, map[string]string{"message": "Not Found", "status": "404"})
	return false
}

func (a *actions) runs(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("owner") != owner {
		reply(w, http.StatusNotFound, map[string]string{"message": "Not Found", "status": "404"})
		return
	}
	runs := []map[string]any{}
	if r.PathValue("repo") == service {
		runs = append(runs, a.run(redRun, 42, "failure", 20*time.Minute), a.run(greenRun, 41, "success", 26*time.Hour))
	}
	reply(w, http.StatusOK, map[string]any{"total_count": len(runs), "workflow_runs": runs})
}

func (a *actions) run(id int64, number int, conclusion string, ago time.Duration) map[string]any {
	start := a.now.Add(-ago)
	return map[string]any{"id": id, "run_number": number, "workflow_id": 5501, "name": "CI", "head_branch": "main", "event": "push",
		"status": "completed", "conclusion": conclusion, "html_url": fmt.Sprintf("https://github.com/%s/%s/actions/runs/%d", owner, service, id),
		"created_at": stamp(start), "run_started_at": stamp(start), "updated_at": stamp(start.Add(4 * time.Minute))}
}

// stepSpec is one step of a job: its name, conclusion and seconds.
type stepSpec struct {
	name, conclusion string
	secs             int
}

// jobSpecs are run #42's jobs: build passed, test failed at go test.
var jobSpecs = []struct {
	id    int64
	name  string
	steps []stepSpec
}{
	{buildJob, "build", []stepSpec{{"Set up job", "success", 2}, {"Run actions/checkout@v4", "success", 1}, {"Run go build ./...", "success", 41}, {"Complete job", "success", 1}}},
	{testJob, "test", []stepSpec{{"Set up job", "success", 2}, {"Run actions/checkout@v4", "success", 1}, {"Run go test ./...", "failure", 184}, {"Run make lint", "skipped", 0}, {"Complete job", "success", 1}}},
}

func (a *actions) jobList() []map[string]any {
	start := a.now.Add(-20 * time.Minute)
	var out []map[string]any
	for _, j := range jobSpecs {
		conclusion, t := "success", start
		var steps []map[string]any
		for i, s := range j.steps {
			st := map[string]any{"name": s.name, "status": "completed", "conclusion": s.conclusion, "number": i + 1, "started_at": nil, "completed_at": nil}
			if s.conclusion != "skipped" {
				st["started_at"], st["completed_at"] = stamp(t), stamp(t.Add(time.Duration(s.secs)*time.Second))
				t = t.Add(time.Duration(s.secs) * time.Second)
			}
			if s.conclusion == "failure" {
				conclusion = "failure"
			}
			steps = append(steps, st)
		}
		out = append(out, map[string]any{"id": j.id, "run_id": redRun, "name": j.name, "status": "completed", "conclusion": conclusion,
			"started_at": stamp(start), "completed_at": stamp(t), "html_url": fmt.Sprintf("https://github.com/%s/%s/actions/runs/%d/job/%d", owner, service, redRun, j.id),
			"steps": steps})
	}
	return out
}

func (a *actions) jobs(w http.ResponseWriter, r *http.Request) {
	if !ours(w, r) {
		return
	}
	jobs := []map[string]any{}
	if r.PathValue("run") == strconv.Itoa(redRun) {
		jobs = a.jobList()
	}
	reply(w, http.StatusOK, map[string]any{"total_count": len(jobs), "jobs": jobs})
}

func (a *actions) job(w http.ResponseWriter, r *http.Request) {
	if !ours(w, r) {
		return
	}
	for _, j := range a.jobList() {
		if fmt.Sprint(j["id"]) == r.PathValue("job") {
			reply(w, http.StatusOK, j)
			return
		}
	}
	reply(w, http.StatusNotFound, map[string]string{"message": "Not Found", "status": "404"})
}

func (a *actions) logs(w http.ResponseWriter, r *http.Request) {
	if !ours(w, r) {
		return
	}
	if _, ok := jobLogs[r.PathValue("job")]; !ok {
		reply(w, http.StatusNotFound, map[string]string{"message": "Not Found", "status": "404"})
		return
	}
	http.Redirect(w, r, a.storage.URL+"/logs/"+r.PathValue("job")+"?sig=signed", http.StatusFound)
}

func (a *actions) rerun(w http.ResponseWriter, r *http.Request) {
	if !ours(w, r) {
		return
	}
	if r.PathValue("run") != strconv.Itoa(redRun) {
		reply(w, http.StatusForbidden, map[string]string{"message": "This workflow run is not retryable", "status": "403"})
		return
	}
	a.mu.Lock()
	a.reruns = append(a.reruns, r.URL.Path)
	a.mu.Unlock()
	reply(w, http.StatusCreated, map[string]any{})
}

// serveStorage is the log storage: signed addresses, no token wanted.
func (a *actions) serveStorage(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.storageAuth = append(a.storageAuth, r.Header.Get("Authorization"))
	a.mu.Unlock()
	text, ok := jobLogs[strings.TrimPrefix(r.URL.Path, "/logs/")]
	if !ok || r.URL.Query().Get("sig") != "signed" {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprint(w, text)
}

// jobLogs are the jobs' logs, by id, as the runner writes them: steps in
// ##[group] sections, the failure an ##[error] line.
var jobLogs = map[string]string{
	strconv.Itoa(buildJob): "2026-12-07T05:00:01.0000000Z ##[group]Run go build ./...\n2026-12-07T05:00:01.0000000Z go build ./...\n2026-12-07T05:00:01.0000000Z ##[endgroup]\n2026-12-07T05:00:42.0000000Z Post job cleanup.\n",
	strconv.Itoa(testJob): "2026-12-07T05:00:01.1000000Z Current runner version: '2.321.0'\n" +
		"2026-12-07T05:00:01.2000000Z ##[group]Operating System\n2026-12-07T05:00:01.2000000Z Ubuntu\n2026-12-07T05:00:01.2000000Z 24.04\n2026-12-07T05:00:01.2000000Z ##[endgroup]\n" +
		"2026-12-07T05:00:02.5000000Z ##[group]Run actions/checkout@v4\n2026-12-07T05:00:02.5000000Z with:\n2026-12-07T05:00:02.5000000Z   repository: marigold-ferries/booking-service\n2026-12-07T05:00:02.5000000Z ##[endgroup]\n" +
		"2026-12-07T05:00:03.0000000Z Syncing repository: marigold-ferries/booking-service\n" +
		"2026-12-07T05:00:03.1000000Z ##[group]Run go test ./...\n2026-12-07T05:00:03.1000000Z go test ./...\n2026-12-07T05:00:03.1000000Z ##[endgroup]\n" +
		"2026-12-07T05:03:05.0000000Z ok  \tgithub.com/marigold-ferries/booking-service/fares\t0.412s\n" +
		"2026-12-07T05:03:06.0000000Z --- FAIL: TestHoldSeat (0.02s)\n2026-12-07T05:03:06.0000000Z     seats_test.go:88: hold on sailing MF-204: seat map is empty\n" +
		"2026-12-07T05:03:06.0000000Z FAIL\tgithub.com/marigold-ferries/booking-service/seats\t0.231s\n" +
		"2026-12-07T05:03:07.1000000Z ##[error]Process completed with exit code 1.\n" +
		"2026-12-07T05:03:08.0000000Z Post job cleanup.\n2026-12-07T05:03:08.1000000Z Cleaning up orphan processes\n",
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
