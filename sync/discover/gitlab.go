package discover

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// gitlab lists a GitLab group and its subgroups: through GraphQL, 100
// projects a request each with its catalog file (gitlab_graphql.go), or
// through REST (a glob, or a GitLab without the GraphQL fields): the
// projects 100 a request, then each project's catalog file with one HEAD
// request (a glob: one tree listing), at most Options.Concurrency at
// once, again only for projects whose last activity moved. An idle
// group costs one conditional request.
type gitlab struct {
	c   *client
	f   *filter
	key string
}

var _ Forge = (*gitlab)(nil)

type glProject struct {
	ID                int64     `json:"id"`
	Name              string    `json:"name"`
	Path              string    `json:"path_with_namespace"`
	HTTPURL           string    `json:"http_url_to_repo"`
	WebURL            string    `json:"web_url"`
	DefaultBranch     string    `json:"default_branch"`
	Archived          bool      `json:"archived"`
	Visibility        string    `json:"visibility"`
	Topics            []string  `json:"topics"`
	TagList           []string  `json:"tag_list"`
	LastActivityAt    time.Time `json:"last_activity_at"`
	EmptyRepo         bool      `json:"empty_repo"`
	RepositoryAccess  string    `json:"repository_access_level"`
	ForkedFromProject *struct {
		ID int64 `json:"id"`
	} `json:"forked_from_project"`
}

func (g *gitlab) group() string {
	return g.c.src.restBase() + "/groups/" + url.PathEscape(g.c.src.Owner)
}

// probe asks for the group's most recently active project, conditionally:
// a 304, or the same count and newest project, is an idle group.
func (g *gitlab) probe(ctx context.Context, prev *State) (idle bool, etag string, total int, err error) {
	hdr := http.Header{}
	if prev != nil && prev.ETag != "" {
		hdr.Set("If-None-Match", prev.ETag)
	}
	var ps []glProject
	resp, err := g.c.getJSON(ctx, g.group()+"/projects?include_subgroups=true&with_shared=false&per_page=1&order_by=last_activity_at&sort=desc", hdr, &ps)
	if err != nil {
		return false, "", 0, g.notFound(resp, err)
	}
	if resp.code == http.StatusNotModified {
		return prev != nil, prev.ETag, prev.Listing.Total, nil
	}
	etag = resp.header.Get("ETag")
	total, err = strconv.Atoi(resp.header.Get("X-Total"))
	if err != nil {
		total = -1 // GitLab leaves it out past 10,000 projects
	}
	if prev == nil {
		return false, etag, total, nil
	}
	var newest time.Time
	if len(ps) > 0 {
		newest = ps[0].LastActivityAt
	}
	idle = total == prev.Listing.Total && newest.Equal(prev.NewestPush)
	return idle, etag, total, nil
}

func (g *gitlab) notFound(resp *response, err error) error {
	if resp != nil && resp.code == http.StatusNotFound {
		return fmt.Errorf("%w: %s (or the token cannot see it)", ErrNotFound, g.c.src.URL())
	}
	return err
}

