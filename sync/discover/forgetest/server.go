package forgetest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callboard/callboard/sync/gittest"
)

// Server is a fake forge on loopback holding one organisation.
type Server struct {
	// URL is the server's base, http://127.0.0.1:PORT.
	URL string
	// Token is the bearer token every API request must carry.
	Token string

	mu        sync.Mutex
	org       *Org
	scopes    []string
	now       func() time.Time
	requests  map[string]int
	secondary int
	primary   int
	remaining int
	api       http.Handler
	git       string // git http-backend's root, "" without git
	noGraphQL bool   // GitLab: /api/graphql answers 404
	maxFirst  int    // GitLab: the largest GraphQL page below its complexity limit, 0 for any
	pulls     []*PullRequest
	fullPath  func(*Repo) string // a repository's path on the server, without .git
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes the server tell the time (rate-limit resets) by now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithScopes sets the token's scopes (GitHub's X-OAuth-Scopes; GitLab's
// read_api or api).
func WithScopes(scopes ...string) Option { return func(s *Server) { s.scopes = scopes } }

func newServer(t testing.TB, org *Org, opts []Option) *Server {
	t.Helper()
	s := &Server{Token: "forgetest-token", org: org, now: time.Now, requests: map[string]int{}, remaining: 5000}
	for _, o := range opts {
		o(s)
	}
	if slices.ContainsFunc(org.Repos, func(r *Repo) bool { return r.Git }) {
		s.git = t.TempDir()
	}
	return s
}

// start serves s.api under /api/ and git for everything else.
func (s *Server) start(t testing.TB, fullPath func(*Repo) string) {
	t.Helper()
	s.fullPath = fullPath
	handle := func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			s.api.ServeHTTP(w, r)
			return
		}
		if next == nil {
			http.NotFound(w, r)
			return
		}
		if to, ok := s.renamedGit(r.URL.Path, fullPath); ok {
			http.Redirect(w, r, to, http.StatusMovedPermanently)
			return
		}
		next.ServeHTTP(w, r)
	}
	if s.git == "" {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handle(w, r, nil) }))
		t.Cleanup(srv.Close)
		s.URL = srv.URL
		return
	}
	for _, r := range s.org.Repos {
		if r.Git {
			s.makeGit(t, r, fullPath(r))
		}
	}
	s.URL = gittest.HTTPBackend(t, s.git, handle)
}

// makeGit builds a real repository of r's files at root/<full>.git.
func (s *Server) makeGit(t testing.TB, r *Repo, full string) {
	t.Helper()
	src := gittest.New(t)
	files := map[string][]byte{}
	for p, c := range r.Files {
		files[p] = []byte(c)
	}
	src.Commit("first", files)
	dst := filepath.Join(s.git, filepath.FromSlash(full)+".git")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, s.git, "clone", "-q", "--bare", src.Dir, dst)
	if r.DefaultBranch != "" && r.DefaultBranch != "main" {
		gittest.Git(t, dst, "branch", "-m", "main", r.DefaultBranch)
	}
	gittest.Git(t, dst, "config", "http.receivepack", "true")
	if len(r.Protected) > 0 {
		gittest.Protect(t, dst, r.Protected...)
	}
}

// renamedGit answers a clone of a renamed repository's old URL as
// GitHub does: a redirect to the new one.
func (s *Server) renamedGit(path string, fullPath func(*Repo) string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.org.Repos {
		for _, old := range r.OldNames {
			oldFull := strings.TrimSuffix(fullPath(r), r.Name) + old
			if rest, ok := strings.CutPrefix(path, "/"+oldFull+".git"); ok {
				return "/" + fullPath(r) + ".git" + rest, true
			}
		}
	}
	return "", false
}

// GitDir is the folder of the bare repositories git http-backend serves,
// "" when none are.
func (s *Server) GitDir() string { return s.git }

// Update changes the organisation under the server's lock.
func (s *Server) Update(fn func(o *Org)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.org)
}

// Requests is how many API requests the server answered in all
// (op "") or of one kind: a GraphQL operation name, or a REST
// resource such as "projects", "files", "tree".
func (s *Server) Requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[op]
}

// ResetRequests sets the counts back to zero.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.requests)
}

// SecondaryLimit answers the next n API requests with a secondary rate
// limit (GitHub: 403 and Retry-After; GitLab: 429 and Retry-After).
func (s *Server) SecondaryLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secondary = n
}

// PrimaryLimit answers the next n API requests as a spent rate limit:
// no Retry-After, remaining 0 and the reset a minute on.
func (s *Server) PrimaryLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.primary = n
}

// guard counts a request and answers it when the token is wrong or a
// rate limit is set; the caller holds s.mu.
func (s *Server) guard(w http.ResponseWriter, r *http.Request, op string, limitCode int, remainingHeader, resetHeader string) bool {
	s.requests[""]++
	s.requests[op]++
	reset := s.now().Add(time.Hour).Unix()
	w.Header().Set(remainingHeader, strconv.Itoa(max(s.remaining, 0)))
	w.Header().Set(resetHeader, strconv.FormatInt(reset, 10))
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return false
	}
	s.remaining--
	switch {
	case s.secondary > 0:
		s.secondary--
		w.Header().Set("Retry-After", "60")
		writeJSON(w, limitCode, map[string]string{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."})
		return false
	case s.primary > 0:
		s.primary--
		w.Header().Set(remainingHeader, "0")
		w.Header().Set(resetHeader, strconv.FormatInt(s.now().Add(time.Minute).Unix(), 10))
		writeJSON(w, limitCode, map[string]string{"message": "API rate limit exceeded"})
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
