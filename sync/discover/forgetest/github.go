package forgetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// NewGitHub serves org as a GitHub Enterprise Server does: REST under
// /api/v3, GraphQL at /api/graphql (dispatched on the operation name:
// Probe, Repos, Teams, TeamMembers, Members), repositories at
// /<org>/<name>.git. The token's scopes are repo and read:org unless
// WithScopes says otherwise.
func NewGitHub(t testing.TB, org *Org, opts ...Option) *Server {
	t.Helper()
	s := newServer(t, org, append([]Option{WithScopes("repo", "read:org")}, opts...))
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/graphql", s.ghGraphQL)
	mux.HandleFunc("GET /api/v3/user", s.ghUser)
	mux.HandleFunc("GET /api/v3/repos/{owner}/{name}", s.ghRepo)
	mux.HandleFunc("GET /api/v3/repositories/{id}", s.ghRepoByID)
	s.ghPulls(mux)
	s.api = mux
	s.start(t, func(r *Repo) string { return org.Login + "/" + r.Name })
	return s
}

func (s *Server) ghGuard(w http.ResponseWriter, r *http.Request, op string) bool {
	w.Header().Set("X-Ratelimit-Limit", "5000")
	w.Header().Set("X-Oauth-Scopes", strings.Join(s.scopes, ", "))
	return s.guard(w, r, op, http.StatusForbidden, "X-Ratelimit-Remaining", "X-Ratelimit-Reset")
}

type gqlReq struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

type gqlErr struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Path    []any  `json:"path,omitempty"`
}

func (s *Server) ghGraphQL(w http.ResponseWriter, r *http.Request) {
	var req gqlReq
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ghGuard(w, r, req.OperationName) {
		return
	}
	v := req.Variables
	str := func(k string) string { x, _ := v[k].(string); return x }
	if str("owner") != s.org.Login {
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"repositoryOwner": nil, "organization": nil},
			"errors": []gqlErr{{Type: "NOT_FOUND", Message: fmt.Sprintf("Could not resolve to an Organization with the login of '%s'.", str("owner"))}}})
		return
	}
	rate := map[string]any{"limit": 5000, "remaining": s.remaining, "resetAt": s.now().Add(time.Hour).UTC().Format(time.RFC3339)}
	switch req.OperationName {
	case "Probe":
		s.ghProbe(w, rate)
	case "Repos":
		s.ghRepos(w, v, rate)
	case "Teams", "TeamMembers", "Members":
		if !slices.Contains(s.scopes, "read:org") {
			writeJSON(w, http.StatusOK, map[string]any{"data": nil, "errors": []gqlErr{{Type: "INSUFFICIENT_SCOPES",
				Message: "Your token has not been granted the required scopes to execute this query. The 'teams' field requires one of the following scopes: ['read:org'], but your token has only been granted the: ['repo'] scopes."}}})
			return
		}
		s.ghOrg(w, req.OperationName, v)
	default:
		writeJSON(w, http.StatusOK, map[string]any{"errors": []gqlErr{{Message: "unknown operation " + req.OperationName}}})
	}
}

func nodeID(r *Repo) string { return "R_kgDO" + strconv.FormatInt(r.ID, 10) }

func (s *Server) ghProbe(w http.ResponseWriter, rate map[string]any) {
	repos := slices.Clone(s.org.Repos)
	owner := map[string]any{}
	slices.SortStableFunc(repos, func(a, b *Repo) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	upd := []any{}
	if len(repos) > 0 {
		upd = append(upd, map[string]any{"id": nodeID(repos[0]), "updatedAt": repos[0].UpdatedAt})
	}
	owner["updated"] = map[string]any{"totalCount": len(repos), "nodes": upd}
	slices.SortStableFunc(repos, func(a, b *Repo) int { return b.PushedAt.Compare(a.PushedAt) })
	push := []any{}
	if len(repos) > 0 {
		push = append(push, map[string]any{"id": nodeID(repos[0]), "pushedAt": repos[0].PushedAt})
	}
	owner["pushed"] = map[string]any{"nodes": push}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"rateLimit": rate, "repositoryOwner": owner}})
}

