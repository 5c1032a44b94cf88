package apitest

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
)

func testSearch(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	type hit struct{ Type, Ref, Path string }
	for _, tt := range []struct {
		name string
		q    portal.SearchQuery
		want []hit // among the hits
		only bool  // and nothing else
	}{
		{name: "an entity", q: portal.SearchQuery{Text: "gateway"}, want: []hit{{"entity", gatewayRef, ""}}},
		{name: "a kind", q: portal.SearchQuery{Text: "payments", Kinds: []string{"api"}}, want: []hit{{"entity", apiRef, ""}}, only: true},
		{name: "a docs page", q: portal.SearchQuery{Text: "refunds", Types: []string{"docs"}}, want: []hit{{"docs", paymentsRef, "index.md"}}, only: true},
		{name: "a docs page of one site", q: portal.SearchQuery{Text: "install tools", Types: []string{"docs"}, Refs: []string{paymentsRef}},
			want: []hit{{"docs", paymentsRef, firstSteps}}, only: true},
		{name: "a template", q: portal.SearchQuery{Text: "hello", Types: []string{"template"}}, want: []hit{{"template", helloRef, ""}}, only: true},
		{name: "an owner", q: portal.SearchQuery{Text: "gateway", Owners: []string{teamRef}}, want: []hit{}, only: true},
		{name: "nothing", q: portal.SearchQuery{Text: "zebra"}, want: []hit{}, only: true},
		{name: "long text", q: portal.SearchQuery{Text: strings.Repeat("zebra ", 1000), NoFacets: true}, want: []hit{}, only: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := o.API.Search(ctx, tt.q)
			must(t, "Search", err)
			var got []hit
			for _, h := range res.Hits {
				got = append(got, hit{h.Type, h.Ref, h.Path})
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("hits %v: want %v among them", got, w)
				}
			}
			if tt.only && len(got) != len(tt.want) {
				t.Errorf("hits %v: want only %v", got, tt.want)
			}
			if res.Total < len(res.Hits) || res.Indexing {
				t.Errorf("total %d of %d hits, indexing %v", res.Total, len(res.Hits), res.Indexing)
			}
			lists(t, o.Fixture, "Search", res)
		})
	}

	t.Run("pages and facets", func(t *testing.T) {
		first, err := o.API.Search(ctx, portal.SearchQuery{Text: "generated library", Limit: 5})
		must(t, "Search", err)
		second, err := o.API.Search(ctx, portal.SearchQuery{Text: "generated library", Offset: 5, Limit: 5})
		must(t, "Search", err)
		if first.Total != generated || second.Total != generated || len(first.Hits) != 5 || len(second.Hits) != 5 {
			t.Fatalf("pages of %d and %d hits of %d, %d; want 5 of %d each", len(first.Hits), len(second.Hits), first.Total, second.Total, generated)
		}
		for _, h := range second.Hits {
			if slices.ContainsFunc(first.Hits, func(f portal.SearchHit) bool { return f.Ref == h.Ref }) {
				t.Errorf("%s on both pages", h.Ref)
			}
		}
		if !slices.Contains(first.Facets["owner"], portal.FacetCount{Value: sreRef, Count: generated}) {
			t.Errorf("owner facet %v: want %s counted %d times", first.Facets["owner"], sreRef, generated)
		}
		bare, err := o.API.Search(ctx, portal.SearchQuery{Text: "generated library", NoFacets: true})
		must(t, "Search", err)
		if len(bare.Facets) != 0 || len(bare.Hits) != 20 {
			t.Errorf("without facets: %d facets, %d hits; want none, and the default page of 20", len(bare.Facets), len(bare.Hits))
		}
		lists(t, o.Fixture, "Search", bare)
	})
}

