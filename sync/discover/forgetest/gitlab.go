package forgetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// NewGitLab serves org as a GitLab group (its Login the group's path)
// under /api/v4: the group's projects with subgroups (Link pagination,
// X-Total, ETag and 304), files by HEAD, trees, branches, descendant
// groups, members and the token's user, merge requests and protected
// branches (pulls.go); GraphQL's Projects at
// /api/graphql (gitlab_graphql.go); projects at
// /<group>/<sub>/<name>.git. The token's scope is read_api unless
// WithScopes says otherwise.
func NewGitLab(t testing.TB, org *Org, opts ...Option) *Server {
	t.Helper()
	s := newServer(t, org, append([]Option{WithScopes("read_api")}, opts...))
	s.api = http.HandlerFunc(s.glServe)
	s.start(t, func(r *Repo) string { return glFullPath(org, r) })
	return s
}

func glFullPath(org *Org, r *Repo) string {
	if r.Group == "" {
		return org.Login + "/" + r.Name
	}
	return org.Login + "/" + r.Group + "/" + r.Name
}

// glServe routes by hand: GitLab's ids are URL-encoded paths, which a
// ServeMux pattern would decode and split.
func (s *Server) glServe(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/graphql" && r.Method == http.MethodPost && !s.noGraphQL {
		s.glGraphQL(w, r)
		return
	}
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/api/v4/"), "/")
	for i, seg := range segs {
		segs[i], _ = url.PathUnescape(seg)
	}
	kind := segs[len(segs)-1]
	switch {
	case len(segs) > 3 && segs[0] == "projects" && segs[2] == "repository":
		kind = segs[3]
	case len(segs) == 2 && segs[0] == "groups":
		kind = "group"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Ratelimit-Limit", "2000")
	if !s.guard(w, r, kind, http.StatusTooManyRequests, "Ratelimit-Remaining", "Ratelimit-Reset") {
		return
	}
	if !slices.Contains(s.scopes, "read_api") && !slices.Contains(s.scopes, "api") {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "insufficient_scope",
			"error_description": "The request requires higher privileges than provided by the access token.", "scope": "read_api api"})
		return
	}
	q := r.URL.Query()
	switch {
	case len(segs) == 1 && segs[0] == "user":
		s.glUser(w)
	case segs[0] == "groups" && len(segs) >= 2 && segs[1] != s.org.Login && !strings.HasPrefix(segs[1], s.org.Login+"/"):
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Group Not Found"})
	case segs[0] == "groups" && len(segs) == 2:
		s.glGroupJSON(w, segs[1])
	case segs[0] == "groups" && len(segs) == 3 && segs[2] == "projects":
		s.glProjects(w, r, q)
	case segs[0] == "groups" && len(segs) == 3 && segs[2] == "descendant_groups":
		s.glDescendants(w, r, q)
	case segs[0] == "groups" && len(segs) == 3 && segs[2] == "members":
		s.glMembers(w, r, q, segs[1])
	case segs[0] == "projects" && len(segs) >= 5 && segs[2] == "repository":
		s.glRepository(w, r, q, segs[1], segs[3], segs[4])
	case segs[0] == "projects" && len(segs) == 4 && segs[2] == "repository" && segs[3] == "tree":
		s.glRepository(w, r, q, segs[1], "tree", "")
	case segs[0] == "projects" && len(segs) >= 3 && (segs[2] == "merge_requests" || segs[2] == "protected_branches"):
		s.glMergeRequests(w, r, segs[1:])
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Not Found"})
	}
}

