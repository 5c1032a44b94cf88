package techradar

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseCallboardShape(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/callboard.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Parse("techradar.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{ID: "go", Title: "Go", Quadrant: "languages", Ring: "adopt", Moved: 1, Description: "Our default for services.", URL: "https://go.dev",
			Links:    []Link{{"Style guide", "/docs"}, {"Docs: payments", "/catalog/component/default/payments?tab=docs"}},
			Entities: []string{"component:default/payments", "component:default/orders"}, Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		{ID: "perl", Title: "Perl", Quadrant: "languages", Ring: "hold", Moved: -1, Description: "Leaving it.", Date: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
	if diff := cmp.Diff(want, r.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if r.Title != "Our radar" || len(r.Quadrants) != 4 || r.Quadrants[0].Name != "Languages & Frameworks" || len(r.Rings) != 4 || r.Rings[0].Color != "#5ba300" {
		t.Errorf("radar = %+v", r)
	}
}

// Backstage's tech-radar data (TechRadarLoaderResponse, as its sample
// data has it) loads as-is: the newest snapshot of the timeline is the
// entry's ring and move, "#" means no address.
func TestParseBackstageShape(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/backstage.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Parse("radar.json", data)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{ID: "javascript", Title: "JavaScript", Quadrant: "languages", Ring: "adopt", Moved: 1, Description: "Long description for JavaScript",
			Links: []Link{{"Learn more", "https://www.javascript.com/"}}, Date: time.Date(2021, 8, 6, 0, 0, 0, 0, time.UTC)},
		{ID: "webpack", Title: "Webpack", Quadrant: "frameworks", Ring: "hold", Moved: -1, URL: "https://webpack.js.org/", Date: time.Date(2020, 8, 6, 0, 0, 0, 0, time.UTC)},
	}
	if diff := cmp.Diff(want, r.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	const head = "quadrants: [{id: a}, {id: b}, {id: c}, {id: d}]\nrings: [{id: adopt}]\nentries:\n"
	for _, c := range []struct {
		name, file string
		want       []string
	}{
		{"not yaml", "quadrants: [\n", []string{"f.yaml:1: did not find expected node content"}},
		{"a list", "- a\n", []string{"f.yaml:1: want a mapping"}},
		{"three quadrants", "quadrants: [{id: a}, {id: b}, {id: c}]\nrings: [{id: adopt}]\n", []string{"f.yaml:1: 3 quadrants, want 4"}},
		{"no rings", "quadrants: [{id: a}, {id: b}, {id: c}, {id: d}]\n", []string{"f.yaml:1: 0 rings, want 1 to 8"}},
		{"twice a ring", "quadrants: [{id: a}, {id: b}, {id: c}, {id: d}]\nrings:\n  - id: adopt\n  - id: adopt\n", []string{`f.yaml:4: ring "adopt": twice`}},
		{"bad colour", "quadrants: [{id: a}, {id: b}, {id: c}, {id: d}]\nrings:\n  - {id: adopt, color: red}\n", []string{`f.yaml:3: ring "adopt": color "red"`}},
		{"wrong type", head + "  - id: go\n    title: Go\n    quadrant: a\n    ring: adopt\n    moved: lots\n", []string{"f.yaml:8: entry: cannot unmarshal !!str `lots` into int"}},
		{"unknown quadrant and ring", head + "  - id: go\n    title: Go\n    quadrant: z\n    ring: nope\n",
			[]string{`f.yaml:4: entry "go": quadrant "z" is none of the radar's`, `f.yaml:4: entry "go": ring "nope" is none of the radar's`}},
		{"no title", head + "  - {id: go, quadrant: a, ring: adopt}\n", []string{`f.yaml:4: entry "go": want an id (or key) and a title`}},
		{"twice an id", head + "  - {id: go, title: Go, quadrant: a, ring: adopt}\n  - {id: go, title: Go, quadrant: b, ring: adopt}\n",
			[]string{`f.yaml:5: entry "go": the id of the entry at line 4 too`}},
		{"moved", head + "  - {id: go, title: Go, quadrant: a, ring: adopt, moved: 5}\n", []string{`f.yaml:4: entry "go": moved 5`}},
		{"date", head + "  - {id: go, title: Go, quadrant: a, ring: adopt, date: yesterday}\n", []string{`f.yaml:4: entry "go": date "yesterday"`}},
		{"script url", head + "  - {id: go, title: Go, quadrant: a, ring: adopt, url: \"javascript:alert(1)\"}\n", []string{`f.yaml:4: entry "go": url "javascript:alert(1)"`}},
		{"script link", head + "  - {id: go, title: Go, quadrant: a, ring: adopt, links: [{url: //evil.example}]}\n", []string{`f.yaml:4: entry "go": link "//evil.example"`}},
		{"bad entity", head + "  - {id: go, title: Go, quadrant: a, ring: adopt, entities: [\"component:\"]}\n", []string{`f.yaml:4: entry "go": entity "component:"`}},
		{"too large", strings.Repeat("#", MaxFileSize+1), []string{"f.yaml: 1048577 bytes, at most 1048576"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("f.yaml", []byte(c.file))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q, want it to say %q", err, w)
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/callboard.yaml", "testdata/backstage.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("entries: [{timeline: [{}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("f.yaml", data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("an error that is not ErrInvalid: %v", err)
			}
			return
		}
		if len(r.Quadrants) != 4 || len(r.Rings) < 1 || len(r.Entries) > maxEntries {
			t.Fatalf("a radar Callboard cannot draw: %d quadrants, %d rings, %d entries", len(r.Quadrants), len(r.Rings), len(r.Entries))
		}
		for _, e := range r.Entries {
			if e.URL != "" && !safeURL(e.URL) {
				t.Fatalf("entry %q: unsafe url %q", e.ID, e.URL)
			}
		}
	})
}