// List implements Forge.
func (g *gitlab) List(ctx context.Context, prev *State) (Listing, State, error) {
	start := g.c.requests.Load()
	now := g.c.o.Clock.Now()
	usable := prev.usable(g.key, now, g.c.o.MaxAge)
	var last *State
	if usable {
		last = prev
	}
	idle, etag, total, err := g.probe(ctx, last)
	if err != nil {
		return Listing{}, State{}, err
	}
	if idle {
		l, st, err := g.c.reuse(prev, start, now)
		st.ETag = etag
		return l, st, err
	}
	l := Listing{Source: g.c.src, ListedAt: now, Total: total}
	if g.f.glob == nil {
		repos, recheck, err := g.graphqlRepos(ctx)
		switch {
		case err == nil:
			l.Repos = repos
			if err := g.checkFiles(ctx, l.Repos, recheck); err != nil {
				return Listing{}, State{}, err
			}
			l, st, err := g.c.finish(g.key, l, start, now)
			st.ETag = etag
			return l, st, err
		case !errors.Is(err, errNoGraphQL):
			return Listing{}, State{}, err
		}
		g.c.o.Logger.Info("listing through REST: GraphQL cannot list this GitLab", "source", g.c.src.URL(), "err", err)
	}
	projects, total, err := g.projects(ctx)
	if err != nil {
		return Listing{}, State{}, err
	}
	l.Total = total
	known := map[string]Repo{}
	if usable {
		for _, r := range prev.Listing.Repos {
			known[r.ID] = r
		}
	}
	l.Repos = make([]Repo, len(projects))
	var check []int
	for i, p := range projects {
		r := g.repo(p)
		l.Repos[i] = r
		if r.Skipped != "" {
			continue
		}
		if k, ok := known[r.ID]; ok && k.PushedAt.Equal(r.PushedAt) && k.Branch == r.Branch && (len(k.Files) > 0 || k.Skipped == NoFile || k.Skipped == NoAccess) {
			l.Repos[i].Files, l.Repos[i].Skipped = k.Files, k.Skipped
			continue
		}
		check = append(check, i)
	}
	if err := g.checkFiles(ctx, l.Repos, check); err != nil {
		return Listing{}, State{}, err
	}
	l, st, err := g.c.finish(g.key, l, start, now)
	st.ETag = etag
	return l, st, err
}

// projects pages through the group's projects, following Link headers
// within the API.
func (g *gitlab) projects(ctx context.Context) ([]glProject, int, error) {
	next := g.group() + "/projects?include_subgroups=true&with_shared=false&per_page=100&order_by=id&sort=asc"
	var out []glProject
	total := -1
	for pages := 0; next != ""; pages++ {
		if pages > g.c.o.MaxRepos/100+1 {
			return nil, 0, fmt.Errorf("%w: %s has over %d projects", ErrTooMany, g.c.src.URL(), g.c.o.MaxRepos)
		}
		var ps []glProject
		resp, err := g.c.getJSON(ctx, next, nil, &ps)
		if err != nil {
			return nil, 0, g.notFound(resp, err)
		}
		if pages == 0 {
			if n, err := strconv.Atoi(resp.header.Get("X-Total")); err == nil {
				total = n
			}
		}
		if len(out)+len(ps) > g.c.o.MaxRepos {
			return nil, 0, fmt.Errorf("%w: %s has over %d projects", ErrTooMany, g.c.src.URL(), g.c.o.MaxRepos)
		}
		out = append(out, ps...)
		next = nextLink(resp.header.Get("Link"))
		if next != "" && !strings.HasPrefix(next, g.c.src.restBase()+"/") {
			return nil, 0, fmt.Errorf("%s: the next page %s is outside the API", g.c.src.URL(), redactQuery(next))
		}
	}
	return out, total, nil
}

// nextLink reads rel="next" out of a Link header.
func nextLink(h string) string {
	for part := range strings.SplitSeq(h, ",") {
		u, params, ok := strings.Cut(part, ";")
		if !ok {
			continue
		}
		if strings.Contains(strings.ReplaceAll(params, " ", ""), `rel="next"`) {
			return strings.Trim(strings.TrimSpace(u), "<>")
		}
	}
	return ""
}

func (g *gitlab) repo(p glProject) Repo {
	r := Repo{ID: strconv.FormatInt(p.ID, 10), Name: p.Name, FullName: p.Path, CloneURL: p.HTTPURL, WebURL: p.WebURL,
		DefaultBranch: p.DefaultBranch, Archived: p.Archived, Fork: p.ForkedFromProject != nil, Visibility: p.Visibility,
		Topics: p.Topics, UpdatedAt: p.LastActivityAt, PushedAt: p.LastActivityAt}
	if r.Topics == nil {
		r.Topics = p.TagList
	}
	if p.EmptyRepo {
		r.DefaultBranch = ""
	}
	r.Branch = g.f.branch(&r)
	switch {
	case g.f.excludes(&r) != "":
		r.Skipped = g.f.excludes(&r)
	case p.RepositoryAccess == "disabled":
		r.Skipped = NoAccess
	case r.Branch == "":
		r.Skipped = NoBranch
	}
	return r
}

