package discover

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// GitLab's GraphQL API reads a page of a group's projects with each
// one's catalog file (Repository.blobs) in one request, so a first
// listing of N projects costs 1 + N/100 requests instead of REST's
// 1 + N/100 + N. Globs need a tree walk per project and stay on REST; so
// does a GitLab too old for the fields asked (errNoGraphQL).

// errNoGraphQL means the GitLab answering has no usable GraphQL listing:
// no endpoint, a schema without the fields asked, or a complexity limit
// that even the smallest page exceeds. The caller lists through REST.
var errNoGraphQL = errors.New("no usable GraphQL listing")

// glPageSizes are the page sizes tried, largest first: a server whose
// complexity limit refuses one is asked again with the next.
var glPageSizes = []int{100, 50, 20}

type glGraphQLError struct {
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

type glNode struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	FullPath       string    `json:"fullPath"`
	HTTPURL        string    `json:"httpUrlToRepo"`
	WebURL         string    `json:"webUrl"`
	Archived       bool      `json:"archived"`
	Visibility     string    `json:"visibility"`
	Topics         []string  `json:"topics"`
	LastActivityAt time.Time `json:"lastActivityAt"`
	IsForked       bool      `json:"isForked"`
	Repository     *struct {
		RootRef string `json:"rootRef"`
		Empty   bool   `json:"empty"`
		Blobs   *struct {
			Nodes []struct {
				Path string      `json:"path"`
				OID  string      `json:"oid"`
				Size json.Number `json:"size"` // BigInt: a string, or a number on older versions
			} `json:"nodes"`
		} `json:"blobs"`
	} `json:"repository"`
}

// glProjectsQuery reads a page of projects with their catalog file; the
// ref is asked only when the filters name a branch (blobs reads HEAD
// otherwise).
func (g *gitlab) glProjectsQuery() string {
	params, ref := "", ""
	if g.f.Branch != "" {
		params, ref = ", $ref: String!", ", ref: $ref"
	}
	return `query Projects($group: ID!, $first: Int!, $after: String, $paths: [String!]!` + params + `) {
  group(fullPath: $group) {
    projects(includeSubgroups: true, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id name fullPath httpUrlToRepo webUrl archived visibility topics lastActivityAt isForked
        repository { rootRef empty blobs(paths: $paths` + ref + `) { nodes { path oid size } } }
      }
    }
  }
}`
}

// graphqlRepos lists the group's projects through GraphQL. recheck are
// the indexes of repos whose catalog file GraphQL could not tell (an
// error on that project's node); the caller asks REST for those.
func (g *gitlab) graphqlRepos(ctx context.Context) (repos []Repo, recheck []int, err error) {
	vars := map[string]any{"group": g.c.src.Owner, "paths": []string{g.f.CatalogPath}}
	if g.f.Branch != "" {
		vars["ref"] = g.f.Branch
	}
	query := g.glProjectsQuery()
	size := 0
	seen := map[string]bool{}
	for {
		vars["first"] = glPageSizes[size]
		var d struct {
			Group *struct {
				Projects struct {
					PageInfo struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
					Nodes []*glNode `json:"nodes"`
				} `json:"projects"`
			} `json:"group"`
		}
		errs, err := g.graphql(ctx, query, vars, &d)
		if errors.Is(err, errComplexity) {
			if size++; size < len(glPageSizes) {
				continue
			}
			return nil, nil, fmt.Errorf("%w: %w", errNoGraphQL, err)
		}
		if err != nil {
			return nil, nil, err
		}
		if d.Group == nil {
			return nil, nil, fmt.Errorf("%w: %s (or the token cannot see it)", ErrNotFound, g.c.src.URL())
		}
		unsure := map[int]bool{}
		for _, e := range errs {
			i, ok := glNodeIndex(e.Path)
			if !ok {
				return nil, nil, fmt.Errorf("graphql Projects: %s", e.Message)
			}
			unsure[i] = true
		}
		for i, n := range d.Group.Projects.Nodes {
			if n == nil || n.ID == "" {
				continue
			}
			if len(repos) >= g.c.o.MaxRepos {
				return nil, nil, fmt.Errorf("%w: %s has over %d projects", ErrTooMany, g.c.src.URL(), g.c.o.MaxRepos)
			}
			r := g.graphqlRepo(n)
			if unsure[i] && r.Skipped == NoFile {
				r.Skipped = "" // GraphQL could not tell: REST will
				recheck = append(recheck, len(repos))
			}
			repos = append(repos, r)
		}
		p := d.Group.Projects.PageInfo
		if !p.HasNextPage {
			return repos, recheck, nil
		}
		if p.EndCursor == "" || seen[p.EndCursor] {
			return nil, nil, fmt.Errorf("graphql Projects: the server repeated page cursor %q", p.EndCursor)
		}
		seen[p.EndCursor] = true
		vars["after"] = p.EndCursor
	}
}

