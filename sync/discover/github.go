package discover

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// github lists a GitHub organisation through GraphQL: 100 repositories a
// request, each with its catalog file (or the folder a glob starts in)
// read in the same query, as Backstage's GithubEntityProvider does.
type github struct {
	c   *client
	f   *filter
	key string
}

var _ Forge = (*github)(nil)

type gqlError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

type rateLimit struct {
	Limit     int       `json:"limit"`
	Remaining int       `json:"remaining"`
	ResetAt   time.Time `json:"resetAt"`
}

// graphql posts one operation and decodes its data into data. Errors of
// type RATE_LIMITED are waited out and the query asked again; a missing
// scope is a *ScopeError; other errors come back for the caller to judge
// (some name one repository it cannot read).
func (g *github) graphql(ctx context.Context, op, query string, vars map[string]any, data any) ([]gqlError, error) {
	body, err := json.Marshal(map[string]any{"query": query, "operationName": op, "variables": vars})
	if err != nil {
		return nil, fmt.Errorf("graphql %s: %w", op, err)
	}
	hdr := http.Header{"Accept": {"application/json"}}
	for attempt := 0; ; attempt++ {
		resp, err := g.c.do(ctx, http.MethodPost, g.c.src.graphQL(), body, hdr)
		if err != nil {
			return nil, fmt.Errorf("graphql %s: %w", op, err)
		}
		if err := g.c.check(resp, "listing "+g.c.src.URL()); err != nil {
			return nil, fmt.Errorf("graphql %s: %w", op, err)
		}
		var out struct {
			Data   json.RawMessage `json:"data"`
			Errors []gqlError      `json:"errors"`
		}
		if err := json.Unmarshal(resp.body, &out); err != nil {
			return nil, fmt.Errorf("graphql %s: %w", op, err)
		}
		var rest []gqlError
		limited := false
		for _, e := range out.Errors {
			switch e.Type {
			case "RATE_LIMITED":
				limited = true
			case "INSUFFICIENT_SCOPES":
				return nil, &ScopeError{Host: g.c.src.Host, Scope: scopeIn(e.Message), What: "reading " + g.c.src.URL()}
			default:
				rest = append(rest, e)
			}
		}
		if limited {
			if attempt >= g.c.o.MaxRetries {
				return nil, fmt.Errorf("graphql %s: %w", op, &limitError{host: g.c.src.apiHost(), until: g.c.o.Clock.Now()})
			}
			until := g.c.o.Clock.Now().Add(time.Minute)
			if reset, err := strconv.ParseInt(resp.header.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
				until = time.Unix(reset, 0).Add(time.Second)
			}
			g.c.o.Limits.hold(g.c.src.apiHost(), until)
			continue
		}
		if len(out.Data) == 0 || string(out.Data) == "null" {
			if len(rest) > 0 {
				return nil, fmt.Errorf("graphql %s: %s", op, rest[0].Message)
			}
			return nil, fmt.Errorf("graphql %s: no data", op)
		}
		if err := json.Unmarshal(out.Data, data); err != nil {
			return nil, fmt.Errorf("graphql %s: %w", op, err)
		}
		return rest, nil
	}
}

var quotedScope = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`scopes: \['([a-z_:]+)'`) })

// scopeIn finds the scope GitHub's INSUFFICIENT_SCOPES message names:
// "… requires one of the following scopes: ['read:org']".
func scopeIn(msg string) string {
	if m := quotedScope().FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return "repo"
}

const githubProbe = `query Probe($owner: String!) {
  rateLimit { limit remaining resetAt }
  repositoryOwner(login: $owner) {
    updated: repositories(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount nodes { id updatedAt } }
    pushed: repositories(first: 1, orderBy: {field: PUSHED_AT, direction: DESC}) { nodes { id pushedAt } }
  }
}`