// cursor pages as GitHub's opaque cursors do, by position.
func cursorAt(v map[string]any) int {
	c, _ := v["cursor"].(string)
	n, _ := strconv.Atoi(strings.TrimPrefix(c, "Y3Vyc29yOnYy"))
	return n
}

func page[T any](all []T, v map[string]any, size int) ([]T, map[string]any) {
	from := min(cursorAt(v), len(all))
	if f, ok := v["first"].(float64); ok && f > 0 {
		size = int(f)
	}
	to := min(from+size, len(all))
	info := map[string]any{"hasNextPage": to < len(all), "endCursor": nil}
	if to > from {
		info["endCursor"] = "Y3Vyc29yOnYy" + strconv.Itoa(to)
	}
	return all[from:to], info
}

func (s *Server) ghRepos(w http.ResponseWriter, v map[string]any, rate map[string]any) {
	repos := slices.Clone(s.org.Repos)
	slices.SortFunc(repos, func(a, b *Repo) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	pg, info := page(repos, v, 100)
	expr, _ := v["expr"].(string)
	ref, path, _ := strings.Cut(expr, ":")
	branch, _ := v["branch"].(string)
	nodes := []any{}
	var errs []gqlErr
	for i, r := range pg {
		n := map[string]any{"id": nodeID(r), "name": r.Name, "nameWithOwner": s.org.Login + "/" + r.Name,
			"url": s.URL + "/" + s.org.Login + "/" + r.Name, "isArchived": r.Archived, "isFork": r.Fork,
			"isEmpty": len(r.Files) == 0, "visibility": strings.ToUpper(r.Visibility),
			"updatedAt": r.UpdatedAt, "pushedAt": r.PushedAt, "defaultBranchRef": nil}
		if r.DefaultBranch != "" {
			n["defaultBranchRef"] = map[string]any{"name": r.DefaultBranch}
		}
		topics := []any{}
		for _, t := range r.Topics {
			topics = append(topics, map[string]any{"topic": map[string]any{"name": t}})
		}
		n["repositoryTopics"] = map[string]any{"nodes": topics}
		if branch != "" {
			n["ref"] = nil
			if b := strings.TrimPrefix(branch, "refs/heads/"); r.hasBranch(b) {
				n["ref"] = map[string]any{"name": b}
			}
		}
		n["catalog"] = nil
		switch {
		case r.NoAccess:
			errs = append(errs, gqlErr{Type: "FORBIDDEN", Message: "Resource protected by organization SAML enforcement.",
				Path: []any{"repositoryOwner", "repositories", "nodes", i, "catalog"}})
		case ref == "HEAD" && r.DefaultBranch != "" || r.hasBranch(ref):
			n["catalog"] = r.object(path)
		}
		nodes = append(nodes, n)
	}
	out := map[string]any{"data": map[string]any{"rateLimit": rate, "repositoryOwner": map[string]any{
		"repositories": map[string]any{"totalCount": len(repos), "pageInfo": info, "nodes": nodes}}}}
	if errs != nil {
		out["errors"] = errs
	}
	writeJSON(w, http.StatusOK, out)
}

// object answers object(expression: "REF:path"): a Blob, a Tree with
// its entries all the way down, or nil.
func (r *Repo) object(path string) any {
	if c, ok := r.Files[path]; ok {
		return map[string]any{"__typename": "Blob", "oid": oid(c), "byteSize": len(c)}
	}
	entries, ok := r.entries(path)
	if !ok {
		return nil
	}
	return map[string]any{"__typename": "Tree", "entries": r.treeJSON(entries)}
}

func (r *Repo) treeJSON(entries []treeEntry) []any {
	out := []any{}
	for _, e := range entries {
		if e.dir {
			sub, _ := r.entries(e.path)
			out = append(out, map[string]any{"name": e.name, "type": "tree", "oid": oid(e.path),
				"object": map[string]any{"entries": r.treeJSON(sub)}})
			continue
		}
		c := r.Files[e.path]
		out = append(out, map[string]any{"name": e.name, "type": "blob", "oid": oid(c), "object": map[string]any{"byteSize": len(c)}})
	}
	return out
}

func (s *Server) ghOrg(w http.ResponseWriter, op string, v map[string]any) {
	var org map[string]any
	switch op {
	case "Teams":
		teams := slices.Clone(s.org.Teams)
		slices.SortFunc(teams, func(a, b *Team) int { return strings.Compare(a.Slug, b.Slug) })
		pg, info := page(teams, v, 50)
		nodes := []any{}
		for _, t := range pg {
			members, minfo := page(t.Members, map[string]any{}, 100)
			n := map[string]any{"id": "T_" + strconv.FormatInt(t.ID, 10), "slug": t.Slug, "name": t.Name, "description": t.Description,
				"avatarUrl": "", "url": s.URL + "/orgs/" + s.org.Login + "/teams/" + t.Slug, "parentTeam": nil,
				"members": map[string]any{"pageInfo": minfo, "nodes": logins(members)}}
			if t.Parent != "" {
				n["parentTeam"] = map[string]any{"slug": t.Parent}
			}
			nodes = append(nodes, n)
		}
		org = map[string]any{"teams": map[string]any{"pageInfo": info, "nodes": nodes}}
	case "TeamMembers":
		slug, _ := v["team"].(string)
		org = map[string]any{"team": nil}
		for _, t := range s.org.Teams {
			if t.Slug == slug {
				pg, info := page(t.Members, v, 100)
				org["team"] = map[string]any{"members": map[string]any{"pageInfo": info, "nodes": logins(pg)}}
			}
		}
	case "Members":
		pg, info := page(s.org.Members, v, 100)
		nodes := []any{}
		for _, m := range pg {
			var email any
			if m.Email != "" {
				email = m.Email
			}
			verified := []string{}
			if m.VerifiedDomainEmail != "" {
				verified = append(verified, m.VerifiedDomainEmail)
			}
			nodes = append(nodes, map[string]any{"id": "U_" + strconv.FormatInt(m.ID, 10), "login": m.Login, "name": m.Name,
				"email": email, "avatarUrl": s.URL + "/avatars/" + m.Login, "url": s.URL + "/" + m.Login,
				"organizationVerifiedDomainEmails": verified})
		}
		org = map[string]any{"membersWithRole": map[string]any{"pageInfo": info, "nodes": nodes}}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"organization": org}})
}