// checkFiles looks for the catalog files of repos[i] for each i in idx,
// a few at once; the first error stops the rest.
func (g *gitlab) checkFiles(ctx context.Context, repos []Repo, idx []int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range g.c.o.Concurrency {
		wg.Go(func() {
			for i := range work {
				if err := g.checkFile(ctx, &repos[i]); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
	for _, i := range idx {
		select {
		case work <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

func (g *gitlab) checkFile(ctx context.Context, r *Repo) error {
	project := g.c.src.restBase() + "/projects/" + r.ID + "/repository/"
	q := "ref=" + url.QueryEscape(r.Branch)
	if g.f.glob != nil {
		return g.checkTree(ctx, r, project, q)
	}
	resp, err := g.c.do(ctx, http.MethodHead, project+"files/"+url.PathEscape(g.f.CatalogPath)+"?"+q, nil, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", r.FullName, err)
	}
	switch resp.code {
	case http.StatusOK:
		f := CatalogFile{Path: g.f.CatalogPath, OID: resp.header.Get("X-Gitlab-Blob-Id")}
		f.Size, _ = strconv.ParseInt(resp.header.Get("X-Gitlab-Size"), 10, 64)
		r.Files, r.Skipped = []CatalogFile{f}, ""
	case http.StatusNotFound:
		r.Skipped = NoFile
		if g.f.Branch != "" {
			return g.checkBranch(ctx, r, project)
		}
	case http.StatusForbidden:
		r.Skipped = NoAccess
	default:
		return fmt.Errorf("%s: %w", r.FullName, g.c.check(resp, "reading "+r.FullName))
	}
	return nil
}

// checkBranch tells a missing branch from a missing file (a HEAD
// request's 404 says neither): one more request, only when the filters
// name a branch.
func (g *gitlab) checkBranch(ctx context.Context, r *Repo, project string) error {
	resp, err := g.c.do(ctx, http.MethodGet, project+"branches/"+url.PathEscape(r.Branch), nil, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", r.FullName, err)
	}
	if resp.code == http.StatusNotFound {
		r.Skipped = NoBranch
	}
	return nil
}

// checkTree lists the glob's folder (recursively when the glob goes
// deeper), one page of 100 entries: a bound, not a full walk.
func (g *gitlab) checkTree(ctx context.Context, r *Repo, project, q string) error {
	u := project + "tree?per_page=100&" + q
	if g.f.dir != "" {
		u += "&path=" + url.QueryEscape(g.f.dir)
	}
	if len(g.f.glob) > 1 {
		u += "&recursive=true"
	}
	var entries []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Path string `json:"path"`
	}
	resp, err := g.c.do(ctx, http.MethodGet, u, nil, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", r.FullName, err)
	}
	switch resp.code {
	case http.StatusNotFound:
		r.Skipped = NoFile
		return nil
	case http.StatusForbidden:
		r.Skipped = NoAccess
		return nil
	}
	if err := g.c.check(resp, "reading "+r.FullName); err != nil {
		return fmt.Errorf("%s: %w", r.FullName, err)
	}
	if err := json.Unmarshal(resp.body, &entries); err != nil {
		return fmt.Errorf("%s: tree: %w", r.FullName, err)
	}
	r.Files = nil
	for _, e := range entries {
		if e.Type == "blob" && cleanRel(e.Path) && g.f.matches(e.Path) && len(r.Files) < maxFilesPerRepo {
			r.Files = append(r.Files, CatalogFile{Path: e.Path, OID: e.ID})
		}
	}
	r.Skipped = ""
	if len(r.Files) == 0 {
		r.Skipped = NoFile
	}
	return nil
}
