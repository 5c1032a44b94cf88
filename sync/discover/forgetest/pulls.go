package forgetest

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
)

// PullRequest is a pull request (a GitLab merge request) opened on the
// fake forge.
type PullRequest struct {
	Number      int
	Repo        string // the repository's name
	Head, Base  string // branches
	Title, Body string
	// State is open, closed or merged.
	State            string
	ChangesRequested bool
}

// PullRequests returns a copy of the pull requests opened so far.
func (s *Server) PullRequests() []PullRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]PullRequest, len(s.pulls))
	for i, p := range s.pulls {
		out[i] = *p
	}
	return out
}

// SetPullRequest changes pull request number under the server's lock: a
// reviewer closing it or asking for changes.
func (s *Server) SetPullRequest(number int, fn func(p *PullRequest)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.pulls[number-1])
}

// Merge merges pull request number as a forge does: a merge commit on
// its base branch whose tree is the head's, and the pull request marked
// merged.
func (s *Server) Merge(t testing.TB, number int) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pulls[number-1]
	dir := s.bare(s.repo(p.Repo))
	tree := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", p.Head+"^{tree}"))
	cmd := exec.Command("git", "-C", dir, "commit-tree", tree, "-p", p.Base, "-p", p.Head, "-m", "Merge pull request #"+strconv.Itoa(number))
	cmd.Env = append(cmd.Environ(), "GIT_AUTHOR_NAME=Forge", "GIT_AUTHOR_EMAIL=forge@callboard.invalid",
		"GIT_COMMITTER_NAME=Forge", "GIT_COMMITTER_EMAIL=forge@callboard.invalid")
	merge, err := cmd.Output()
	if err != nil {
		t.Fatalf("merge pull request %d: %v", number, err)
	}
	gittest.Git(t, dir, "update-ref", "refs/heads/"+p.Base, strings.TrimSpace(string(merge)))
	p.State = "merged"
}

// bare is the folder of r's bare repository; the caller holds s.mu.
func (s *Server) bare(r *Repo) string {
	return filepath.Join(s.git, filepath.FromSlash(s.fullPath(r))+".git")
}

// repo finds a repository by name; the caller holds s.mu.
func (s *Server) repo(name string) *Repo {
	for _, r := range s.org.Repos {
		if strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// headOf is the commit branch of r points at, "" when there is none.
func (s *Server) headOf(r *Repo, branch string) string {
	out, err := exec.Command("git", "-C", s.bare(r), "rev-parse", "--verify", "-q", "refs/heads/"+branch).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func (s *Server) ghPullJSON(p *PullRequest) map[string]any {
	state := p.State
	var mergedAt any
	if state == "merged" {
		state, mergedAt = "closed", "2026-01-01T12:00:00Z"
	}
	return map[string]any{"number": p.Number, "state": state, "merged": p.State == "merged", "merged_at": mergedAt,
		"title": p.Title, "body": p.Body, "html_url": s.URL + "/" + s.org.Login + "/" + p.Repo + "/pull/" + strconv.Itoa(p.Number),
		"head": map[string]any{"ref": p.Head, "sha": s.headOf(s.repo(p.Repo), p.Head)}, "base": map[string]any{"ref": p.Base}}
}

// ghPulls serves GitHub's pull request endpoints and a branch's
// protection flag (for repositories whose ShowProtection is set).
func (s *Server) ghPulls(mux *http.ServeMux) {
	with := func(op string, h func(w http.ResponseWriter, r *http.Request, repo *Repo)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			defer s.mu.Unlock()
			if !s.ghGuard(w, r, op) {
				return
			}
			repo := s.repo(r.PathValue("name"))
			if r.PathValue("owner") != s.org.Login || repo == nil {
				writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
				return
			}
			h(w, r, repo)
		}
	}
	mux.HandleFunc("GET /api/v3/repos/{owner}/{name}/branches/{branch}", with("branches", func(w http.ResponseWriter, r *http.Request, repo *Repo) {
		if !repo.ShowProtection || s.headOf(repo, r.PathValue("branch")) == "" {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Branch not found"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"name": r.PathValue("branch"), "protected": slices.Contains(repo.Protected, r.PathValue("branch"))})
	}))
	mux.HandleFunc("GET /api/v3/repos/{owner}/{name}/pulls", with("pulls", func(w http.ResponseWriter, r *http.Request, repo *Repo) {
		q := r.URL.Query()
		list := []any{}
		for _, p := range s.pulls {
			if p.Repo != repo.Name || q.Get("head") != "" && q.Get("head") != s.org.Login+":"+p.Head || q.Get("state") == "open" && p.State != "open" {
				continue
			}
			list = append(list, s.ghPullJSON(p))
		}
		writeJSON(w, http.StatusOK, list)
	}))
	mux.HandleFunc("POST /api/v3/repos/{owner}/{name}/pulls", with("createPull", func(w http.ResponseWriter, r *http.Request, repo *Repo) {
		var in struct{ Title, Body, Head, Base string }
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil || in.Title == "" {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
			return
		}
		if s.headOf(repo, in.Head) == "" || s.headOf(repo, in.Base) == "" {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed: head or base does not exist"})
			return
		}
		for _, p := range s.pulls {
			if p.Repo == repo.Name && p.Head == in.Head && p.State == "open" {
				writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "A pull request already exists for " + s.org.Login + ":" + in.Head + "."})
				return
			}
		}
		p := &PullRequest{Number: len(s.pulls) + 1, Repo: repo.Name, Head: in.Head, Base: in.Base, Title: in.Title, Body: in.Body, State: "open"}
		s.pulls = append(s.pulls, p)
		writeJSON(w, http.StatusCreated, s.ghPullJSON(p))
	}))
	pull := func(w http.ResponseWriter, r *http.Request, repo *Repo) *PullRequest {
		n, err := strconv.Atoi(r.PathValue("number"))
		if err != nil || n < 1 || n > len(s.pulls) || s.pulls[n-1].Repo != repo.Name {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
			return nil
		}
		return s.pulls[n-1]
	}
	mux.HandleFunc("GET /api/v3/repos/{owner}/{name}/pulls/{number}", with("pull", func(w http.ResponseWriter, r *http.Request, repo *Repo) {
		if p := pull(w, r, repo); p != nil {
			writeJSON(w, http.StatusOK, s.ghPullJSON(p))
		}
	}))
	mux.HandleFunc("PATCH /api/v3/repos/{owner}/{name}/pulls/{number}", with("updatePull", func(w http.ResponseWriter, r *http.Request, repo *Repo) {
		p := pull(w, r, repo)
		if p == nil {
			return
		}
		var in struct{ State string }
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
			return
		}
		if in.State == "open" && p.State == "closed" || in.State == "closed" && p.State == "open" {
			p.State = in.State
		}
		writeJSON(w, http.StatusOK, s.ghPullJSON(p))
	}))
	mux.HandleFunc("GET /api/v3/repos/{owner}/{name}/pulls/{number}/reviews", with("reviews", func(w http.ResponseWriter, r *http.Request, repo *Repo) {
		p := pull(w, r, repo)
		if p == nil {
			return
		}
		list := []any{}
		if p.ChangesRequested {
			list = append(list, map[string]any{"state": "CHANGES_REQUESTED", "user": map[string]string{"login": "reviewer"}})
		}
		writeJSON(w, http.StatusOK, list)
	}))
}