// probe reads the owner's repository count and newest update and push:
// one request that tells an idle organisation.
func (g *github) probe(ctx context.Context) (total int, updated, pushed time.Time, err error) {
	var d struct {
		RateLimit *rateLimit `json:"rateLimit"`
		Owner     *struct {
			Updated struct {
				TotalCount int `json:"totalCount"`
				Nodes      []struct {
					ID        string    `json:"id"`
					UpdatedAt time.Time `json:"updatedAt"`
				} `json:"nodes"`
			} `json:"updated"`
			Pushed struct {
				Nodes []struct {
					PushedAt time.Time `json:"pushedAt"`
				} `json:"nodes"`
			} `json:"pushed"`
		} `json:"repositoryOwner"`
	}
	if _, err := g.graphql(ctx, "Probe", githubProbe, map[string]any{"owner": g.c.src.Owner}, &d); err != nil {
		return 0, time.Time{}, time.Time{}, err
	}
	g.rate(d.RateLimit)
	if d.Owner == nil {
		return 0, time.Time{}, time.Time{}, g.notFound()
	}
	if n := d.Owner.Updated.Nodes; len(n) > 0 {
		updated = n[0].UpdatedAt
	}
	if n := d.Owner.Pushed.Nodes; len(n) > 0 {
		pushed = n[0].PushedAt
	}
	return d.Owner.Updated.TotalCount, updated, pushed, nil
}

func (g *github) notFound() error {
	return fmt.Errorf("%w: %s (or the token cannot see it)", ErrNotFound, g.c.src.URL())
}

// rate records GraphQL's own budget, which is not the REST one.
func (g *github) rate(r *rateLimit) {
	if r != nil && r.Limit > 0 {
		g.c.o.Limits.record(g.c.src.apiHost(), Budget{Limit: r.Limit, Remaining: r.Remaining, ResetAt: r.ResetAt})
	}
}

// List implements Forge.
func (g *github) List(ctx context.Context, prev *State) (Listing, State, error) {
	start := g.c.requests.Load()
	now := g.c.o.Clock.Now()
	if prev.usable(g.key, now, g.c.o.MaxAge) {
		total, updated, pushed, err := g.probe(ctx)
		if err != nil {
			return Listing{}, State{}, err
		}
		if total == prev.Listing.Total && updated.Equal(prev.NewestUpdate) && pushed.Equal(prev.NewestPush) {
			return g.c.reuse(prev, start, now)
		}
	}
	l := Listing{Source: g.c.src, ListedAt: now}
	if err := g.listAll(ctx, &l); err != nil {
		return Listing{}, State{}, err
	}
	return g.c.finish(g.key, l, start, now)
}

// reuse returns prev's listing again for an idle source.
func (c *client) reuse(prev *State, start int64, now time.Time) (Listing, State, error) {
	l := prev.Listing
	l.Unchanged, l.ListedAt = true, now
	l.Requests = int(c.requests.Load() - start)
	l.Budget = c.o.Limits.Budget(c.src.apiHost())
	st := *prev
	st.Listing = l
	return l, st, nil
}

// finish sorts a full listing and makes the State that recognises it.
func (c *client) finish(key string, l Listing, start int64, now time.Time) (Listing, State, error) {
	slices.SortFunc(l.Repos, func(a, b Repo) int { return strings.Compare(a.FullName, b.FullName) })
	l.Requests = int(c.requests.Load() - start)
	l.Budget = c.o.Limits.Budget(c.src.apiHost())
	st := State{Version: stateVersion, Key: key, Listing: l, FullAt: now}
	st.newest(l.Repos)
	c.o.Logger.Info("listed", "repos", len(l.Repos), "catalogued", len(l.Catalogued()), "requests", l.Requests)
	return l, st, nil
}

type ghEntry struct {
	Name   string `json:"name"`
	Type   string `json:"type"` // blob, tree, commit (a submodule)
	OID    string `json:"oid"`
	Object *struct {
		ByteSize int64     `json:"byteSize"`
		Entries  []ghEntry `json:"entries"`
	} `json:"object"`
}

