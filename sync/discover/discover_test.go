package discover_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/remote"
)

const catalogYAML = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"

// forges are the fake forges every listing test runs against.
var forges = []struct {
	name  string
	forge remote.Forge
	serve func(t testing.TB, org *forgetest.Org, opts ...forgetest.Option) *forgetest.Server
}{
	{"github", remote.GitHub, forgetest.NewGitHub},
	{"gitlab", remote.GitLab, forgetest.NewGitLab},
	// A GitLab without the GraphQL fields: the REST listing.
	{"gitlab-rest", remote.GitLab, func(t testing.TB, org *forgetest.Org, opts ...forgetest.Option) *forgetest.Server {
		return forgetest.NewGitLab(t, org, append(opts, forgetest.WithoutGraphQL())...)
	}},
}

// fixture is an org on a fake forge and a Forge listing it.
type fixture struct {
	srv    *forgetest.Server
	clock  *forgetest.Clock
	src    discover.Source
	forge  discover.Forge
	hosts  []string // hosts a token was asked for
	limits *discover.Limits
}

func newFixture(t *testing.T, serve func(testing.TB, *forgetest.Org, ...forgetest.Option) *forgetest.Server, kind remote.Forge,
	org *forgetest.Org, filters discover.Filters, opts ...forgetest.Option) *fixture {
	t.Helper()
	f := &fixture{clock: forgetest.NewClock(forgetest.Epoch.Add(24 * time.Hour)), limits: discover.NewLimits()}
	f.srv = serve(t, org, append([]forgetest.Option{forgetest.WithClock(f.clock.Now)}, opts...)...)
	src, err := discover.ParseSource(f.srv.URL+"/"+org.Login, kind)
	if err != nil {
		t.Fatal(err)
	}
	src.Filters = filters
	f.src = src
	f.forge = f.newForge(t, discover.Options{})
	return f
}

func (f *fixture) newForge(t *testing.T, o discover.Options) discover.Forge {
	t.Helper()
	if o.Token == nil {
		o.Token = func(_ context.Context, host string) (string, error) {
			f.hosts = append(f.hosts, host)
			return f.srv.Token, nil
		}
	}
	o.Clock, o.Limits = f.clock, f.limits
	fg, err := discover.New(f.src, o)
	if err != nil {
		t.Fatal(err)
	}
	return fg
}

// summary is what a test compares of a listed repository.
type summary struct {
	Name, Branch string
	Files        []string
	Skipped      discover.Reason
}

func summarise(l discover.Listing) map[string]summary {
	out := map[string]summary{}
	for _, r := range l.Repos {
		s := summary{Name: r.Name, Branch: r.Branch, Skipped: r.Skipped}
		for _, f := range r.Files {
			s.Files = append(s.Files, f.Path)
		}
		out[r.Name] = s
	}
	return out
}

func mixedOrg() *forgetest.Org {
	at := forgetest.Epoch
	repo := func(id int64, name string, files map[string]string) *forgetest.Repo {
		return &forgetest.Repo{ID: id, Name: name, DefaultBranch: "main", Visibility: "private", Files: files,
			UpdatedAt: at.Add(time.Duration(id) * time.Minute), PushedAt: at.Add(time.Duration(id) * time.Minute)}
	}
	withCatalog := map[string]string{"catalog-info.yaml": catalogYAML}
	cloned := repo(1, "payments", map[string]string{"catalog-info.yaml": catalogYAML, "README.md": "# payments\n"})
	cloned.Git = true
	archived := repo(3, "legacy", withCatalog)
	archived.Archived = true
	locked := repo(4, "secret", withCatalog)
	locked.NoAccess = true
	noBranch := repo(5, "orphan", map[string]string{"x": "y"})
	noBranch.DefaultBranch = ""
	renamed := repo(6, "ledger", withCatalog)
	renamed.OldNames = []string{"old-ledger"}
	renamed.Git = true
	excluded := repo(7, "sandbox", withCatalog)
	excluded.Topics = []string{"experiment"}
	sub := repo(8, "deep", withCatalog)
	sub.Group = "platform/infra"
	return &forgetest.Org{Login: "acme", Name: "ACME", Repos: []*forgetest.Repo{
		cloned, repo(2, "docs", map[string]string{"README.md": "# docs\n"}), archived, locked, noBranch, renamed, excluded, sub,
	}}
}

