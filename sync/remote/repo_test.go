package remote

import (
	"errors"
	"testing"
)

func TestCloneURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ url, clone, root string }{
		{"https://github.com/org/svc/blob/main/catalog-info.yaml", "https://github.com/org/svc.git", "https://github.com/org/svc/blob/main/"},
		{"https://raw.githubusercontent.com/org/svc/main/sub/c.yaml", "https://github.com/org/svc.git", "https://raw.githubusercontent.com/org/svc/main/"},
		{"https://ghe.example:8443/org/svc/blob/dev/a/b.yaml", "https://ghe.example:8443/org/svc.git", "https://ghe.example:8443/org/svc/blob/dev/"},
		{"http://127.0.0.1:8080/org/svc/blob/main/catalog-info.yaml", "http://127.0.0.1:8080/org/svc.git", "http://127.0.0.1:8080/org/svc/blob/main/"},
		{"https://gitlab.com/g/sub/svc/-/blob/main/catalog-info.yaml", "https://gitlab.com/g/sub/svc.git", "https://gitlab.com/g/sub/svc/-/blob/main/"},
		{"https://bitbucket.org/team/svc/src/main/catalog-info.yaml", "https://bitbucket.org/team/svc.git", "https://bitbucket.org/team/svc/src/main/"},
		{"https://bb.corp/projects/P/repos/svc/browse/catalog-info.yaml?at=main", "https://bb.corp/scm/P/svc.git", ""},
		{"https://dev.azure.com/o/p/_git/svc?path=/catalog-info.yaml&version=GBmain", "https://dev.azure.com/o/p/_git/svc", ""},
		{"https://gitea.com/o/svc/src/branch/main/catalog-info.yaml", "https://gitea.com/o/svc.git", "https://gitea.com/o/svc/src/branch/main/"},
		{"https://github.com/org/svc/blob/main/a%20b.yaml", "https://github.com/org/svc.git", "https://github.com/org/svc/blob/main/"},
	}
	for _, tc := range tests {
		target, err := Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		clone, err := target.CloneURL()
		if err != nil || clone != tc.clone {
			t.Errorf("Parse(%q).CloneURL() = %q, %v; want %q", tc.url, clone, err, tc.clone)
		}
		if !target.SameRepo(clone) {
			t.Errorf("Parse(%q).SameRepo(%q) = false; want true", tc.url, clone)
		}
		if got := target.RootURL(); got != tc.root {
			t.Errorf("Parse(%q).RootURL() = %q; want %q", tc.url, got, tc.root)
		}
	}
	// Neither a plain URL nor a project named by id names a repository
	// git can clone.
	none := []struct{ name, url, clone string }{
		{"a plain URL", "https://example.com/catalog/all.yaml", "https://example.com/catalog.git"},
		{"a GitLab project by id", "https://gitlab.example/api/v4/projects/42/repository/files/a.yaml/raw?ref=main", "https://gitlab.example/42.git"},
	}
	for _, tc := range none {
		target, err := Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if clone, err := target.CloneURL(); !errors.Is(err, ErrNoRepository) {
			t.Errorf("%s: CloneURL() = %q, %v; want ErrNoRepository", tc.name, clone, err)
		}
		if target.SameRepo(tc.clone) || target.RootURL() != "" {
			t.Errorf("%s names repository %s", tc.name, tc.clone)
		}
	}
	byPath, err := Parse("https://gitlab.example/api/v4/projects/g%2Fsvc/repository/files/a.yaml/raw?ref=main")
	if err != nil {
		t.Fatal(err)
	}
	if clone, err := byPath.CloneURL(); err != nil || clone != "https://gitlab.example/g/svc.git" {
		t.Errorf("a GitLab project by path: CloneURL() = %q, %v; want https://gitlab.example/g/svc.git", clone, err)
	}
}
