package catalog

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func files(m map[string]string) MapFiles { return MapFiles(m) }

const component = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  description: Takes money
  tags: [go, money]
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: billing
  providesApis: [payments-api]
  dependsOn: [resource:payments-db]
`

func TestProcess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		files    map[string]string
		root     string
		refs     []string
		errors   []string // substrings of Error(), in order
		warnings []string
		edgesFor map[string][]string
	}{
		{
			name:  "single component with relations both ways",
			files: map[string]string{"catalog-info.yaml": component},
			root:  "catalog-info.yaml",
			refs:  []string{"component:default/payments"},
			edgesFor: map[string][]string{
				"component:default/payments": {"ownedBy group:default/team-a", "providesApi api:default/payments-api", "dependsOn resource:default/payments-db", "partOf system:default/billing"},
				"group:default/team-a":       {"ownerOf component:default/payments"},
				"api:default/payments-api":   {"apiProvidedBy component:default/payments"},
			},
		},
		{
			name: "a Location's own ref in a file it lists is ignored, with its targets",
			files: map[string]string{
				"index.yaml":        "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: index}\nspec: {targets: [./catalog-info.yaml]}\n",
				"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: index}\nspec: {targets: [./g.yaml]}\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: h}\nspec: {type: team, children: []}\n",
				"g.yaml":            "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g}\nspec: {type: team, children: []}\n",
			},
			root:     "index.yaml",
			refs:     []string{"location:default/index", "group:default/h"},
			warnings: []string{"catalog-info.yaml:1:1: metadata.name: location:default/index is the Location that lists this file (index.yaml:1); this definition is ignored, as Backstage ignores it"},
		},
		{
			name:  "targets of kinds the model does not pair get no reverse, disallowed owners no edge",
			files: map[string]string{"c.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c}\nspec: {type: service, lifecycle: production, owner: system:s, dependsOn: [system:s]}\n"},
			root:  "c.yaml",
			refs:  []string{"component:default/c"},
			edgesFor: map[string][]string{
				"component:default/c": {"dependsOn system:default/s"},
				"system:default/s":    nil,
			},
		},
		{
			name: "location follows relative targets and reads a file once",
			files: map[string]string{
				"catalog-info.yaml":     "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [./svc/catalog-info.yaml, svc/../svc/catalog-info.yaml]\n",
				"svc/catalog-info.yaml": component + "---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: back}\nspec:\n  target: ../catalog-info.yaml\n",
			},
			root:     "catalog-info.yaml",
			refs:     []string{"location:default/root", "component:default/payments", "location:default/back"},
			warnings: []string{"location cycle: catalog-info.yaml → svc/catalog-info.yaml leads back to catalog-info.yaml"},
		},
		{
			name: "targets are relative to the file's folder, or to the repository root with a leading slash; globs match files",
			files: map[string]string{
				"a/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [teams/x.yaml, /teams/w.yaml, ./**/*.yml, 'teams%2Fv.yaml?ref=x', ../teams/u.yaml]\n",
				"a/teams/x.yaml":      "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: x}\nspec: {type: team, children: []}\n",
				"a/teams/v.yaml":      "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: v}\nspec: {type: team, children: []}\n",
				"teams/x.yaml":        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: not-x}\nspec: {type: team, children: []}\n",
				"teams/w.yaml":        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: w}\nspec: {type: team, children: []}\n",
				"teams/u.yaml":        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: u}\nspec: {type: team, children: []}\n",
				"a/b/c/y.yml":         "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: y}\nspec: {type: team, children: []}\n",
				"a/.hidden/z.yml":     "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: z}\nspec: {type: team, children: []}\n",
			},
			root: "a/catalog-info.yaml",
			refs: []string{"location:default/root", "group:default/x", "group:default/w", "group:default/y", "group:default/v", "group:default/u"},
		},
		{
			name: "a glob root stands for the files it matches",
			files: map[string]string{
				"teams/a/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: a}\nspec: {type: team, children: []}\n",
				"teams/b/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: b}\nspec: {type: team, children: []}\n",
				"README.md":                 "not a catalog file",
			},
			root: "**/catalog-info.yaml",
			refs: []string{"group:default/a", "group:default/b"},
		},
		{
			name:   "a glob root that matches nothing",
			files:  map[string]string{"README.md": "x"},
			root:   "*.yaml",
			errors: []string{"*.yaml: no file in the repository matches this pattern"},
		},
		{
			name: "targets outside the repository are refused, and without a reader so are URLs",
			files: map[string]string{
				"a/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [../../etc/passwd, /../etc/passwd, https://example.com/x.yaml]\n",
			},
			root: "a/catalog-info.yaml",
			errors: []string{
				`a/catalog-info.yaml:5:13: spec.targets.0: target "../../etc/passwd" is outside the repository`,
				`spec.targets.1: target "/../etc/passwd" is outside the repository`,
				`spec.targets.2: target https://example.com/x.yaml is a URL`,
			},
		},
		{
			name:   "missing target fails the location, optional presence does not",
			files:  map[string]string{"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  target: ./nope.yaml\n---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: opt}\nspec:\n  presence: optional\n  targets: [./nope2.yaml, ./none/*.yaml]\n"},
			root:   "catalog-info.yaml",
			refs:   []string{"location:default/opt"},
			errors: []string{"catalog-info.yaml:5:11: spec.target: target nope.yaml does not exist in the repository"},
		},
		{
			name:   "broken YAML costs only its own document",
			files:  map[string]string{"c.yaml": component + "---\nkind: [unclosed\n---\n" + strings.Replace(component, "payments", "refunds", 1)},
			root:   "c.yaml",
			refs:   []string{"component:default/payments", "component:default/refunds"},
			errors: []string{"c.yaml:15:7: invalid YAML: sequence end token ']' not found"},
		},
		{
			name:   "unknown kind, missing name, bad name, foreign root field",
			files:  map[string]string{"c.yaml": "apiVersion: x/v1\nkind: Environment\nmetadata: {name: a}\n---\napiVersion: x/v1\nkind: Component\nmetadata: {}\n---\napiVersion: x/v1\nkind: Component\nmetadata:\n  name: -bad-\n---\napiVersion: x/v1\nkind: Component\nmetadata: {name: ok}\nextra: 1\n"},
			root:   "c.yaml",
			errors: []string{`c.yaml:2:7: kind: unknown kind "Environment": no processor recognizes it`, "c.yaml:7:11: metadata.name: is required", `c.yaml:12:9: metadata.name: must be a string that is sequences of [a-zA-Z0-9] separated by any of [-_.]`, "c.yaml:17:1: extra: is not a field of a catalog entity"},
		},
		{
			name:   "kinds are case-sensitive and versioned",
			files:  map[string]string{"c.yaml": "apiVersion: backstage.io/v1alpha1\nkind: component\nmetadata: {name: a}\nspec: {}\n---\napiVersion: backstage.io/v2\nkind: Component\nmetadata: {name: b}\nspec: {}\n"},
			root:   "c.yaml",
			errors: []string{`did you mean "Component"?`, `c.yaml:6:13: apiVersion: kind Component has no apiVersion "backstage.io/v2": use "backstage.io/v1alpha1", "backstage.io/v1beta1"`},
		},
		{
			name:     "the last definition in a file wins, a second file's is refused",
			files:    map[string]string{"c.yaml": component + "---\n" + component, "d.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\nspec: {target: ./c.yaml}\n---\n" + component},
			root:     "d.yaml",
			refs:     []string{"location:default/l", "component:default/payments"},
			errors:   []string{"c.yaml:15: metadata.name: component:default/payments is already defined in d.yaml:6"},
			warnings: []string{"c.yaml:1:1: metadata.name: component:default/payments is defined again at line 15 of this file"},
		},
		{
			name: "placeholders read files of the repository only",
			files: map[string]string{
				"api/openapi.yaml": "openapi: 3.0.0\n",
				"api/c.yaml":       "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: t\n  definition: {$text: ./openapi.yaml}\n---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: b}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: t\n  definition: {$text: ../../secret}\n---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: c}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: t\n  definition: {$text: https://example.com/api}\n",
			},
			root:   "api/c.yaml",
			refs:   []string{"api:default/a"},
			errors: []string{`api/c.yaml:17:15: spec.definition: placeholder $text cannot be read: "../../secret" is outside the repository`, "api/c.yaml:26:15: spec.definition: placeholder $text points at https://example.com/api, and files are not read by URL here"},
		},
		{
			name: "a failed placeholder hides no other error",
			files: map[string]string{
				"c.yaml": "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a, description: {$text: ./gone.md}}\nspec:\n  lifecycle: production\n  definition: {$text: ./gone.yaml}\n",
			},
			root: "c.yaml",
			errors: []string{"c.yaml:3:34: metadata.description: placeholder $text cannot be read: gone.md does not exist in the repository",
				"c.yaml:6:15: spec.definition: placeholder $text cannot be read: gone.yaml does not exist in the repository",
				"c.yaml:5:3: spec.owner: is required", "c.yaml:5:3: spec.type: is required"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := Process(context.Background(), files(tt.files), Options{}, tt.root)
			var refs []string
			for _, p := range res.Entities {
				refs = append(refs, p.Entity.Ref().String())
			}
			if diff := cmp.Diff(tt.refs, refs); diff != "" {
				t.Errorf("refs (-want +got):\n%s", diff)
			}
			checkErrors(t, "error", res.Errors, tt.errors)
			checkErrors(t, "warning", res.Warnings, tt.warnings)
			for src, want := range tt.edgesFor {
				var got []string
				for _, e := range res.Edges {
					if e.Source.String() == src {
						got = append(got, e.Type+" "+e.Target.String())
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("edges of %s (-want +got):\n%s", src, diff)
				}
			}
		})
	}
}

