package updates

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		feed string
		want Release
		err  bool
	}{
		{"github latest", `{"tag_name":"v1.4.0","html_url":"https://github.com/callboard/callboard/releases/tag/v1.4.0","body":"## Fixes\n- faster"}`,
			Release{Version: "v1.4.0", URL: "https://github.com/callboard/callboard/releases/tag/v1.4.0", Notes: "## Fixes\n- faster"}, false},
		{"github list skips drafts and pre-releases", `[{"tag_name":"v2.0.0","draft":true},{"tag_name":"v1.5.0-rc.1","prerelease":true},{"tag_name":"v1.4.1","html_url":"https://example.com/r"}]`,
			Release{Version: "v1.4.1", URL: "https://example.com/r"}, false},
		{"plain feed", `{"version":"1.4.0","url":"https://intranet.example/callboard","notes":"Hello"}`,
			Release{Version: "1.4.0", URL: "https://intranet.example/callboard", Notes: "Hello"}, false},
		{"plain feed without a URL", `  {"version":"1.4.0"}  `, Release{Version: "1.4.0"}, false},
		{"not JSON", `<html>rate limited</html>`, Release{}, true},
		{"empty", ``, Release{}, true},
		{"empty list", `[]`, Release{}, true},
		{"only drafts", `[{"tag_name":"v1.0.0","draft":true}]`, Release{}, true},
		{"no version", `{"name":"Callboard"}`, Release{}, true},
		{"version not semver", `{"version":"latest"}`, Release{}, true},
		{"javascript URL", `{"version":"1.0.0","url":"javascript:alert(1)"}`, Release{}, true},
		{"http URL", `{"version":"1.0.0","url":"http://example.com/"}`, Release{}, true},
		{"a string", `"1.0.0"`, Release{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse([]byte(tt.feed))
			if tt.err {
				if !errors.Is(err, ErrFeed) {
					t.Fatalf("Parse = %+v, %v; want an error wrapping ErrFeed", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCutsNotes(t *testing.T) {
	t.Parallel()
	notes := strings.Repeat("é", MaxNotes)
	got, err := Parse([]byte(`{"version":"1.0.0","notes":"` + notes + "\"}"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Notes) > MaxNotes+len("…") || !strings.HasSuffix(got.Notes, "é…") {
		t.Errorf("notes of %d bytes kept as %d bytes ending %q", len(notes), len(got.Notes), got.Notes[len(got.Notes)-8:])
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"tag_name":"v1.4.0","html_url":"https://github.com/x/y","body":"notes"}`,
		`[{"tag_name":"v2.0.0","draft":true},{"version":"1.0.0"}]`,
		`{"version":"1.0.0-rc.1+meta","url":"https://a.example/","notes":"\u00e9"}`,
		`[]`, `null`, `{"version":"1.2"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrFeed) {
				t.Fatalf("Parse error %v does not wrap ErrFeed", err)
			}
			return
		}
		if _, ok := parseVersion(r.Version); !ok {
			t.Fatalf("Parse accepted version %q", r.Version)
		}
		if r.URL != "" && !strings.HasPrefix(r.URL, "https://") {
			t.Fatalf("Parse accepted URL %q", r.URL)
		}
		if len(r.Notes) > MaxNotes+len("…") {
			t.Fatalf("notes of %d bytes", len(r.Notes))
		}
	})
}
