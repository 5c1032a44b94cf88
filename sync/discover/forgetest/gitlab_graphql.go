package forgetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// WithoutGraphQL makes a GitLab answer /api/graphql with 404, as a
// self-managed version without the fields the listing asks for would
// fail it: the listing falls back to REST.
func WithoutGraphQL() Option { return func(s *Server) { s.noGraphQL = true } }

// WithComplexityLimit makes a GitLab refuse a Projects query asking
// for more than first projects a page, as its query complexity limit
// does.
func WithComplexityLimit(first int) Option { return func(s *Server) { s.maxFirst = first } }

// glGraphQL answers GitLab's GraphQL Projects operation (dispatched on
// the operation name, variables read, the query not parsed): a page of
// the group's projects ordered by id, each with its repository's root
// ref and the blobs at the paths asked, on the ref asked or HEAD. The
// blobs of a project whose repository the token cannot read fail with a
// permission error, those of a ref the project lacks with GitLab's "Ref
// is not valid".
func (s *Server) glGraphQL(w http.ResponseWriter, r *http.Request) {
	var req gqlReq
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Invalid JSON"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Ratelimit-Limit", "2000")
	if !s.guard(w, r, req.OperationName, http.StatusTooManyRequests, "Ratelimit-Remaining", "Ratelimit-Reset") {
		return
	}
	if req.OperationName != "Projects" {
		writeJSON(w, http.StatusOK, map[string]any{"errors": []gqlErr{{Message: "unknown operation " + req.OperationName}}})
		return
	}
	v := req.Variables
	if f, _ := v["first"].(float64); s.maxFirst > 0 && int(f) > s.maxFirst {
		writeJSON(w, http.StatusOK, map[string]any{"errors": []gqlErr{{Message: fmt.Sprintf("Query has complexity of %d, which exceeds max complexity of 250", 250*int(f)/s.maxFirst+1)}}})
		return
	}
	if g, _ := v["group"].(string); g != s.org.Login {
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"group": nil}})
		return
	}
	repos := slices.Clone(s.org.Repos)
	slices.SortFunc(repos, func(a, b *Repo) int { return int(a.ID - b.ID) })
	cursor := map[string]any{"cursor": v["after"], "first": v["first"]}
	pg, info := page(repos, cursor, 100)
	ref, _ := v["ref"].(string)
	var paths []string
	if ps, ok := v["paths"].([]any); ok {
		for _, p := range ps {
			if p, ok := p.(string); ok {
				paths = append(paths, p)
			}
		}
	}
	nodes := make([]any, len(pg))
	var errs []gqlErr
	for i, repo := range pg {
		n := s.glNode(repo)
		nodes[i] = n
		rootRef := any(nil)
		if repo.DefaultBranch != "" {
			rootRef = repo.DefaultBranch
		}
		at := ref
		if at == "" {
			at = repo.DefaultBranch
		}
		var blobs any
		switch {
		case repo.NoAccess:
			errs = append(errs, gqlErr{Message: "The resource that you are attempting to access does not exist or you don't have permission to perform this action",
				Path: []any{"group", "projects", "nodes", i, "repository", "blobs"}})
		case at != "" && repo.hasBranch(at):
			found := []any{}
			for _, p := range paths {
				if c, ok := repo.Files[p]; ok {
					found = append(found, map[string]any{"path": p, "oid": oid(c), "size": strconv.Itoa(len(c))})
				}
			}
			blobs = map[string]any{"nodes": found}
		case ref != "":
			errs = append(errs, gqlErr{Message: "Ref is not valid", Path: []any{"group", "projects", "nodes", i, "repository", "blobs"}})
		default:
			blobs = map[string]any{"nodes": []any{}}
		}
		n["repository"] = map[string]any{"rootRef": rootRef, "empty": len(repo.Files) == 0, "blobs": blobs}
	}
	out := map[string]any{"data": map[string]any{"group": map[string]any{"projects": map[string]any{"pageInfo": info, "nodes": nodes}}}}
	if errs != nil {
		out["errors"] = errs
	}
	writeJSON(w, http.StatusOK, out)
}

// glNode is a project as GraphQL names its fields.
func (s *Server) glNode(r *Repo) map[string]any {
	full := glFullPath(s.org, r)
	topics := r.Topics
	if topics == nil {
		topics = []string{}
	}
	return map[string]any{"id": "gid://gitlab/Project/" + strconv.FormatInt(r.ID, 10), "name": r.Name, "fullPath": full,
		"httpUrlToRepo": s.URL + "/" + full + ".git", "webUrl": s.URL + "/" + full, "archived": r.Archived,
		"visibility": r.Visibility, "topics": topics, "lastActivityAt": r.PushedAt, "isForked": r.Fork, "repository": nil}
}
