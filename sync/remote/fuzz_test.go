package remote

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzParse checks that no URL makes Parse panic, and that no URL can
// send a request, or a token, to a host other than the one the URL names:
// the host a request is made to is always the target's Host, or for
// github.com and bitbucket.org one of their own API and raw-file hosts,
// and Host is the URL's host as url.Parse and an HTTP client read it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://github.com/o/r/blob/main/a.yaml",
		"https://github.com.evil.example/o/r/blob/main/a.yaml",
		"https://github.com@evil.example/o/r/blob/main/a.yaml",
		"https://evil.example\\@github.com/o/r/blob/main/a.yaml",
		"https://evil.example#@github.com/o/r/blob/main/a.yaml",
		"https://evil.example?@github.com/o/r/blob/main/a.yaml",
		"https://github.com%2eevil.example/o/r/blob/main/a.yaml",
		"https://github.com:443@evil.example/a",
		"https://github.com./o/r/blob/main/a.yaml",
		"https://GITHUB.COM/o/r/blob/main/a.yaml",
		"https://xn--github-evil.example/o/r/blob/main/a.yaml",
		"https://раw.githubusercontent.com/o/r/main/a.yaml",
		"https://raw.githubusercontent.com/o/r/main/a.yaml",
		"https://raw.githubusercontent.com/o/r/refs/heads/main/a.yaml",
		"https://api.github.com/repos/o/r/contents/a.yaml?ref=main",
		"https://ghe.example:8443/raw/o/r/main/a.yaml",
		"https://ghe.example/api/v3/repos/o/r/contents/a?ref=x",
		"https://gitlab.com/g/s/r/-/blob/main/a.yaml",
		"https://gitlab.example/api/v4/projects/g%2Fr/repository/files/a%2F..%2Fb/raw?ref=main",
		"https://gitlab.example/api/v4/projects/42/repository/files/a.yaml/raw?ref=main",
		"https://bitbucket.org/o/r/src/main/a.yaml",
		"https://api.bitbucket.org/2.0/repositories/o/r/src/main/a.yaml",
		"https://bb.example/projects/P/repos/r/browse/a.yaml?at=refs/heads/main",
		"https://bb.example/rest/api/1.0/projects/P/repos/r/raw/a.yaml?at=main",
		"https://dev.azure.com/o/p/_git/r?path=/a.yaml&version=GBmain",
		"https://o.visualstudio.com/p/_git/r?path=/a.yaml",
		"https://gitea.example/o/r/src/branch/main/a.yaml",
		"https://gitea.example/api/v1/repos/o/r/contents/a.yaml?ref=main",
		"http://[::1]:80/a",
		"https://[::ffff:127.0.0.1]/o/r/blob/main/a",
		"https://127.0.0.1:8443/o/r/blob/main/%2e%2e/x",
		"https://example.com//evil.example/a",
		"https://example.com/@evil.example/a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		target, err := Parse(raw)
		if err != nil {
			return
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("Parse accepted %q, which url.Parse refuses: %v", raw, err)
		}
		if u.User != nil {
			t.Fatalf("Parse accepted %q, which has user information", raw)
		}
		named, err := canonicalHost(u)
		if err != nil {
			t.Fatalf("Parse accepted %q, whose host is refused: %v", raw, err)
		}
		if target.Host != named && aliasOf[named] != target.Host {
			t.Fatalf("Parse(%q).Host = %q, but the URL names %q", raw, target.Host, named)
		}
		if !target.File() && target.Forge != Plain {
			return
		}
		for _, withToken := range []bool{false, true} {
			fetch, err := target.FetchURL(withToken)
			if err != nil {
				t.Fatalf("FetchURL of %q: %v", raw, err)
			}
			req, err := http.NewRequest(http.MethodGet, fetch, nil)
			if err != nil {
				t.Fatalf("FetchURL of %q is %q, which a request refuses: %v", raw, fetch, err)
			}
			if req.URL.User != nil {
				t.Fatalf("FetchURL of %q is %q, with user information", raw, fetch)
			}
			got, err := canonicalHost(req.URL)
			if err != nil {
				t.Fatalf("FetchURL of %q is %q, whose host is refused: %v", raw, fetch, err)
			}
			if got != target.Host && aliasOf[got] != target.Host {
				t.Fatalf("FetchURL of %q is %q: a request for %s goes to %s", raw, fetch, target.Host, got)
			}
			if req.URL.Scheme != target.Scheme && aliasOf[got] == "" {
				t.Fatalf("FetchURL of %q is %q: scheme %s, not %s", raw, fetch, req.URL.Scheme, target.Scheme)
			}
			if req.Host != "" && req.Host != req.URL.Host || strings.ContainsAny(req.URL.Host, "@/\\ ") {
				t.Fatalf("FetchURL of %q is %q: host %q", raw, fetch, req.URL.Host)
			}
		}
	})
}