func logins(ls []string) []any {
	out := []any{}
	for _, l := range ls {
		out = append(out, map[string]any{"login": l})
	}
	return out
}

func (s *Server) ghUser(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ghGuard(w, r, "user") {
		return
	}
	if len(s.org.Members) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"login": "ghost", "id": 1})
		return
	}
	m := s.org.Members[0]
	writeJSON(w, http.StatusOK, map[string]any{"login": m.Login, "id": m.ID, "name": m.Name, "email": m.Email,
		"avatar_url": s.URL + "/avatars/" + m.Login, "html_url": s.URL + "/" + m.Login})
}

func (s *Server) ghRepoJSON(r *Repo) map[string]any {
	return map[string]any{"id": r.ID, "node_id": nodeID(r), "name": r.Name, "full_name": s.org.Login + "/" + r.Name,
		"default_branch": r.DefaultBranch, "archived": r.Archived, "fork": r.Fork, "visibility": r.Visibility,
		"clone_url": s.URL + "/" + s.org.Login + "/" + r.Name + ".git"}
}

// ghRepo answers GET /repos/{owner}/{name}, and an old name with 301 to
// /repositories/{id} as GitHub does for a renamed repository.
func (s *Server) ghRepo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ghGuard(w, r, "repos") {
		return
	}
	name := r.PathValue("name")
	for _, repo := range s.org.Repos {
		if r.PathValue("owner") != s.org.Login {
			break
		}
		if strings.EqualFold(repo.Name, name) {
			writeJSON(w, http.StatusOK, s.ghRepoJSON(repo))
			return
		}
		if slices.Contains(repo.OldNames, name) {
			to := "/api/v3/repositories/" + strconv.FormatInt(repo.ID, 10)
			w.Header().Set("Location", to)
			writeJSON(w, http.StatusMovedPermanently, map[string]string{"message": "Moved Permanently", "url": s.URL + to})
			return
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
}

func (s *Server) ghRepoByID(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ghGuard(w, r, "repositories") {
		return
	}
	for _, repo := range s.org.Repos {
		if strconv.FormatInt(repo.ID, 10) == r.PathValue("id") {
			writeJSON(w, http.StatusOK, s.ghRepoJSON(repo))
			return
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
}
