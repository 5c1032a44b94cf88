package portal

import (
	"context"
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
