package portal

import (
	"regexp"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// backstageName is Backstage's rule for metadata.name.
var backstageName = regexp.MustCompile(`^([a-z0-9]+[-_.])*[a-z0-9]+$`)

func TestEntityName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"payments", "payments"},
		{"Payments.Service", "payments.service"},
		{"my_repo", "my_repo"},
		{"My Repo (old)", "my-repo-old"},
		{"--a--b--", "a-b"},
		{"a._-b", "a.b"},
		{"_private", "private"},
		{"trailing.", "trailing"},
		{"café-ünïcode", "caf-n-code"},
		{"", "component"},
		{"!!!", "component"},
		{strings.Repeat("a", 70), strings.Repeat("a", 63)},
		{strings.Repeat("a", 62) + "-bc", strings.Repeat("a", 62)},
		{strings.Repeat("a", 61) + "-bc", strings.Repeat("a", 61) + "-b"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got := entityName(tc.in)
			if got != tc.want {
				t.Errorf("entityName(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if !backstageName.MatchString(got) || len(got) > maxNameLen {
				t.Errorf("entityName(%q) = %q: not a valid Backstage name", tc.in, got)
			}
		})
	}
}

func TestRepoName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"https://github.com/acme/payments.git", "payments"},
		{"https://github.com/acme/payments/", "payments"},
		{"git@github.com:acme/payments.git", "payments"},
		{"/home/me/src/Billing", "Billing"},
	} {
		if got := repoName(tc.in); got != tc.want {
			t.Errorf("repoName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCatchAllOwner(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"team", "* @acme/platform\n", "group:platform"},
		{"user", "* @jdoe @acme/platform\n", "user:jdoe"},
		{"the last rule wins", "* @acme/old\n/docs/ @acme/writers\n* @acme/New_Team\n", "group:new_team"},
		{"e-mail skipped", "* dev@acme.example @acme/ops\n", "group:ops"},
		{"only e-mail", "* dev@acme.example\n", ""},
		{"comments", "# * @acme/nope\n*   @acme/yes # trailing\n", "group:yes"},
		{"no catch-all", "*.go @acme/go\n/src/ @acme/src\n", ""},
		{"rule without owners", "* @acme/a\n*\n", ""},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := catchAllOwner([]byte(tc.in)); got != tc.want {
				t.Errorf("catchAllOwner(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestOwnerOf(t *testing.T) {
	t.Parallel()
	team := Identity{UserRef: "user:default/me", Groups: []string{"group:default/mine"}}
	for _, tc := range []struct {
		name         string
		files        catalog.MapFiles
		ident        Identity
		want, source string
	}{
		{"github's first", catalog.MapFiles{".github/CODEOWNERS": "* @o/gh\n", "CODEOWNERS": "* @o/root\n"}, team, "group:gh", "codeowners"},
		{"gitlab's", catalog.MapFiles{".gitlab/CODEOWNERS": "* @lab\n"}, team, "user:lab", "codeowners"},
		{"the user's team", catalog.MapFiles{"CODEOWNERS": "*.go @o/go\n"}, team, "group:default/mine", "identity"},
		{"the user", catalog.MapFiles{}, Identity{UserRef: "user:default/me"}, "user:default/me", "identity"},
		{"nobody", catalog.MapFiles{}, Identity{}, "user:guest", "none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, source := ownerOf(tc.files, tc.ident)
			if got != tc.want || source != tc.source {
				t.Errorf("ownerOf = %q from %q, want %q from %q", got, source, tc.want, tc.source)
			}
		})
	}
}

func TestComponentType(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		files      catalog.MapFiles
		lang, want string
	}{
		{"go", catalog.MapFiles{"main.go": "", "a/b.go": "", "x.js": ""}, "Go", "service"},
		{"react site", catalog.MapFiles{"src/a.tsx": "", "package.json": `{"dependencies":{"react":"18"}}`}, "TypeScript", "website"},
		{"js library", catalog.MapFiles{"index.js": "", "package.json": `{"name":"left-pad"}`}, "JavaScript", "library"},
		{"vendored code does not count", catalog.MapFiles{"lib.c": "", "vendor/a.go": "", "vendor/b.go": ""}, "C", "library"},
		{"no code", catalog.MapFiles{"README.md": ""}, "", "library"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			names, _ := tc.files.List()
			lang := mainLanguage(names)
			if got := componentType(lang, tc.files); lang != tc.lang || got != tc.want {
				t.Errorf("language %q, type %q; want %q, %q", lang, got, tc.lang, tc.want)
			}
		})
	}
}

func TestProjectSlug(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, slug, key string }{
		{"https://github.com/acme/payments.git", "acme/payments", "github.com/project-slug"},
		{"git@github.com:acme/payments.git", "acme/payments", "github.com/project-slug"},
		{"https://gitlab.com/acme/group/billing", "acme/group/billing", "gitlab.com/project-slug"},
		{"https://gitlab.acme.example/a/b.git", "a/b", "gitlab.com/project-slug"},
		{"https://git.example/acme/payments.git", "", ""},
		{"https://github.com/acme", "", ""},
		{"/home/me/payments", "", ""},
	} {
		slug, key := projectSlug(tc.in)
		if slug != tc.slug || key != tc.key {
			t.Errorf("projectSlug(%q) = %q, %q; want %q, %q", tc.in, slug, key, tc.slug, tc.key)
		}
	}
}

// TestGenerateComponent checks that every generated component is one the
// catalog accepts, whatever the repository is called.
func TestGenerateComponent(t *testing.T) {
	t.Parallel()
	for _, url := range []string{"https://github.com/acme/Payments.Service.git", "/tmp/!!!", "git@gitlab.com:a/b c.git"} {
		files := catalog.MapFiles{"mkdocs.yml": "site_name: x\n", "CODEOWNERS": "* @acme/Team.One\n", "main.go": ""}
		g, err := generateComponent(url, files, Identity{})
		if err != nil {
			t.Fatal(err)
		}
		res := catalog.Process(t.Context(), catalog.MapFiles{"catalog-info.yaml": g.YAML}, catalog.Options{}, "catalog-info.yaml")
		if len(res.Errors) > 0 || len(res.Entities) != 1 {
			t.Errorf("generated for %s:\n%s\nerrors %v", url, g.YAML, res.Errors)
		}
		if !strings.Contains(g.YAML, "backstage.io/techdocs-ref: dir:.") {
			t.Errorf("generated for %s without the techdocs annotation:\n%s", url, g.YAML)
		}
	}
}

func FuzzCatchAllOwner(f *testing.F) {
	f.Add([]byte("* @acme/platform\n"))
	f.Add([]byte("# c\n*.go @a\n* dev@x.example @u # c\n*\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		owner := catchAllOwner(data)
		if owner == "" {
			return
		}
		kind, name, ok := strings.Cut(owner, ":")
		if !ok || kind != "user" && kind != "group" || !backstageName.MatchString(name) || len(name) > maxNameLen {
			t.Errorf("catchAllOwner(%q) = %q, not a user or group ref", data, owner)
		}
	})
}
