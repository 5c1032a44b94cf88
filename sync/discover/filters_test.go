package discover_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/discover/forgetest"
)

func filterOrg() *forgetest.Org {
	repo := func(id int64, name string, files ...string) *forgetest.Repo {
		r := &forgetest.Repo{ID: id, Name: name, DefaultBranch: "main", Visibility: "private", Files: map[string]string{"README.md": "#\n"},
			UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch}
		for _, f := range files {
			r.Files[f] = catalogYAML
		}
		return r
	}
	pub := repo(1, "svc-public", "catalog-info.yaml", ".backstage/a.yaml", ".backstage/b.yml", ".backstage/c.yaml")
	pub.Visibility = "public"
	fork := repo(2, "svc-fork", "catalog-info.yaml")
	fork.Fork = true
	tagged := repo(3, "svc-tagged", "catalog-info.yaml", "services/pay/catalog-info.yaml", "services/ledger/catalog-info.yaml", "services/x/other.yaml")
	tagged.Topics = []string{"backstage"}
	tagged.Branches = []string{"catalog"}
	lib := repo(4, "lib-util", "catalog-info.yaml")
	return &forgetest.Org{Login: "acme", Repos: []*forgetest.Repo{pub, fork, tagged, lib}}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	type files = map[string][]string // catalogued repository → files
	for _, tc := range []struct {
		name    string
		filters discover.Filters
		want    files
		skipped map[string]discover.Reason
	}{
		{name: "defaults", want: files{"svc-public": {"catalog-info.yaml"}, "svc-fork": {"catalog-info.yaml"},
			"svc-tagged": {"catalog-info.yaml"}, "lib-util": {"catalog-info.yaml"}}},
		{name: "repository pattern", filters: discover.Filters{Repository: "svc-.*"},
			want:    files{"svc-public": {"catalog-info.yaml"}, "svc-fork": {"catalog-info.yaml"}, "svc-tagged": {"catalog-info.yaml"}},
			skipped: map[string]discover.Reason{"lib-util": discover.Filtered}},
		{name: "pattern matches whole names", filters: discover.Filters{Repository: "svc"},
			want: files{}},
		{name: "no forks, public only", filters: discover.Filters{ExcludeForks: true, Visibility: []string{"public"}},
			want: files{"svc-public": {"catalog-info.yaml"}}},
		{name: "topics", filters: discover.Filters{TopicsInclude: []string{"Backstage"}},
			want: files{"svc-tagged": {"catalog-info.yaml"}}},
		{name: "glob in a folder", filters: discover.Filters{CatalogPath: "/.backstage/*.yaml"},
			want:    files{"svc-public": {".backstage/a.yaml", ".backstage/c.yaml"}},
			skipped: map[string]discover.Reason{"svc-fork": discover.NoFile}},
		{name: "glob two deep", filters: discover.Filters{CatalogPath: "services/*/catalog-info.yaml"},
			want: files{"svc-tagged": {"services/ledger/catalog-info.yaml", "services/pay/catalog-info.yaml"}}},
		{name: "branch", filters: discover.Filters{Branch: "catalog"},
			want:    files{"svc-tagged": {"catalog-info.yaml"}},
			skipped: map[string]discover.Reason{"svc-public": discover.NoBranch}},
	} {
		for _, fg := range forges {
			t.Run(fg.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, fg.serve, fg.forge, filterOrg(), tc.filters)
				l, _, err := f.forge.List(context.Background(), nil)
				if err != nil {
					t.Fatal(err)
				}
				got := files{}
				for _, r := range l.Catalogued() {
					for _, file := range r.Files {
						got[r.Name] = append(got[r.Name], file.Path)
					}
					if r.Files[0].OID == "" {
						t.Errorf("%s: %s has no object id", r.Name, r.Files[0].Path)
					}
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("catalogued (-want +got):\n%s", diff)
				}
				for name, why := range tc.skipped {
					for _, r := range l.Repos {
						if r.Name == name && r.Skipped != why {
							t.Errorf("%s skipped %q, want %q", name, r.Skipped, why)
						}
					}
				}
			})
		}
	}
}
