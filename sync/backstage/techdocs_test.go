package backstage

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TechDocs reads a built file from the storage path of the entity's
// triplet, lower-cased, with the token; file names that would leave the
// entity's site and oversized files are refused.
func TestTechDocs(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", MaxDocsFile+1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/api/techdocs/static/docs/default/component/radar/guides/index.html":
			w.Write([]byte("<h1>Guides</h1>"))
		case "/api/techdocs/static/docs/default/component/radar/big.html":
			w.Write([]byte(big))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, Options{Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, ns, kind, file string
		want                 string
		err                  error
	}{
		{"a page", "default", "Component", "guides/index.html", "<h1>Guides</h1>", nil},
		{"missing", "default", "Component", "none.html", "", ErrBadResponse},
		{"too large", "default", "Component", "big.html", "", ErrBadResponse},
		{"up and out", "default", "Component", "../other/index.html", "", ErrBadURL},
		{"absolute", "default", "Component", "/etc/passwd", "", ErrBadURL},
		{"a query", "default", "Component", "index.html?x=1", "", ErrBadURL},
		{"not clean", "default", "Component", "a/./index.html", "", ErrBadURL},
		{"a slash in the triplet", "default/x", "Component", "index.html", "", ErrBadURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.TechDocs(context.Background(), tc.ns, tc.kind, "radar", tc.file)
			if !errors.Is(err, tc.err) || tc.err == nil && string(got) != tc.want {
				t.Errorf("TechDocs(%s) = %q, %v; want %q, %v", tc.file, got, err, tc.want, tc.err)
			}
		})
	}
}
