package scaffold

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// pluginTemplate is the shape of Red Hat Developer Hub's backend plugin
// templates: the skeleton goes into plugins/ID-backend, publish:* pushes
// that folder (sourcePath) as the repository, and catalog:register finds
// catalog-info.yaml at that repository's root.
func pluginTemplate(publish, register string) catalog.MapFiles {
	return catalog.MapFiles{
		"t/template.yaml": `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: backend-plugin
spec:
  type: backend-plugin
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        targetPath: plugins/${{ parameters.id }}-backend
        values: {id: '${{ parameters.id }}'}
    - id: publish
      action: publish:github
      input:
` + publish + `
    - id: register
      action: catalog:register
      input:
` + register + `
  output:
    links:
      - title: Catalog file
        url: ${{ steps.register.output.catalogInfoUrl }}
`,
		"t/skeleton/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.id }}-backend\nspec:\n  type: backstage-plugin\n  owner: group:a\n  lifecycle: experimental\n",
		"t/skeleton/package.json":      `{"name": "@internal/${{ values.id }}-backend"}` + "\n",
	}
}

// catalog:register after a publish:* with sourcePath reads the catalog
// file inside the published folder, as Backstage does: repoContentsUrl
// points at that repository's root, catalogInfoPath (and a catalogInfoUrl
// under repoContentsUrl) is relative to it.
func TestRegisterAfterPublishWithSourcePath(t *testing.T) {
	t.Parallel()
	const (
		sourcePath = "        sourcePath: plugins/${{ parameters.id }}-backend\n"
		byContents = "        repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}\n        catalogInfoPath: /catalog-info.yaml\n"
		byURL      = "        catalogInfoUrl: ${{ steps.publish.output.repoContentsUrl }}/catalog-info.yaml\n"
		noPath     = "        repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}\n"
	)
	for _, tc := range []struct {
		name, publish, register string
		// url is the catalogInfoUrl output, with TARGET for the project.
		url string
	}{
		{"local, by repoContentsUrl", "        repoUrl: local?repo=${{ parameters.id }}\n" + sourcePath, byContents,
			"file://TARGET/plugins/kudos-backend/catalog-info.yaml"},
		{"local, default catalogInfoPath", "        repoUrl: local?repo=${{ parameters.id }}\n" + sourcePath, noPath,
			"file://TARGET/plugins/kudos-backend/catalog-info.yaml"},
		{"local, by catalogInfoUrl", "        repoUrl: local?repo=${{ parameters.id }}\n" + sourcePath, byURL,
			"file://TARGET/plugins/kudos-backend/catalog-info.yaml"},
		{"github, by repoContentsUrl", "        repoUrl: github.com?owner=o&repo=${{ parameters.id }}\n        defaultBranch: main\n" + sourcePath, byContents,
			"https://github.com/o/kudos/blob/main/catalog-info.yaml"},
		{"github, by catalogInfoUrl", "        repoUrl: github.com?owner=o&repo=${{ parameters.id }}\n        defaultBranch: main\n" + sourcePath, byURL,
			"https://github.com/o/kudos/blob/main/catalog-info.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			target := filepath.Join(t.TempDir(), "kudos")
			res, _ := run(t, pluginTemplate(tc.publish, tc.register), "t/template.yaml", Request{Values: values(t, `{"id":"kudos"}`), Target: target})
			if res.Status != Completed {
				t.Fatalf("%s: %s\n%+v", res.Status, res.Error, res.Steps)
			}
			want := []Register{{Repo: "plugins/kudos-backend", Path: "catalog-info.yaml", EntityRef: "component:default/kudos-backend"}}
			if diff := gocmp.Diff(want, res.Register); diff != "" {
				t.Errorf("register (-want +got):\n%s", diff)
			}
			wantURL := strings.ReplaceAll(tc.url, "TARGET", filepath.ToSlash(target))
			if len(res.Links) != 1 || res.Links[0].URL != wantURL {
				t.Errorf("links %+v, want %s", res.Links, wantURL)
			}
			// The repository is the published folder, with the catalog
			// file at its root.
			r, err := git.PlainOpen(filepath.Join(target, "plugins", "kudos-backend"))
			if err != nil {
				t.Fatal(err)
			}
			head, err := r.Head()
			if err != nil {
				t.Fatal(err)
			}
			c, err := r.CommitObject(head.Hash())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.File("catalog-info.yaml"); err != nil {
				t.Errorf("the commit has no catalog-info.yaml at its root: %v", err)
			}
		})
	}
}

// Without sourcePath the repository is the project, and a catalogInfoUrl
// naming no published repository is read from the project, as before.
func TestRegisterWithoutSourcePath(t *testing.T) {
	t.Parallel()
	files := pluginTemplate("        repoUrl: local?repo=x\n", "        catalogInfoUrl: https://github.com/o/x/blob/main/plugins/kudos-backend/catalog-info.yaml\n")
	res, _ := run(t, files, "t/template.yaml", Request{Values: values(t, `{"id":"kudos"}`), DryRun: true})
	if res.Status != Completed {
		t.Fatalf("%s: %s\n%+v", res.Status, res.Error, res.Steps)
	}
	want := []Register{{Path: "plugins/kudos-backend/catalog-info.yaml", EntityRef: "component:default/kudos-backend"}}
	if diff := gocmp.Diff(want, res.Register); diff != "" {
		t.Errorf("register (-want +got):\n%s", diff)
	}
}