func (s *Server) glMergeRequestJSON(p *PullRequest) map[string]any {
	state := map[string]string{"open": "opened", "closed": "closed", "merged": "merged"}[p.State]
	detailed := "mergeable"
	if p.ChangesRequested {
		detailed = "requested_changes"
	}
	return map[string]any{"iid": p.Number, "state": state, "title": p.Title, "description": p.Body, "source_branch": p.Head,
		"target_branch": p.Base, "sha": s.headOf(s.repo(p.Repo), p.Head), "detailed_merge_status": detailed,
		"web_url": s.URL + "/" + s.fullPath(s.repo(p.Repo)) + "/-/merge_requests/" + strconv.Itoa(p.Number)}
}

// glMergeRequests answers a project's merge_requests (list, create,
// get, reopen) and protected_branches/<name>; segs are the path after
// projects/, the project by id or full path. The caller holds s.mu.
func (s *Server) glMergeRequests(w http.ResponseWriter, r *http.Request, segs []string) {
	repo := s.repoByID(segs[0])
	for _, rp := range s.org.Repos {
		if repo == nil && s.fullPath(rp) == segs[0] {
			repo = rp
		}
	}
	if repo == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Project Not Found"})
		return
	}
	if segs[1] == "protected_branches" && len(segs) == 3 {
		switch {
		case !repo.ShowProtection:
			writeJSON(w, http.StatusForbidden, map[string]string{"message": "403 Forbidden"})
		case slices.Contains(repo.Protected, segs[2]):
			writeJSON(w, http.StatusOK, map[string]any{"name": segs[2]})
		default:
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Not found"})
		}
		return
	}
	switch {
	case len(segs) == 2 && r.Method == http.MethodGet:
		q := r.URL.Query()
		list := []any{}
		for _, p := range s.pulls {
			if p.Repo == repo.Name && (q.Get("source_branch") == "" || q.Get("source_branch") == p.Head) && (q.Get("state") != "opened" || p.State == "open") {
				list = append(list, s.glMergeRequestJSON(p))
			}
		}
		writeJSON(w, http.StatusOK, list)
	case len(segs) == 2 && r.Method == http.MethodPost:
		var in struct {
			Title        string `json:"title"`
			Description  string `json:"description"`
			SourceBranch string `json:"source_branch"`
			TargetBranch string `json:"target_branch"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil || in.Title == "" ||
			s.headOf(repo, in.SourceBranch) == "" || s.headOf(repo, in.TargetBranch) == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "400 Bad request"})
			return
		}
		for _, p := range s.pulls {
			if p.Repo == repo.Name && p.Head == in.SourceBranch && p.State == "open" {
				writeJSON(w, http.StatusConflict, map[string]any{"message": []string{"Another open merge request already exists for this source branch"}})
				return
			}
		}
		p := &PullRequest{Number: len(s.pulls) + 1, Repo: repo.Name, Head: in.SourceBranch, Base: in.TargetBranch, Title: in.Title, Body: in.Description, State: "open"}
		s.pulls = append(s.pulls, p)
		writeJSON(w, http.StatusCreated, s.glMergeRequestJSON(p))
	case len(segs) == 3:
		n, err := strconv.Atoi(segs[2])
		if err != nil || n < 1 || n > len(s.pulls) || s.pulls[n-1].Repo != repo.Name {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Not found"})
			return
		}
		p := s.pulls[n-1]
		if r.Method == http.MethodPut {
			var in struct {
				StateEvent string `json:"state_event"`
			}
			_ = json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in)
			if in.StateEvent == "reopen" && p.State == "closed" {
				p.State = "open"
			}
		}
		writeJSON(w, http.StatusOK, s.glMergeRequestJSON(p))
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Not Found"})
	}
}