type ghRepo struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	NameWithOwner string    `json:"nameWithOwner"`
	URL           string    `json:"url"`
	IsArchived    bool      `json:"isArchived"`
	IsFork        bool      `json:"isFork"`
	IsEmpty       bool      `json:"isEmpty"`
	Visibility    string    `json:"visibility"`
	UpdatedAt     time.Time `json:"updatedAt"`
	PushedAt      time.Time `json:"pushedAt"`
	Default       *struct {
		Name string `json:"name"`
	} `json:"defaultBranchRef"`
	Ref *struct {
		Name string `json:"name"`
	} `json:"ref"`
	Topics struct {
		Nodes []struct {
			Topic struct {
				Name string `json:"name"`
			} `json:"topic"`
		} `json:"nodes"`
	} `json:"repositoryTopics"`
	Catalog *struct {
		Typename string    `json:"__typename"`
		OID      string    `json:"oid"`
		ByteSize int64     `json:"byteSize"`
		Entries  []ghEntry `json:"entries"`
	} `json:"catalog"`
}

// listQuery is the Repos query for the filter: the catalog file as a
// blob, or the glob's folder as a tree as deep as the glob reaches;
// with a branch filter, the branch, to tell a missing branch from a
// missing file.
func (g *github) listQuery() string {
	var b strings.Builder
	b.WriteString(`query Repos($owner: String!, $cursor: String, $first: Int!, $expr: String!`)
	if g.f.Branch != "" {
		b.WriteString(`, $branch: String!`)
	}
	b.WriteString(`) {
  rateLimit { limit remaining resetAt }
  repositoryOwner(login: $owner) {
    repositories(first: $first, after: $cursor, orderBy: {field: NAME, direction: ASC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id name nameWithOwner url isArchived isFork isEmpty visibility updatedAt pushedAt
        defaultBranchRef { name }
        repositoryTopics(first: 20) { nodes { topic { name } } }
`)
	if g.f.Branch != "" {
		b.WriteString("        ref(qualifiedName: $branch) { name }\n")
	}
	b.WriteString("        catalog: object(expression: $expr) { __typename ... on Blob { oid byteSize }")
	if g.f.glob != nil {
		b.WriteString(" ... on Tree { " + treeEntries(len(g.f.glob)) + " }")
	}
	b.WriteString(" }\n      }\n    }\n  }\n}")
	return b.String()
}

// treeEntries selects a tree's entries depth levels deep.
func treeEntries(depth int) string {
	inner := "... on Blob { byteSize }"
	if depth > 1 {
		inner += " ... on Tree { " + treeEntries(depth-1) + " }"
	}
	return "entries { name type oid object { " + inner + " } }"
}

// pageSize is smaller for globs, whose trees weigh more.
func (g *github) pageSize() int {
	if g.f.glob != nil {
		return 25
	}
	return 100
}

func (g *github) listAll(ctx context.Context, l *Listing) error {
	ref := "HEAD"
	if g.f.Branch != "" {
		ref = g.f.Branch
	}
	target := g.f.CatalogPath
	if g.f.glob != nil {
		target = g.f.dir
	}
	vars := map[string]any{"owner": g.c.src.Owner, "first": g.pageSize(), "expr": ref + ":" + target}
	if g.f.Branch != "" {
		vars["branch"] = "refs/heads/" + g.f.Branch
	}
	query := g.listQuery()
	seen := map[string]bool{}
	for {
		var d struct {
			RateLimit *rateLimit `json:"rateLimit"`
			Owner     *struct {
				Repos struct {
					TotalCount int `json:"totalCount"`
					PageInfo   struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
					Nodes []*ghRepo `json:"nodes"`
				} `json:"repositories"`
			} `json:"repositoryOwner"`
		}
		errs, err := g.graphql(ctx, "Repos", query, vars, &d)
		if err != nil {
			return err
		}
		g.rate(d.RateLimit)
		if d.Owner == nil {
			return g.notFound()
		}
		noAccess, err := nodeErrors(errs)
		if err != nil {
			return fmt.Errorf("graphql Repos: %w", err)
		}
		l.Total = d.Owner.Repos.TotalCount
		for i, n := range d.Owner.Repos.Nodes {
			if n == nil || n.ID == "" {
				continue // a node GitHub would not give at all
			}
			if len(l.Repos) >= g.c.o.MaxRepos {
				return fmt.Errorf("%w: %s has over %d repositories", ErrTooMany, g.c.src.URL(), g.c.o.MaxRepos)
			}
			l.Repos = append(l.Repos, g.repo(n, noAccess[i]))
		}
		p := d.Owner.Repos.PageInfo
		if !p.HasNextPage {
			return nil
		}
		if p.EndCursor == "" || seen[p.EndCursor] {
			return fmt.Errorf("graphql Repos: the server repeated page cursor %q", p.EndCursor)
		}
		seen[p.EndCursor] = true
		vars["cursor"] = p.EndCursor
	}
}