func TestListing(t *testing.T) {
	t.Parallel()
	for _, fg := range forges {
		t.Run(fg.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fg.serve, fg.forge, mixedOrg(), discover.Filters{TopicsExclude: []string{"experiment"}})
			ctx := context.Background()
			l, st, err := f.forge.List(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			cat := []string{"catalog-info.yaml"}
			want := map[string]summary{
				"payments": {Name: "payments", Branch: "main", Files: cat},
				"docs":     {Name: "docs", Branch: "main", Skipped: discover.NoFile},
				"legacy":   {Name: "legacy", Branch: "main", Skipped: discover.Archived},
				"secret":   {Name: "secret", Branch: "main", Skipped: discover.NoAccess},
				"orphan":   {Name: "orphan", Skipped: discover.NoBranch},
				"ledger":   {Name: "ledger", Branch: "main", Files: cat},
				"sandbox":  {Name: "sandbox", Branch: "main", Skipped: discover.Filtered},
				"deep":     {Name: "deep", Branch: "main", Files: cat},
			}
			if diff := cmp.Diff(want, summarise(l)); diff != "" {
				t.Fatalf("listing (-want +got):\n%s", diff)
			}
			if l.Total != 8 || l.Unchanged || l.Budget.Remaining == 0 {
				t.Errorf("total %d, unchanged %v, budget %+v", l.Total, l.Unchanged, l.Budget)
			}
			for _, h := range f.hosts {
				if h != f.src.Host {
					t.Errorf("a token was asked for %s, not %s", h, f.src.Host)
				}
			}

			// The clone URL of a catalogued repository clones.
			for _, r := range l.Repos {
				if r.Name == "payments" {
					dir := filepath.Join(t.TempDir(), "clone")
					gittest.Git(t, filepath.Dir(dir), "clone", "-q", r.CloneURL, dir)
					if got := gittest.Git(t, dir, "show", "HEAD:catalog-info.yaml"); got != catalogYAML {
						t.Errorf("cloned catalog file: %q", got)
					}
				}
			}

			// Idle: one request, the same listing, from a State kept as
			// JSON.
			raw, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			st = discover.State{}
			if err := json.Unmarshal(raw, &st); err != nil {
				t.Fatal(err)
			}
			before := f.srv.Requests("")
			idle, st2, err := f.forge.List(ctx, &st)
			if err != nil {
				t.Fatal(err)
			}
			if n := f.srv.Requests("") - before; n != 1 || idle.Requests != 1 || !idle.Unchanged {
				t.Errorf("idle re-discovery: %d requests (listing says %d), unchanged %v", n, idle.Requests, idle.Unchanged)
			}
			if diff := cmp.Diff(summarise(l), summarise(idle)); diff != "" {
				t.Errorf("idle listing differs:\n%s", diff)
			}

			// A rename keeps the id; a removed catalog file is no file;
			// an archived repository is archived.
			id := func(l discover.Listing, name string) string {
				for _, r := range l.Repos {
					if r.Name == name {
						return r.ID
					}
				}
				return ""
			}
			ledgerID := id(l, "ledger")
			f.srv.Update(func(o *forgetest.Org) {
				for _, r := range o.Repos {
					switch r.Name {
					case "ledger":
						r.Name, r.OldNames = "general-ledger", append(r.OldNames, "ledger")
						r.UpdatedAt, r.PushedAt = r.UpdatedAt.Add(time.Hour), r.PushedAt.Add(time.Hour)
					case "payments":
						delete(r.Files, "catalog-info.yaml")
						r.PushedAt = r.PushedAt.Add(2 * time.Hour)
					case "docs":
						r.Archived = true
						r.UpdatedAt, r.PushedAt = r.UpdatedAt.Add(3*time.Hour), r.PushedAt.Add(3*time.Hour)
					}
				}
			})
			moved, _, err := f.forge.List(ctx, &st2)
			if err != nil {
				t.Fatal(err)
			}
			got := summarise(moved)
			if got["payments"].Skipped != discover.NoFile || got["docs"].Skipped != discover.Archived || moved.Unchanged {
				t.Errorf("after changes: payments %+v, docs %+v, unchanged %v", got["payments"], got["docs"], moved.Unchanged)
			}
			if id(moved, "general-ledger") != ledgerID || id(moved, "ledger") != "" {
				t.Errorf("renamed repository: id %q, was %q", id(moved, "general-ledger"), ledgerID)
			}
		})
	}
}

func TestListingSizes(t *testing.T) {
	t.Parallel()
	for _, fg := range forges {
		for _, n := range []int{0, 1, 2000} {
			t.Run(fg.name+"/"+strconv.Itoa(n), func(t *testing.T) {
				t.Parallel()
				org := &forgetest.Org{Login: "acme", Repos: forgetest.Generate(n, func(i int) bool { return i%3 == 0 })}
				f := newFixture(t, fg.serve, fg.forge, org, discover.Filters{})
				l, st, err := f.forge.List(context.Background(), nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(l.Repos) != n || len(l.Catalogued()) != (n+2)/3 {
					t.Fatalf("%d repositories, %d catalogued", len(l.Repos), len(l.Catalogued()))
				}
				idle, _, err := f.forge.List(context.Background(), &st)
				if err != nil || !idle.Unchanged || idle.Requests != 1 {
					t.Errorf("idle: %d requests, unchanged %v, err %v", idle.Requests, idle.Unchanged, err)
				}
			})
		}
	}
}

// GitLab reads 100 projects and their catalog files a GraphQL request;
// a complexity limit shrinks the page; a GitLab without GraphQL is
// listed through REST, a request per project.
func TestGitLabListingCost(t *testing.T) {
	t.Parallel()
	const n = 2000
	for _, tc := range []struct {
		name string
		opts []forgetest.Option
		want int
	}{
		{"graphql", nil, 1 + n/100},
		{"complexity", []forgetest.Option{forgetest.WithComplexityLimit(50)}, 1 + 1 + n/50},
		{"rest", []forgetest.Option{forgetest.WithoutGraphQL()}, 1 + 1 + n/100 + n},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			org := &forgetest.Org{Login: "acme", Repos: forgetest.Generate(n, func(i int) bool { return i%3 == 0 })}
			f := newFixture(t, forgetest.NewGitLab, remote.GitLab, org, discover.Filters{}, tc.opts...)
			l, _, err := f.forge.List(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Catalogued()) != (n+2)/3 || l.Total != n {
				t.Errorf("%d catalogued of %d", len(l.Catalogued()), l.Total)
			}
			if l.Requests != tc.want || f.srv.Requests("") != tc.want {
				t.Errorf("%d requests (the server saw %d), want %d", l.Requests, f.srv.Requests(""), tc.want)
			}
		})
	}
}
