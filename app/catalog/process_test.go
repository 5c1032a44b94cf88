package catalog

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func files(m map[string]string) fstest.MapFS {
	fs := fstest.MapFS{}
	for k, v := range m {
		fs[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return fs
}

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
		edgesFor map[string][]string
	}{
		{
			name:  "single component with relations both ways",
			files: map[string]string{"catalog-info.yaml": component},
			root:  "catalog-info.yaml",
			refs:  []string{"component:default/payments"},
			edgesFor: map[string][]string{
				"component:default/payments": {"ownedBy group:default/team-a", "partOf system:default/billing", "providesApi api:default/payments-api", "dependsOn resource:default/payments-db"},
				"group:default/team-a":       {"ownerOf component:default/payments"},
				"api:default/payments-api":   {"apiProvidedBy component:default/payments"},
			},
		},
		{
			name: "location follows relative targets and reads a file once",
			files: map[string]string{
				"catalog-info.yaml":     "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [./svc/catalog-info.yaml, svc/../svc/catalog-info.yaml]\n",
				"svc/catalog-info.yaml": component + "---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: back}\nspec:\n  target: ../catalog-info.yaml\n",
			},
			root: "catalog-info.yaml",
			refs: []string{"location:default/root", "component:default/payments", "location:default/back"},
		},
		{
			name: "targets outside the repository or as URLs are refused",
			files: map[string]string{
				"a/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [../../etc/passwd, /etc/passwd, https://example.com/x.yaml]\n",
			},
			root:   "a/catalog-info.yaml",
			refs:   []string{"location:default/root"},
			errors: []string{`a/catalog-info.yaml:1: spec.targets: target "../../etc/passwd" is outside the repository`, `target "/etc/passwd" is outside`, `is a URL`},
		},
		{
			name:   "missing target file",
			files:  map[string]string{"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  target: ./nope.yaml\n"},
			root:   "catalog-info.yaml",
			refs:   []string{"location:default/root"},
			errors: []string{"nope.yaml: cannot read file"},
		},
		{
			name:  "broken YAML names the line and keeps earlier documents",
			files: map[string]string{"c.yaml": component + "---\nkind: [unclosed\n"},
			root:  "c.yaml",
			refs:  []string{"component:default/payments"},
			// yaml.v3 reports a flow collection left open one line early.
			errors: []string{"c.yaml:14: invalid YAML"},
		},
		{
			name:   "unknown kind, missing name, bad name, foreign root field",
			files:  map[string]string{"c.yaml": "apiVersion: x/v1\nkind: Gizmo\nmetadata: {name: a}\n---\napiVersion: x/v1\nkind: Component\nmetadata: {}\n---\napiVersion: x/v1\nkind: Component\nmetadata:\n  name: -bad-\n---\napiVersion: x/v1\nkind: Component\nmetadata: {name: ok}\nextra: 1\n"},
			root:   "c.yaml",
			errors: []string{`c.yaml:2: kind: unknown kind "Gizmo"`, "c.yaml:7: metadata.name: is required", `c.yaml:12: metadata.name: "-bad-" is not a valid name`, "c.yaml:17: extra: unknown root field"},
		},
		{
			name:   "duplicate entity in one location",
			files:  map[string]string{"c.yaml": component + "---\n" + component},
			root:   "c.yaml",
			refs:   []string{"component:default/payments"},
			errors: []string{"c.yaml:15: metadata.name: component:default/payments is already defined at c.yaml:1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := Process(context.Background(), files(tt.files), tt.root)
			var refs []string
			for _, p := range res.Entities {
				refs = append(refs, p.Entity.Ref().String())
			}
			if diff := cmp.Diff(tt.refs, refs); diff != "" {
				t.Errorf("refs (-want +got):\n%s", diff)
			}
			if len(res.Errors) != len(tt.errors) {
				t.Fatalf("got %d errors %v, want %d", len(res.Errors), res.Errors, len(tt.errors))
			}
			for i, want := range tt.errors {
				if got := res.Errors[i].Error(); !strings.Contains(got, want) {
					t.Errorf("error %d = %q, want it to contain %q", i, got, want)
				}
			}
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
		{in: "a:b/c/d", kind: "", ns: "default", err: "not of the form"},
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
