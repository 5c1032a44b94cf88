package discover

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/callboard/callboard/sync/remote"
)

// FuzzParseSource checks that no URL makes ParseSource panic, and that
// a source it accepts sends its API requests (and so its token) to its
// own host (api.github.com for github.com), over https but on loopback,
// and reads back the same from its own URL.
func FuzzParseSource(f *testing.F) {
	for _, s := range []string{
		"https://github.com/ACME", "https://github.com/orgs/acme", "https://gitlab.com/a/b/c",
		"https://gitlab.com/groups/a/-/issues", "https://ghe.example.com/ACME", "http://127.0.0.1:8080/acme",
		"https://github.com@evil.example/acme", "https://evil.example\\@github.com/acme", "https://github.com%2eevil.example/acme",
		"https://github.com:443/acme", "https://[::1]:99/acme", "https://github.com/acme#x", "https://gitlab.com/a/./b",
	} {
		f.Add(s, "")
		f.Add(s, "github")
		f.Add(s, "gitlab")
	}
	f.Fuzz(func(t *testing.T, raw, forge string) {
		s, err := ParseSource(raw, remote.Forge(forge))
		if err != nil {
			return
		}
		if s.Owner == "" || s.Host == "" {
			t.Fatalf("%q: accepted without owner or host: %+v", raw, s)
		}
		for _, api := range []string{s.restBase(), s.graphQL()} {
			u, err := url.Parse(api)
			if err != nil {
				t.Fatalf("%q: API URL %q: %v", raw, api, err)
			}
			if u.Host != s.apiHost() || u.Host != s.Host && u.Host != "api.github.com" {
				t.Fatalf("%q: API at %s for a source on %s", raw, u.Host, s.Host)
			}
			if u.Scheme != "https" && !loopback(s.Host) {
				t.Fatalf("%q: API over %s", raw, u.Scheme)
			}
		}
		again, err := ParseSource(s.URL(), s.Forge)
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("%q: its URL %q reads back as %+v, %v", raw, s.URL(), again, err)
		}
	})
}