func testListDocs(t *testing.T, s *suite) {
	o := s.shared
	got, err := o.API.ListDocs(t.Context())
	must(t, "ListDocs", err)
	want := []portal.DocsEntry{{Ref: paymentsRef, Kind: "Component", Name: "payments", Title: "Payments", Description: "Takes card payments and refunds.", Owner: teamRef}}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("ListDocs (-want +got):\n%s", diff)
	}
	lists(t, o.Fixture, "ListDocs", got)

	empty := s.fresh(t)
	none, err := empty.API.ListDocs(t.Context())
	must(t, "ListDocs", err)
	if len(none) != 0 {
		t.Errorf("ListDocs of an empty catalog = %+v", none)
	}
	lists(t, empty, "ListDocs", none)
}

func testDocs(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	for _, ref := range []string{paymentsRef, "component:payments", "Component:Default/Payments"} {
		site, err := o.API.Docs(ctx, ref)
		must(t, "Docs "+ref, err)
		if site.Ref != paymentsRef || site.Name != "Payments handbook" || !slices.Equal(site.Pages, []string{"index.md", firstSteps}) {
			t.Errorf("Docs(%q) = %+v", ref, site)
		}
		if len(site.Nav) != 2 || site.Nav[1].Title != "First steps" || site.Nav[1].Path != firstSteps {
			t.Errorf("Docs(%q).Nav = %+v", ref, site.Nav)
		}
		// A local repository's site is on disk: its working tree can be previewed.
		if real, _ := filepath.EvalSymlinks(o.repo.Dir); site.LocalDir != real && site.LocalDir != o.repo.Dir {
			t.Errorf("Docs(%q).LocalDir = %q, want the repository's folder %s", ref, site.LocalDir, o.repo.Dir)
		}
		lists(t, o.Fixture, "Docs", site)
	}
	// The gateway has no docs.
	for _, ref := range append([]string{gatewayRef}, notFoundRefs...) {
		_, err := o.API.Docs(ctx, ref)
		wantErr(t, fmt.Sprintf("Docs(%.40q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.Docs(ctx, ref)
		wantErr(t, fmt.Sprintf("Docs(%q)", ref), err, portal.ErrInvalid)
	}
}

func testDocsPage(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	home, err := o.API.DocsPage(ctx, "component:payments", "")
	must(t, "DocsPage", err)
	if home.Ref != paymentsRef || home.Path != "index.md" || home.Title != "Payments" || home.Prev != "" || home.Next != firstSteps ||
		!strings.Contains(home.HTML, "Refunds take a day.") || !slices.Equal(home.Broken, []string{"old.md"}) {
		t.Errorf("the home page = %+v", home)
	}
	outlined := false
	for _, h := range home.TOC {
		outlined = outlined || h.Text == "Refunds"
	}
	if !outlined {
		t.Errorf("the home page's outline = %+v", home.TOC)
	}
	if home.LocalFile != filepath.Join(o.repo.Dir, "docs", "index.md") {
		t.Errorf("LocalFile = %q, want the file in the local repository", home.LocalFile)
	}
	lists(t, o.Fixture, "DocsPage", home)
	for _, page := range []string{firstSteps, "guides/first steps/"} {
		p, err := o.API.DocsPage(ctx, paymentsRef, page)
		must(t, "DocsPage "+page, err)
		if p.Path != firstSteps || p.Title != "First steps" || p.Prev != "index.md" || p.Next != "" || !strings.Contains(p.HTML, "Install the tools.") {
			t.Errorf("DocsPage(%q) = %+v", page, p)
		}
		lists(t, o.Fixture, "DocsPage", p)
	}
	for _, page := range []string{"nope.md", "guides/nope.md", "../../etc/passwd"} {
		_, err := o.API.DocsPage(ctx, paymentsRef, page)
		wantErr(t, fmt.Sprintf("DocsPage(%q)", page), err, portal.ErrNotFound)
	}
	for _, ref := range append([]string{gatewayRef}, notFoundRefs...) {
		_, err := o.API.DocsPage(ctx, ref, "")
		wantErr(t, fmt.Sprintf("DocsPage(%.40q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.DocsPage(ctx, ref, "")
		wantErr(t, fmt.Sprintf("DocsPage(%q)", ref), err, portal.ErrInvalid)
	}
}
