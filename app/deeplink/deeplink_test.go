package deeplink

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// cases are the links both this package and the frontend are checked on.
type cases struct {
	Open []struct {
		Link, Route, Canonical string
	}
	Refuse []struct {
		Link, Error string
	}
	NoLink []string
}

func readCases(t testing.TB) cases {
	t.Helper()
	data, err := os.ReadFile("testdata/links.json")
	if err != nil {
		t.Fatal(err)
	}
	var c cases
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("testdata/links.json: %v", err)
	}
	return c
}

func TestRoute(t *testing.T) {
	t.Parallel()
	for _, c := range readCases(t).Open {
		t.Run(c.Link, func(t *testing.T) {
			t.Parallel()
			got, err := Route(c.Link)
			if err != nil || got != c.Route {
				t.Fatalf("Route(%q) = %q, %v; want %q", c.Link, got, err, c.Route)
			}
		})
	}
}

// A workbench link names a folder of the machine it is opened on.
func TestRouteWorkbench(t *testing.T) {
	t.Parallel()
	for link, want := range map[string]string{
		"callboard://workbench?dir=/home/me/my%20template": "/create/workbench?dir=%2Fhome%2Fme%2Fmy+template",
		"callboard://workbench?dir=C:%5Ct":                 "/create/workbench?dir=C%3A%5Ct",
	} {
		got, err := Route(link)
		if err != nil || got != want {
			t.Errorf("Route(%q) = %q, %v; want %q", link, got, err, want)
			continue
		}
		back, err := Link(got)
		if again, err2 := Route(back); err != nil || err2 != nil || again != got {
			t.Errorf("Route(Link(%q)) = %q, %v, %v", got, again, err, err2)
		}
	}
}

func TestRouteRefuses(t *testing.T) {
	t.Parallel()
	values := make([]string, 40)
	for i := range values {
		values[i] = fmt.Sprintf("v%d=1", i)
	}
	refuse := append(readCases(t).Refuse, []struct{ Link, Error string }{
		{"callboard://search?q=" + strings.Repeat("a", 2000), "over 1024"},
		{"callboard://search?q=" + strings.Repeat("a", 5000), "over 4096"},
		{"callboard://create/template:default/go?" + strings.Join(values, "&"), "40 values, over 32"},
		{"callboard://docs-preview/home", "an open preview's id"},
		{"callboard://docs-preview/0123456789abcdef/x", "an open preview's id"},
		{"callboard://docs-preview?dir=/home/me", "takes no query"},
		{"callboard://workbench?dir=relative/dir", "not an absolute path"},
		{"callboard://workbench", "not an absolute path"},
		{"callboard://workbench/x?dir=/a", "takes no path"},
		{"callboard://workbench?dir=/a&dir=/b", "one dir"},
		{"callboard://workbench?dir=/a&x=1", "one dir"},
	}...)
	for _, c := range refuse {
		t.Run(clip(c.Link), func(t *testing.T) {
			t.Parallel()
			got, err := Route(c.Link)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.Error) {
				t.Fatalf("Route(%q) = %q, %v; want an error with %q", c.Link, got, err, c.Error)
			}
		})
	}
}

// A docs preview link shows a preview by its id, never names a folder:
// it is not a link others can write (Link gives none for the route).
func TestDocsPreviewRoute(t *testing.T) {
	t.Parallel()
	got, err := Route("callboard://docs-preview/0123456789abcdef")
	if want := "/docs/preview?id=0123456789abcdef"; err != nil || got != want {
		t.Errorf("Route = %q, %v; want %q", got, err, want)
	}
}

func TestLink(t *testing.T) {
	t.Parallel()
	c := readCases(t)
	for _, o := range c.Open {
		want := o.Canonical
		if want == "" {
			want = o.Link
		}
		if got, err := Link(o.Route); err != nil || got != want {
			t.Errorf("Link(%q) = %q, %v; want %q", o.Route, got, err, want)
		}
	}
	for _, route := range c.NoLink {
		if got, err := Link(route); !errors.Is(err, ErrNoLink) {
			t.Errorf("Link(%q) = %q, %v; want ErrNoLink", route, got, err)
		}
	}
}

// A route carries more than a link does; the link keeps what opens the page.
func TestLinkLeavesOut(t *testing.T) {
	t.Parallel()
	for route, want := range map[string]string{
		"/catalog/component/default/payments?tab=overview&x=1":                        "callboard://entity/component:default/payments",
		"/create/templates/default/go?formData=%7B%22n%22%3A1%2C%22s%22%3A%22v%22%7D": "callboard://create/template:default/go?s=v",
		"/create/templates/default/go?formData=not-json":                              "callboard://create/template:default/go",
		"/search?q=":      "callboard://search",
		"/search?q=a%0Ab": "",
	} {
		got, err := Link(route)
		if want == "" {
			if !errors.Is(err, ErrNoLink) {
				t.Errorf("Link(%q) = %q, %v; want ErrNoLink", route, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("Link(%q) = %q, %v; want %q", route, got, err, want)
		}
	}
}

// FuzzRoute: whatever a link holds, Route refuses it or returns a route
// the UI's router reads as a path of its own (no scheme, host, control
// characters or climbing), whose Link opens the same route again.
func FuzzRoute(f *testing.F) {
	for _, o := range readCases(f).Open {
		f.Add(o.Link)
	}
	for _, r := range readCases(f).Refuse {
		f.Add(r.Link)
	}
	f.Fuzz(func(t *testing.T, link string) {
		route, err := Route(link)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Route(%q): %v does not wrap ErrInvalid", link, err)
			}
			return
		}
		if !strings.HasPrefix(route, "/") || strings.HasPrefix(route, "//") || strings.ContainsAny(route, "\\#") || strings.ContainsFunc(route, isControlOrSpace) {
			t.Fatalf("Route(%q) = %q, not a plain route", link, route)
		}
		path, _, _ := strings.Cut(route, "?")
		for _, seg := range strings.Split(path, "/") {
			if seg == "." || seg == ".." || strings.Contains(seg, "%") {
				t.Fatalf("Route(%q) = %q: segment %q", link, route, seg)
			}
		}
		back, err := Link(route)
		if err != nil {
			t.Fatalf("Link(%q) (from %q): %v", route, link, err)
		}
		if again, err := Route(back); err != nil || again != route {
			t.Fatalf("Route(Link(%q)) = %q, %v (link %q, from %q)", route, again, err, back, link)
		}
	})
}
