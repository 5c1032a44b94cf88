package remote

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	type want struct {
		Host, Repo, Ref, Path string
		Forge                 Forge
		Tree                  bool
		Raw, API              string // fetch URLs without and with a token
	}
	tests := []struct {
		url  string
		want want
	}{
		{"https://github.com/backstage/backstage/blob/master/packages/catalog-model/examples/apis/petstore-api.yaml", want{
			Host: "github.com", Forge: GitHub, Repo: "backstage/backstage", Ref: "master", Path: "packages/catalog-model/examples/apis/petstore-api.yaml",
			Raw: "https://raw.githubusercontent.com/backstage/backstage/master/packages/catalog-model/examples/apis/petstore-api.yaml",
			API: "https://api.github.com/repos/backstage/backstage/contents/packages/catalog-model/examples/apis/petstore-api.yaml?ref=master"}},
		{"https://GitHub.com:443/o/r.git/tree/main/docs/", want{Host: "github.com", Forge: GitHub, Repo: "o/r", Ref: "main", Path: "docs", Tree: true}},
		{"https://github.com/o/r/raw/v1.2/a%20b.json", want{Host: "github.com", Forge: GitHub, Repo: "o/r", Ref: "v1.2", Path: "a b.json",
			Raw: "https://raw.githubusercontent.com/o/r/v1.2/a%20b.json", API: "https://api.github.com/repos/o/r/contents/a%20b.json?ref=v1.2"}},
		{"https://github.com/o/r", want{Host: "github.com", Forge: GitHub, Repo: "o/r"}},
		{"https://raw.githubusercontent.com/o/r/main/x/y.yaml", want{Host: "github.com", Forge: GitHub, Repo: "o/r", Ref: "main", Path: "x/y.yaml",
			Raw: "https://raw.githubusercontent.com/o/r/main/x/y.yaml", API: "https://api.github.com/repos/o/r/contents/x/y.yaml?ref=main"}},
		{"https://raw.githubusercontent.com/o/r/refs/heads/main/y.yaml", want{Host: "github.com", Forge: GitHub, Repo: "o/r", Ref: "main", Path: "y.yaml",
			Raw: "https://raw.githubusercontent.com/o/r/main/y.yaml", API: "https://api.github.com/repos/o/r/contents/y.yaml?ref=main"}},
		{"https://api.github.com/repos/o/r/contents/y.yaml?ref=dev", want{Host: "github.com", Forge: GitHub, Repo: "o/r", Ref: "dev", Path: "y.yaml",
			Raw: "https://raw.githubusercontent.com/o/r/dev/y.yaml", API: "https://api.github.com/repos/o/r/contents/y.yaml?ref=dev"}},
		{"https://ghe.example.com/o/r/blob/main/api/openapi.yaml", want{Host: "ghe.example.com", Forge: GitHub, Repo: "o/r", Ref: "main", Path: "api/openapi.yaml",
			Raw: "https://ghe.example.com/raw/o/r/main/api/openapi.yaml", API: "https://ghe.example.com/api/v3/repos/o/r/contents/api/openapi.yaml?ref=main"}},
		{"https://ghe.example.com:8443/raw/o/r/main/f.yaml", want{Host: "ghe.example.com:8443", Forge: GitHub, Repo: "o/r", Ref: "main", Path: "f.yaml",
			Raw: "https://ghe.example.com:8443/raw/o/r/main/f.yaml", API: "https://ghe.example.com:8443/api/v3/repos/o/r/contents/f.yaml?ref=main"}},
		{"https://ghe.example.com/api/v3/repos/o/r/contents/f.yaml?ref=main", want{Host: "ghe.example.com", Forge: GitHub, Repo: "o/r", Ref: "main", Path: "f.yaml",
			Raw: "https://ghe.example.com/raw/o/r/main/f.yaml", API: "https://ghe.example.com/api/v3/repos/o/r/contents/f.yaml?ref=main"}},
		{"https://gitlab.com/group/sub/repo/-/blob/main/catalog/api.yaml", want{Host: "gitlab.com", Forge: GitLab, Repo: "group/sub/repo", Ref: "main", Path: "catalog/api.yaml",
			Raw: "https://gitlab.com/api/v4/projects/group%2Fsub%2Frepo/repository/files/catalog%2Fapi.yaml/raw?ref=main",
			API: "https://gitlab.com/api/v4/projects/group%2Fsub%2Frepo/repository/files/catalog%2Fapi.yaml/raw?ref=main"}},
		{"https://gitlab.com/group/repo/blob/main/a.yaml", want{Host: "gitlab.com", Forge: GitLab, Repo: "group/repo", Ref: "main", Path: "a.yaml",
			Raw: "https://gitlab.com/api/v4/projects/group%2Frepo/repository/files/a.yaml/raw?ref=main",
			API: "https://gitlab.com/api/v4/projects/group%2Frepo/repository/files/a.yaml/raw?ref=main"}},
		{"https://git.corp.example/a/b/c/-/tree/feature/docs", want{Host: "git.corp.example", Forge: GitLab, Repo: "a/b/c", Ref: "feature", Path: "docs", Tree: true}},
		{"https://git.corp.example/a/b/-/raw/main/x.json", want{Host: "git.corp.example", Forge: GitLab, Repo: "a/b", Ref: "main", Path: "x.json",
			Raw: "https://git.corp.example/api/v4/projects/a%2Fb/repository/files/x.json/raw?ref=main",
			API: "https://git.corp.example/api/v4/projects/a%2Fb/repository/files/x.json/raw?ref=main"}},
		{"https://git.corp.example/api/v4/projects/a%2Fb/repository/files/d%2Fx.json/raw?ref=main", want{Host: "git.corp.example", Forge: GitLab, Repo: "a/b", Ref: "main", Path: "d/x.json",
			Raw: "https://git.corp.example/api/v4/projects/a%2Fb/repository/files/d%2Fx.json/raw?ref=main",
			API: "https://git.corp.example/api/v4/projects/a%2Fb/repository/files/d%2Fx.json/raw?ref=main"}},
		{"https://bitbucket.org/team/repo/src/main/api/spec.yaml", want{Host: "bitbucket.org", Forge: BitbucketCloud, Repo: "team/repo", Ref: "main", Path: "api/spec.yaml",
			Raw: "https://api.bitbucket.org/2.0/repositories/team/repo/src/main/api/spec.yaml", API: "https://api.bitbucket.org/2.0/repositories/team/repo/src/main/api/spec.yaml"}},
		{"https://bitbucket.corp.example/projects/PRJ/repos/repo/browse/api/spec.yaml?at=refs%2Fheads%2Fmain", want{Host: "bitbucket.corp.example", Forge: BitbucketServer, Repo: "PRJ/repo", Ref: "main", Path: "api/spec.yaml",
			Raw: "https://bitbucket.corp.example/rest/api/1.0/projects/PRJ/repos/repo/raw/api/spec.yaml?at=main",
			API: "https://bitbucket.corp.example/rest/api/1.0/projects/PRJ/repos/repo/raw/api/spec.yaml?at=main"}},
		{"https://dev.azure.com/org/project/_git/repo?path=/api/spec.yaml&version=GBmain", want{Host: "dev.azure.com", Forge: Azure, Repo: "org/project/_git/repo", Ref: "GBmain", Path: "api/spec.yaml",
			Raw: "https://dev.azure.com/org/project/_apis/git/repositories/repo/items?api-version=6.0&path=%2Fapi%2Fspec.yaml&version=main",
			API: "https://dev.azure.com/org/project/_apis/git/repositories/repo/items?api-version=6.0&path=%2Fapi%2Fspec.yaml&version=main"}},
		{"https://dev.azure.com/org/_git/repo?path=/a.yaml&version=GTv1", want{Host: "dev.azure.com", Forge: Azure, Repo: "org/_git/repo", Ref: "GTv1", Path: "a.yaml",
			Raw: "https://dev.azure.com/org/repo/_apis/git/repositories/repo/items?api-version=6.0&path=%2Fa.yaml&version=v1&versionType=tag",
			API: "https://dev.azure.com/org/repo/_apis/git/repositories/repo/items?api-version=6.0&path=%2Fa.yaml&version=v1&versionType=tag"}},
		{"https://tfs.corp.example/DefaultCollection/proj/_git/repo?path=/a.yaml", want{Host: "tfs.corp.example", Forge: Azure, Repo: "DefaultCollection/proj/_git/repo", Path: "a.yaml",
			Raw: "https://tfs.corp.example/DefaultCollection/proj/_apis/git/repositories/repo/items?api-version=6.0&path=%2Fa.yaml",
			API: "https://tfs.corp.example/DefaultCollection/proj/_apis/git/repositories/repo/items?api-version=6.0&path=%2Fa.yaml"}},
		{"https://gitea.corp.example/o/r/src/branch/main/api/spec.yaml", want{Host: "gitea.corp.example", Forge: Gitea, Repo: "o/r", Ref: "main", Path: "api/spec.yaml",
			Raw: "https://gitea.corp.example/api/v1/repos/o/r/raw/api/spec.yaml?ref=main", API: "https://gitea.corp.example/api/v1/repos/o/r/raw/api/spec.yaml?ref=main"}},
		{"https://codeberg.org/o/r/src/tag/v1/a.yaml", want{Host: "codeberg.org", Forge: Gitea, Repo: "o/r", Ref: "v1", Path: "a.yaml",
			Raw: "https://codeberg.org/api/v1/repos/o/r/raw/a.yaml?ref=v1", API: "https://codeberg.org/api/v1/repos/o/r/raw/a.yaml?ref=v1"}},
		{"https://specs.example.com/v2/openapi.yaml?x=1#frag", want{Host: "specs.example.com", Forge: Plain, Path: "v2/openapi.yaml",
			Raw: "https://specs.example.com/v2/openapi.yaml?x=1", API: "https://specs.example.com/v2/openapi.yaml?x=1"}},
		{"http://127.0.0.1:8080/a/../b.json", want{Host: "127.0.0.1:8080", Forge: Plain, Path: "a/../b.json",
			Raw: "http://127.0.0.1:8080/a/../b.json", API: "http://127.0.0.1:8080/a/../b.json"}},
		{"https://[::1]:8443/o/r/blob/main/f.yaml", want{Host: "[::1]:8443", Forge: GitHub, Repo: "o/r", Ref: "main", Path: "f.yaml",
			Raw: "https://[::1]:8443/raw/o/r/main/f.yaml", API: "https://[::1]:8443/api/v3/repos/o/r/contents/f.yaml?ref=main"}},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			g := want{Host: got.Host, Repo: got.Repo, Ref: got.Ref, Path: got.Path, Forge: got.Forge, Tree: got.Tree}
			if got.File() {
				if g.Raw, err = got.FetchURL(false); err != nil {
					t.Fatal(err)
				}
				if g.API, err = got.FetchURL(true); err != nil {
					t.Fatal(err)
				}
			} else if _, err := got.FetchURL(false); !errors.Is(err, ErrNoFile) {
				t.Errorf("FetchURL of a folder: %v, want ErrNoFile", err)
			}
			if diff := cmp.Diff(tc.want, g); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"ftp://example.com/a.yaml",
		"file:///etc/passwd",
		"https://github.com@evil.example/o/r/blob/main/a.yaml", // user information
		"https://user:pw@example.com/a.yaml",
		"https://example.com/a.yaml?access_token=x",
		"https://gïthub.com/o/r/blob/main/a.yaml", // not ASCII
		"https://xn--gthub-n4a.com:0/a",
		"https://example.com:99999/a",
		"https://example.com:/a",
		"https://github.com/o/r/blob/main/../../x/y/blob/main/a.yaml",
		"https://github.com/o/r/blob/main/a%2F..%2F..%2Fb.yaml",
		"https://github.com/o/r/blob/main/a%5C..%5Cb.yaml",
		"https://github.com/o",
		"https://github.com/o/r/issues/1",
		"https://dev.azure.com/org/p/_git/r?path=/../x&version=GBmain",
		"https://dev.azure.com/org/p/_git/r?path=/x&version=main",
		"https:///a.yaml",
		"https:example.com/a.yaml",
		"https://exa_mple.com/a.yaml",
		"https://[fe80::1%25eth0]/a.yaml",
	} {
		if got, err := Parse(u); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", u, got)
		} else if !errors.Is(err, ErrBadURL) {
			t.Errorf("Parse(%q): %v, want ErrBadURL", u, err)
		}
	}
}