// nodeErrors sorts a page's errors: those naming one repository node
// (GitHub's FORBIDDEN for a repository behind SSO or an IP allow list)
// mark it unreadable; any other fails the page.
func nodeErrors(errs []gqlError) (map[int]bool, error) {
	out := map[int]bool{}
	for _, e := range errs {
		if i, ok := nodeIndex(e.Path); ok && (e.Type == "FORBIDDEN" || e.Type == "NOT_FOUND") {
			out[i] = true
			continue
		}
		return nil, errors.New(e.Message)
	}
	return out, nil
}

// nodeIndex reads [repositoryOwner repositories nodes i …].
func nodeIndex(path []any) (int, bool) {
	if len(path) < 4 || path[0] != "repositoryOwner" || path[1] != "repositories" || path[2] != "nodes" {
		return 0, false
	}
	f, ok := path[3].(float64)
	return int(f), ok && f >= 0
}

func (g *github) repo(n *ghRepo, noAccess bool) Repo {
	r := Repo{ID: n.ID, Name: n.Name, FullName: n.NameWithOwner, WebURL: n.URL, CloneURL: n.URL + ".git",
		Archived: n.IsArchived, Fork: n.IsFork, Visibility: strings.ToLower(n.Visibility),
		UpdatedAt: n.UpdatedAt, PushedAt: n.PushedAt}
	if n.Default != nil {
		r.DefaultBranch = n.Default.Name
	}
	for _, t := range n.Topics.Nodes {
		r.Topics = append(r.Topics, t.Topic.Name)
	}
	r.Branch = g.f.branch(&r)
	if why := g.f.excludes(&r); why != "" {
		r.Skipped = why
		return r
	}
	switch {
	case noAccess:
		r.Skipped = NoAccess
		return r
	case n.IsEmpty || r.Branch == "" || g.f.Branch != "" && n.Ref == nil:
		r.Skipped = NoBranch
		return r
	}
	if c := n.Catalog; c != nil {
		switch {
		case g.f.glob == nil && c.Typename == "Blob":
			r.Files = []CatalogFile{{Path: g.f.CatalogPath, OID: c.OID, Size: c.ByteSize}}
		case g.f.glob != nil && c.Typename == "Tree":
			r.Files = g.globFiles(g.f.dir, c.Entries, nil)
		}
	}
	if len(r.Files) == 0 {
		r.Skipped = NoFile
	}
	return r
}

// maxFilesPerRepo bounds the catalog files a glob finds in one
// repository.
const maxFilesPerRepo = 200

// globFiles walks a tree listing for the glob's files.
func (g *github) globFiles(dir string, entries []ghEntry, out []CatalogFile) []CatalogFile {
	for _, e := range entries {
		if len(out) >= maxFilesPerRepo || !cleanRel(e.Name) || strings.Contains(e.Name, "/") {
			continue
		}
		p := e.Name
		if dir != "" {
			p = dir + "/" + e.Name
		}
		switch e.Type {
		case "blob":
			if g.f.matches(p) {
				f := CatalogFile{Path: p, OID: e.OID}
				if e.Object != nil {
					f.Size = e.Object.ByteSize
				}
				out = append(out, f)
			}
		case "tree":
			if e.Object != nil {
				out = g.globFiles(p, e.Object.Entries, out)
			}
		}
	}
	slices.SortFunc(out, func(a, b CatalogFile) int { return strings.Compare(a.Path, b.Path) })
	return out
}