// glNodeIndex reads [group projects nodes i …].
func glNodeIndex(path []any) (int, bool) {
	if len(path) < 4 || path[0] != "group" || path[1] != "projects" || path[2] != "nodes" {
		return 0, false
	}
	f, ok := path[3].(float64)
	return int(f), ok && f >= 0
}

// graphqlRepo reads a project node as REST's repo does a project, its
// catalog file from the node's blobs. A project whose repository the
// token cannot read has none.
func (g *gitlab) graphqlRepo(n *glNode) Repo {
	id := n.ID[strings.LastIndexByte(n.ID, '/')+1:] // gid://gitlab/Project/123: REST's id, so states and locations carry over
	r := Repo{ID: id, Name: n.Name, FullName: n.FullPath, CloneURL: n.HTTPURL, WebURL: n.WebURL, Archived: n.Archived,
		Fork: n.IsForked, Visibility: strings.ToLower(n.Visibility), Topics: n.Topics, UpdatedAt: n.LastActivityAt, PushedAt: n.LastActivityAt}
	if n.Repository != nil && !n.Repository.Empty {
		r.DefaultBranch = n.Repository.RootRef
	}
	r.Branch = g.f.branch(&r)
	switch {
	case g.f.excludes(&r) != "":
		r.Skipped = g.f.excludes(&r)
		return r
	case n.Repository == nil:
		r.Skipped = NoAccess
		return r
	case r.Branch == "":
		r.Skipped = NoBranch
		return r
	}
	if b := n.Repository.Blobs; b != nil {
		for _, f := range b.Nodes {
			if f.Path == g.f.CatalogPath {
				size, _ := f.Size.Int64()
				r.Files = []CatalogFile{{Path: f.Path, OID: f.OID, Size: size}}
			}
		}
	}
	if len(r.Files) == 0 {
		r.Skipped = NoFile
	}
	return r
}

// errComplexity is GitLab refusing a query as too complex for its limit.
var errComplexity = errors.New("query too complex")

// graphql posts one Projects query and decodes its data. Errors naming
// a node come back for the caller; a missing endpoint or field is
// errNoGraphQL.
func (g *gitlab) graphql(ctx context.Context, query string, vars map[string]any, data any) ([]glGraphQLError, error) {
	body, err := json.Marshal(map[string]any{"query": query, "operationName": "Projects", "variables": vars})
	if err != nil {
		return nil, fmt.Errorf("graphql Projects: %w", err)
	}
	resp, err := g.c.do(ctx, http.MethodPost, g.c.src.graphQL(), body, http.Header{"Accept": {"application/json"}})
	if err != nil {
		return nil, fmt.Errorf("graphql Projects: %w", err)
	}
	if resp.code == http.StatusNotFound {
		return nil, fmt.Errorf("%w: %s answers 404", errNoGraphQL, g.c.src.graphQL())
	}
	if err := g.c.check(resp, "listing "+g.c.src.URL()); err != nil {
		return nil, fmt.Errorf("graphql Projects: %w", err)
	}
	var out struct {
		Data   json.RawMessage  `json:"data"`
		Errors []glGraphQLError `json:"errors"`
	}
	if err := json.Unmarshal(resp.body, &out); err != nil {
		return nil, fmt.Errorf("graphql Projects: %w", err)
	}
	if len(out.Data) == 0 || string(out.Data) == "null" {
		msg := "no data"
		if len(out.Errors) > 0 {
			msg = out.Errors[0].Message
		}
		if strings.Contains(msg, "complexity") {
			return nil, fmt.Errorf("%w: %s", errComplexity, msg)
		}
		// A query GitLab cannot run at all is one its schema lacks
		// something of (an older self-managed version).
		return nil, fmt.Errorf("%w: %s", errNoGraphQL, msg)
	}
	if err := json.Unmarshal(out.Data, data); err != nil {
		return nil, fmt.Errorf("graphql Projects: %w", err)
	}
	return out.Errors, nil
}