func TestIn(t *testing.T) {
	t.Parallel()
	const commit = "0123456789abcdef0123456789abcdef01234567"
	home := Home{URL: "https://github.com/Org/Repo.git", Branch: "main", Commit: commit, DefaultBranch: true}
	tests := []struct {
		url  string
		home Home
		want string
	}{
		{"https://github.com/org/repo/blob/main/api/x.yaml", home, "api/x.yaml"},
		{"https://raw.githubusercontent.com/org/repo/main/x.yaml", home, "x.yaml"},
		{"https://github.com/org/repo/blob/HEAD/x.yaml", home, "x.yaml"},
		{"https://github.com/org/repo/blob/0123456/x.yaml", home, "x.yaml"},
		{"https://github.com/org/repo/blob/" + commit + "/x.yaml", home, "x.yaml"},
		{"https://github.com/org/repo/blob/dev/x.yaml", home, ""},                                // another branch
		{"https://github.com/org/repo/blob/HEAD/x.yaml", Home{URL: home.URL, Branch: "dev"}, ""}, // HEAD is not dev
		{"https://github.com/org/repo/tree/main/docs", home, ""},                                 // a folder
		{"https://github.com/org/other/blob/main/x.yaml", home, ""},
		{"https://ghe.example/org/repo/blob/main/x.yaml", home, ""},
		{"https://github.com/org/repo/blob/main/x.yaml", Home{URL: "git@github.com:org/repo.git", Branch: "main"}, "x.yaml"},
		{"https://github.com/org/repo/blob/main/x.yaml", Home{URL: "ssh://git@github.com:22/org/repo", Branch: "main"}, "x.yaml"},
		{"https://git.corp/a/b/c/-/blob/main/x.yaml", Home{URL: "https://git.corp/a/b/c.git", Branch: "main"}, "x.yaml"},
		{"https://bb.corp/projects/P/repos/r/browse/x.yaml?at=main", Home{URL: "https://bb.corp/scm/p/r.git", Branch: "main"}, "x.yaml"},
		{"https://dev.azure.com/o/p/_git/r?path=/x.yaml&version=GBmain", Home{URL: "https://dev.azure.com/o/p/_git/r", Branch: "main"}, "x.yaml"},
		{"https://dev.azure.com/o/p/_git/r?path=/x.yaml", Home{URL: "https://dev.azure.com/o/p/_git/r", Branch: "main", DefaultBranch: true}, "x.yaml"},
		{"https://127.0.0.1:8443/org/repo/blob/main/x.yaml", Home{URL: "https://127.0.0.1:8443/org/repo.git", Branch: "main"}, "x.yaml"},
		{"https://127.0.0.1:8444/org/repo/blob/main/x.yaml", Home{URL: "https://127.0.0.1:8443/org/repo.git", Branch: "main"}, ""},
		{"https://example.com/org/repo/x.yaml", Home{URL: "https://example.com/org/repo", Branch: "main"}, ""}, // plain
	}
	for _, tc := range tests {
		target, err := Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := target.In(tc.home)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Parse(%q).In(%+v) = %q, %v; want %q", tc.url, tc.home, got, ok, tc.want)
		}
	}
}

func TestWithin(t *testing.T) {
	t.Parallel()
	home := Home{URL: "https://github.com/org/repo.git", Branch: "main", Commit: "0123456789abcdef0123456789abcdef01234567", DefaultBranch: true}
	tests := []struct {
		url    string
		want   string
		inside bool
	}{
		{"https://github.com/org/repo/tree/main/skeletons/go", "skeletons/go", true},
		{"https://github.com/org/repo/blob/main/x.yaml", "x.yaml", true},
		{"https://github.com/org/repo/tree/main", "", true},
		{"https://github.com/org/repo", "", true},
		{"https://github.com/org/repo/tree/dev/skeletons/go", "", false},
		{"https://github.com/org/other/tree/main/skeletons/go", "", false},
		{"https://git.corp/a/b/c/-/tree/main/skel", "", false},
	}
	for _, tc := range tests {
		target, err := Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := target.Within(home)
		if got != tc.want || ok != tc.inside {
			t.Errorf("Parse(%q).Within = %q, %v; want %q, %v", tc.url, got, ok, tc.want, tc.inside)
		}
	}
}
