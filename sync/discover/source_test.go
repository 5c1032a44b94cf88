package discover

import (
	"errors"
	"reflect"
	"testing"

	"github.com/callboard/callboard/sync/remote"
)

func TestParseSource(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw   string
		forge remote.Forge
		want  Source // zero: an error
		rest  string // the REST API's root
	}{
		{raw: "https://github.com/ACME", want: Source{Forge: remote.GitHub, Scheme: "https", Host: "github.com", Owner: "ACME"}, rest: "https://api.github.com"},
		{raw: "https://github.com/orgs/acme/", want: Source{Forge: remote.GitHub, Scheme: "https", Host: "github.com", Owner: "acme"}, rest: "https://api.github.com"},
		{raw: "https://GitHub.com./acme", want: Source{Forge: remote.GitHub, Scheme: "https", Host: "github.com", Owner: "acme"}, rest: "https://api.github.com"},
		{raw: "https://ghe.example.com/ACME", forge: remote.GitHub, want: Source{Forge: remote.GitHub, Scheme: "https", Host: "ghe.example.com", Owner: "ACME"}, rest: "https://ghe.example.com/api/v3"},
		{raw: "https://ghe.example.com:8443/ACME", forge: remote.GitHub, want: Source{Forge: remote.GitHub, Scheme: "https", Host: "ghe.example.com:8443", Owner: "ACME"}, rest: "https://ghe.example.com:8443/api/v3"},
		{raw: "https://gitlab.com/group/subgroup", want: Source{Forge: remote.GitLab, Scheme: "https", Host: "gitlab.com", Owner: "group/subgroup"}, rest: "https://gitlab.com/api/v4"},
		{raw: "https://gitlab.com/groups/group/sub.group/-/issues", want: Source{Forge: remote.GitLab, Scheme: "https", Host: "gitlab.com", Owner: "group/sub.group"}, rest: "https://gitlab.com/api/v4"},
		{raw: "https://git.example.org/platform", forge: remote.GitLab, want: Source{Forge: remote.GitLab, Scheme: "https", Host: "git.example.org", Owner: "platform"}, rest: "https://git.example.org/api/v4"},
		{raw: "http://127.0.0.1:8080/acme", forge: remote.GitHub, want: Source{Forge: remote.GitHub, Scheme: "http", Host: "127.0.0.1:8080", Owner: "acme"}, rest: "http://127.0.0.1:8080/api/v3"},
		{raw: "https://ghe.example.com/ACME"},                      // unknown host, no forge named
		{raw: "https://github.com/acme", forge: remote.GitLab},     // the host says otherwise
		{raw: "https://github.com/acme/repo"},                      // a repository
		{raw: "https://github.com/"},                               // no org
		{raw: "https://github.com/-acme"},                          // not a login
		{raw: "https://gitlab.com/group/project.git"},              // a repository
		{raw: "http://ghe.example.com/acme", forge: remote.GitHub}, // a token over http
		{raw: "https://user:pw@github.com/acme"},                   // credentials in the URL
		{raw: "https://github.com/acme?access_token=x"},            // a secret in the query
		{raw: "https://github.com/acm%65"},                         // escapes
		{raw: "https://bitbucket.org/acme"},                        // not built
		{raw: "ssh://github.com/acme"},                             // not https
		{raw: "https://github.com.evil.example/acme"},              // unknown host, no forge named
		{raw: "https://xn--80ak6aa92e.com/acme", forge: remote.GitHub, want: Source{Forge: remote.GitHub, Scheme: "https", Host: "xn--80ak6aa92e.com", Owner: "acme"}, rest: "https://xn--80ak6aa92e.com/api/v3"},
	} {
		got, err := ParseSource(tc.raw, tc.forge)
		if tc.want.Host == "" {
			if !errors.Is(err, ErrBadSource) {
				t.Errorf("ParseSource(%q, %q) = %+v, %v; want ErrBadSource", tc.raw, tc.forge, got, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseSource(%q, %q) = %+v, %v; want %+v", tc.raw, tc.forge, got, err, tc.want)
			continue
		}
		if r := got.restBase(); r != tc.rest {
			t.Errorf("%s: REST API at %s, want %s", tc.raw, r, tc.rest)
		}
	}
}

func TestCompileFilters(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    Filters
		ok   bool
		dir  string
		glob []string
	}{
		{f: Filters{}, ok: true},
		{f: Filters{CatalogPath: "/catalog-info.yaml"}, ok: true},
		{f: Filters{CatalogPath: ".backstage/*.yaml"}, ok: true, dir: ".backstage", glob: []string{"*.yaml"}},
		{f: Filters{CatalogPath: "*.yaml"}, ok: true, glob: []string{"*.yaml"}},
		{f: Filters{CatalogPath: "a/*/b/*.yaml"}, ok: true, dir: "a", glob: []string{"*", "b", "*.yaml"}},
		{f: Filters{CatalogPath: "a/*/b/c/*.yaml"}},       // too deep
		{f: Filters{CatalogPath: "**/catalog-info.yaml"}}, // ** is not supported
		{f: Filters{CatalogPath: "../x.yaml"}},
		{f: Filters{CatalogPath: "a/[.yaml"}},
		{f: Filters{CatalogPath: "main:x.yaml"}},
		{f: Filters{Branch: "release/1.x"}, ok: true},
		{f: Filters{Branch: "a..b"}},
		{f: Filters{Branch: "-x"}},
		{f: Filters{Branch: "a:b"}},
		{f: Filters{Repository: "svc-(a|b)"}, ok: true},
		{f: Filters{Repository: "("}},
		{f: Filters{Visibility: []string{"public", "internal"}}, ok: true},
		{f: Filters{Visibility: []string{"secret"}}},
	} {
		c, err := tc.f.compile()
		if (err == nil) != tc.ok {
			t.Errorf("compile(%+v): %v", tc.f, err)
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrBadSource) {
				t.Errorf("compile(%+v): %v is not ErrBadSource", tc.f, err)
			}
			continue
		}
		if c.dir != tc.dir || len(c.glob) != len(tc.glob) {
			t.Errorf("compile(%+v): dir %q glob %q, want %q %q", tc.f, c.dir, c.glob, tc.dir, tc.glob)
		}
	}
}
