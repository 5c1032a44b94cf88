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
	plain, err := Parse("https://example.com/catalog/all.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.CloneURL(); !errors.Is(err, ErrNoRepository) {
		t.Errorf("a plain URL's CloneURL: %v; want ErrNoRepository", err)
	}
	if plain.SameRepo("https://example.com/catalog.git") || plain.RootURL() != "" {
		t.Error("a plain URL names a repository")
	}
}
