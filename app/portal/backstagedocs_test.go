package portal

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// The TechDocs of an entity a Backstage lists render from its source
// repository (its dir: techdocs-ref resolved against its file there), and
// from the kept copy once that repository's server is gone.
func TestBackstageDocsFromSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := newBackstageOrg(t)
	bareRepo(t, filepath.Join(o.root, "org"), "radar", map[string][]byte{
		"catalog-info.yaml": []byte("# the Backstage read this file; its entity is served\n"),
		"mkdocs.yml":        []byte("site_name: Radar\nnav:\n  - Home: index.md\n"),
		"docs/index.md":     []byte("# Radar\n\nWatches the skies.\n"),
	})
	e := backstageEntity(t, `{"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": {"name": "radar"},
		"spec": {"type": "service", "lifecycle": "production", "owner": "team-a"}}`, o.git.URL+"/org/radar/blob/main/catalog-info.yaml")
	e["metadata"].(map[string]any)["annotations"].(map[string]any)["backstage.io/techdocs-ref"] = "dir:."
	o.start(t, []map[string]any{e})
	for _, phase := range []string{"online", "offline"} {
		site, err := o.s.Docs(ctx, "component:radar")
		if err != nil || site.Name != "Radar" || len(site.Pages) != 1 {
			t.Fatalf("%s: site %+v, %v", phase, site, err)
		}
		page, err := o.s.DocsPage(ctx, "component:radar", "")
		if err != nil || !strings.Contains(page.HTML, "Watches the skies.") {
			t.Fatalf("%s: page %q, %v", phase, page.HTML, err)
		}
		o.git.Close()
	}
}

// When its source repository is out of reach, the TechDocs of an entity a
// Backstage lists are read from that Backstage's TechDocs storage, built:
// sanitised, kept, and read from the kept copy with its age once the
// Backstage is gone too.
func TestBackstageDocsFromStorage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := newBackstageOrg(t)
	e := backstageEntity(t, `{"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": {"name": "radar"},
		"spec": {"type": "service", "lifecycle": "production", "owner": "team-a"}}`, o.git.URL+"/org/gone/blob/main/catalog-info.yaml")
	e["metadata"].(map[string]any)["annotations"].(map[string]any)["backstage.io/techdocs-ref"] = "dir:."
	o.start(t, []map[string]any{e})
	o.git.Close()
	o.bs.Docs = map[string][]byte{
		"default/component/radar/techdocs_metadata.json": []byte(`{"site_name": "Radar", "files": ["index.html", "guides/index.html", "404.html", "assets/app.js"]}`),
		"default/component/radar/index.html": []byte(`<html><head><title>Radar</title><script>steal()</script></head><body><nav>theme</nav>` +
			`<article class="md-content__inner"><h1 id="radar">Radar</h1><p onclick="steal()">Built by the org.</p><script>steal()</script></article></body></html>`),
		"default/component/radar/guides/index.html": []byte(`<article><h1>Guides</h1></article>`),
	}
	site, err := o.s.Docs(ctx, "component:radar")
	if err != nil || site.Name != "Radar" || site.StoredAt == "" || strings.Join(site.Pages, ",") != "index.html,guides/index.html" {
		t.Fatalf("from storage: site %+v, %v", site, err)
	}
	page, err := o.s.DocsPage(ctx, "component:radar", "")
	if err != nil || page.Title != "Radar" || !strings.Contains(page.HTML, "Built by the org.") || page.StoredAt == "" ||
		strings.Contains(page.HTML, "steal") || strings.Contains(page.HTML, "theme") {
		t.Fatalf("from storage: page %+v, %v", page, err)
	}

	o.bs.Stop()
	offline, err := o.s.DocsPage(ctx, "component:radar", "")
	if err != nil || offline.HTML != page.HTML || offline.StoredAt != page.StoredAt {
		t.Fatalf("offline: page %+v, %v, want the kept copy of %s", offline, err, page.StoredAt)
	}
	gone, err := o.s.Docs(ctx, "component:radar")
	if err != nil || len(gone.Warnings) != 2 || !strings.Contains(gone.Warnings[1], "Offline") {
		t.Fatalf("offline: site %+v, %v", gone, err)
	}
	if _, err := o.s.DocsPage(ctx, "component:radar", "guides/"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a page never read while online: %v, want ErrNotFound", err)
	}
}