// glPage writes one page of items with GitLab's pagination headers.
func (s *Server) glPage(w http.ResponseWriter, r *http.Request, q url.Values, items []any) {
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 || per > 100 {
		per = 20
	}
	pg, _ := strconv.Atoi(q.Get("page"))
	pg = max(pg, 1)
	from := min((pg-1)*per, len(items))
	to := min(from+per, len(items))
	pages := max((len(items)+per-1)/per, 1)
	h := w.Header()
	h.Set("X-Total", strconv.Itoa(len(items)))
	h.Set("X-Total-Pages", strconv.Itoa(pages))
	h.Set("X-Page", strconv.Itoa(pg))
	h.Set("X-Per-Page", strconv.Itoa(per))
	if to < len(items) {
		nq := r.URL.Query()
		nq.Set("page", strconv.Itoa(pg+1))
		h.Set("Link", fmt.Sprintf(`<%s%s?%s>; rel="next"`, s.URL, r.URL.EscapedPath(), nq.Encode()))
	}
	body, _ := json.Marshal(items[from:to])
	sum := sha256.Sum256(body)
	etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
	h.Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

func (s *Server) glProject(r *Repo) map[string]any {
	full := glFullPath(s.org, r)
	p := map[string]any{"id": r.ID, "name": r.Name, "path": r.Name, "path_with_namespace": full,
		"http_url_to_repo": s.URL + "/" + full + ".git", "web_url": s.URL + "/" + full,
		"default_branch": nil, "archived": r.Archived, "visibility": r.Visibility, "topics": r.Topics,
		"last_activity_at": r.PushedAt, "empty_repo": len(r.Files) == 0, "repository_access_level": "enabled"}
	if r.Topics == nil {
		p["topics"] = []string{}
	}
	if r.DefaultBranch != "" {
		p["default_branch"] = r.DefaultBranch
	}
	if r.Fork {
		p["forked_from_project"] = map[string]any{"id": 1}
	}
	return p
}

func (s *Server) glProjects(w http.ResponseWriter, r *http.Request, q url.Values) {
	repos := slices.Clone(s.org.Repos)
	if q.Get("order_by") == "last_activity_at" {
		slices.SortStableFunc(repos, func(a, b *Repo) int { return b.PushedAt.Compare(a.PushedAt) })
	} else {
		slices.SortFunc(repos, func(a, b *Repo) int { return int(a.ID - b.ID) })
	}
	items := make([]any, len(repos))
	for i, repo := range repos {
		items[i] = s.glProject(repo)
	}
	s.glPage(w, r, q, items)
}

func (s *Server) repoByID(id string) *Repo {
	for _, r := range s.org.Repos {
		if strconv.FormatInt(r.ID, 10) == id {
			return r
		}
	}
	return nil
}

// glRepository answers files/<path> (HEAD or GET), tree and
// branches/<name> of a project.
func (s *Server) glRepository(w http.ResponseWriter, r *http.Request, q url.Values, id, kind, arg string) {
	repo := s.repoByID(id)
	switch {
	case repo == nil:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Project Not Found"})
		return
	case repo.NoAccess:
		writeJSON(w, http.StatusForbidden, map[string]string{"message": "403 Forbidden"})
		return
	}
	ref := q.Get("ref")
	switch kind {
	case "branches":
		if !repo.hasBranch(arg) {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Branch Not Found"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"name": arg})
	case "files":
		c, ok := repo.Files[arg]
		if !repo.hasBranch(ref) || !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 File Not Found"})
			return
		}
		w.Header().Set("X-Gitlab-Blob-Id", oid(c))
		w.Header().Set("X-Gitlab-Size", strconv.Itoa(len(c)))
		w.Header().Set("X-Gitlab-File-Path", arg)
		writeJSON(w, http.StatusOK, map[string]any{"file_path": arg, "size": len(c), "blob_id": oid(c)})
	case "tree":
		if !repo.hasBranch(ref) {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Tree Not Found"})
			return
		}
		var items []any
		var walk func(dir string) bool
		walk = func(dir string) bool {
			entries, ok := repo.entries(dir)
			for _, e := range entries {
				typ, id := "blob", oid(repo.Files[e.path])
				if e.dir {
					typ, id = "tree", oid(e.path)
				}
				items = append(items, map[string]any{"id": id, "name": e.name, "type": typ, "path": e.path})
				if e.dir && q.Get("recursive") == "true" {
					walk(e.path)
				}
			}
			return ok
		}
		if !walk(q.Get("path")) {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Tree Not Found"})
			return
		}
		s.glPage(w, r, q, items)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Not Found"})
	}
}

func (s *Server) glGroups() []map[string]any {
	root := map[string]any{"id": 1, "name": s.org.Name, "path": s.org.Login, "full_path": s.org.Login,
		"description": "", "parent_id": nil, "web_url": s.URL + "/groups/" + s.org.Login, "avatar_url": nil}
	out := []map[string]any{root}
	ids := map[string]int64{"": 1}
	for _, t := range s.org.Teams {
		ids[t.Slug] = t.ID
	}
	for _, t := range s.org.Teams {
		parent := t.Slug[:max(strings.LastIndex(t.Slug, "/"), 0)]
		out = append(out, map[string]any{"id": t.ID, "name": t.Name, "path": t.Slug[strings.LastIndex(t.Slug, "/")+1:],
			"full_path": s.org.Login + "/" + t.Slug, "description": t.Description, "parent_id": ids[parent],
			"web_url": s.URL + "/groups/" + s.org.Login + "/" + t.Slug, "avatar_url": nil})
	}
	return out
}

func (s *Server) glGroupJSON(w http.ResponseWriter, full string) {
	for _, g := range s.glGroups() {
		if g["full_path"] == full {
			writeJSON(w, http.StatusOK, g)
			return
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Group Not Found"})
}

func (s *Server) glDescendants(w http.ResponseWriter, r *http.Request, q url.Values) {
	var items []any
	for _, g := range s.glGroups()[1:] {
		items = append(items, g)
	}
	s.glPage(w, r, q, items)
}

func (s *Server) member(login string) *Member {
	for _, m := range s.org.Members {
		if m.Login == login {
			return m
		}
	}
	return &Member{Login: login}
}

func (s *Server) glMembers(w http.ResponseWriter, r *http.Request, q url.Values, full string) {
	logins := s.org.RootMembers
	for _, t := range s.org.Teams {
		if s.org.Login+"/"+t.Slug == full {
			logins = t.Members
		}
	}
	var items []any
	for _, l := range logins {
		m := s.member(l)
		items = append(items, map[string]any{"id": m.ID, "username": m.Login, "name": m.Name, "state": "active",
			"avatar_url": s.URL + "/uploads/" + m.Login + ".png", "web_url": s.URL + "/" + m.Login, "access_level": 30})
	}
	s.glPage(w, r, q, items)
}

func (s *Server) glUser(w http.ResponseWriter) {
	if len(s.org.Members) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"id": 1, "username": "root"})
		return
	}
	m := s.org.Members[0]
	writeJSON(w, http.StatusOK, map[string]any{"id": m.ID, "username": m.Login, "name": m.Name, "public_email": m.Email,
		"avatar_url": s.URL + "/uploads/" + m.Login + ".png", "web_url": s.URL + "/" + m.Login, "state": "active"})
}