func checkErrors(t *testing.T, what string, got []Error, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d %ss %v, want %d", len(got), what, got, len(want))
	}
	for i, w := range want {
		if g := got[i].Error(); !strings.Contains(g, w) {
			t.Errorf("%s %d = %q, want it to contain %q", what, i, g, w)
		}
	}
}

func TestParseRef(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, kind, ns, want, err string
	}{
		{in: "team-a", kind: "group", ns: "default", want: "group:default/team-a"},
		{in: "user:jane", kind: "group", ns: "ops", want: "user:ops/jane"},
		{in: "Component:Prod/Payments", kind: "", ns: "default", want: "component:prod/payments"},
		{in: "payments", kind: "", ns: "default", err: "has no kind"},
		{in: "", kind: "group", ns: "default", err: "empty"},
		{in: "a:b/c/d", kind: "", ns: "default", want: "a:b/c/d"}, // Backstage: the name is "c/d"
		{in: "ns/a:b", kind: "group", ns: "default", want: "group:ns/a:b"},
		{in: "group:", kind: "", ns: "default", err: "not of the form"},
		{in: ":a", kind: "group", ns: "default", err: "not of the form"},
		{in: "default/", kind: "group", ns: "default", err: "not of the form"},
	}
	for _, tt := range tests {
		r, err := ParseRef(tt.in, tt.kind, tt.ns)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseRef(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || r.String() != tt.want {
			t.Errorf("ParseRef(%q) = %v, %v; want %s", tt.in, r, err, tt.want)
		}
	}
}
