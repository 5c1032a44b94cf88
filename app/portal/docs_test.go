package portal

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestDocs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := demoService(t)
	list, err := s.ListDocs(ctx)
	if err != nil || len(list) != 3 {
		t.Fatalf("ListDocs = %d entries, %v; want the demo's 3", len(list), err)
	}
	site, err := s.Docs(ctx, "component:booking-service")
	if err != nil || len(site.Pages) < 2 || site.Name == "" {
		t.Fatalf("Docs = %+v, %v", site, err)
	}
	home, err := s.DocsPage(ctx, "component:booking-service", "")
	if err != nil {
		t.Fatal(err)
	}
	if home.Path != "index.md" || home.Title == "" || len(home.TOC) == 0 || home.Next == "" || !strings.Contains(home.HTML, "headerlink") {
		t.Errorf("home page = path %q title %q toc %d next %q", home.Path, home.Title, len(home.TOC), home.Next)
	}
	if byURL, err := s.DocsPage(ctx, "component:booking-service", "runbook/"); err != nil || byURL.Path != "runbook.md" {
		t.Errorf("a page named by its mkdocs URL: %q, %v", byURL.Path, err)
	}
	again, _ := s.DocsPage(ctx, "component:booking-service", "index.md")
	if again.HTML != home.HTML {
		t.Error("the page changed between two reads of the same commit")
	}
	for _, tc := range []struct {
		ref, page string
		want      error
	}{
		{"component:booking-service", "nope.md", ErrNotFound},
		{"component:payments-gateway", "", ErrNotFound}, // no techdocs-ref
		{"component:nope", "", ErrNotFound},
		{"::", "", ErrInvalid},
	} {
		if _, err := s.DocsPage(ctx, tc.ref, tc.page); !errors.Is(err, tc.want) {
			t.Errorf("DocsPage(%s, %s) = %v, want %v", tc.ref, tc.page, err, tc.want)
		}
	}
}

// BenchmarkDocsPage: a page of the demo's docs, rendered from scratch (a
// cold cache each time) and from the cache.
func BenchmarkDocsPage(b *testing.B) {
	ctx := context.Background()
	s := demoService(b)
	b.Run("from-scratch", func(b *testing.B) {
		for b.Loop() {
			s.pages = pageCache{}
			if _, err := s.DocsPage(ctx, "component:booking-service", "index.md"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("from-cache", func(b *testing.B) {
		if _, err := s.DocsPage(ctx, "component:booking-service", "index.md"); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := s.DocsPage(ctx, "component:booking-service", "index.md"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
