package portal

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
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
			s.docs.pages = pageCache{}
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

// A page's remote images are held back and counted, and its classes are
// its own; the hosts the user allows are kept in the settings.
func TestDocsRemoteImagesAndSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	clones := filepath.Join(t.TempDir(), "clones")
	s, _ := newService(t, func(c *Config) {
		c.Syncer = syncer.New(c.DB, clones, gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
	})
	repo := gittest.New(t)
	repo.Commit("docs", map[string][]byte{
		"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: pixel\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec: {type: service, lifecycle: production, owner: team}\n"),
		"mkdocs.yml":        []byte("site_name: Pixel\n"),
		"docs/index.md":     []byte("# Pixel\n\n![](https://tracker.example/p.gif?reader=ada)\n\n<div class=\"modal-backdrop\">Session expired</div>\n"),
	})
	loc, err := s.AddLocation(ctx, NewLocation{URL: repo.Dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, loc.ID); err != nil {
		t.Fatal(err)
	}
	page, err := s.DocsPage(ctx, "component:pixel", "")
	if err != nil {
		t.Fatal(err)
	}
	if page.RemoteImages != 1 || !slices.Equal(page.RemoteHosts, []string{"tracker.example"}) || strings.Contains(page.HTML, ` src=`) || !strings.Contains(page.HTML, `class="doc-modal-backdrop"`) {
		t.Errorf("page: %d remote images from %v\n%s", page.RemoteImages, page.RemoteHosts, page.HTML)
	}

	tests := []struct {
		hosts []string
		want  []string // nil: refused
	}{
		{[]string{" Tracker.Example ", "cdn.example:8443", "tracker.example", "[::1]:8080"}, []string{"[::1]:8080", "cdn.example:8443", "tracker.example"}},
		{[]string{}, nil},
		{[]string{"https://tracker.example"}, nil},
		{[]string{"tracker.example/p.gif"}, nil},
		{[]string{"a b"}, nil},
		{[]string{"user@tracker.example"}, nil},
		{[]string{""}, nil},
		{slices.Repeat([]string{"x.example"}, maxImageHosts+1), nil},
	}
	for _, tt := range tests {
		got, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, DocsImageHosts: tt.hosts})
		switch {
		case tt.want == nil && len(tt.hosts) > 0:
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("hosts %.3q: %v, want ErrInvalid", tt.hosts, err)
			}
		case err != nil || !slices.Equal(got.DocsImageHosts, tt.want):
			t.Errorf("hosts %q: %q, %v; want %q", tt.hosts, got.DocsImageHosts, err, tt.want)
		}
	}
	if st, _ := s.Settings(ctx); len(st.DocsImageHosts) != 0 {
		t.Errorf("an empty list kept %q", st.DocsImageHosts)
	}
}
