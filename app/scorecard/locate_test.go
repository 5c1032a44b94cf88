package scorecard

import (
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

func TestLocate(t *testing.T) {
	t.Parallel()
	const file = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: svc}
spec: {type: team}
---
# the service
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
  annotations:
    github.com/project-slug: a/b
spec:
  type: service
  lifecycle: deprecated
`
	files := catalog.MapFiles{"svc/catalog-info.yaml": file, "CODEOWNERS": "* @a\n", "svc/Dockerfile": "FROM x:latest\n"}
	tests := []struct {
		name string
		in   CheckOutcome
		want CheckOutcome
	}{
		{"a field present", CheckOutcome{CheckInfo: CheckInfo{Field: "spec.lifecycle"}},
			CheckOutcome{CheckInfo: CheckInfo{Field: "spec.lifecycle"}, Path: "svc/catalog-info.yaml", Line: 15}},
		{"an annotation missing: its mapping's line", CheckOutcome{CheckInfo: CheckInfo{Field: "metadata.annotations.backstage.io/techdocs-ref"}},
			CheckOutcome{CheckInfo: CheckInfo{Field: "metadata.annotations.backstage.io/techdocs-ref"}, Path: "svc/catalog-info.yaml", Line: 12}},
		{"an annotation present", CheckOutcome{CheckInfo: CheckInfo{Field: "metadata.annotations.github.com/project-slug"}},
			CheckOutcome{CheckInfo: CheckInfo{Field: "metadata.annotations.github.com/project-slug"}, Path: "svc/catalog-info.yaml", Line: 12}},
		{"a field under a missing mapping", CheckOutcome{CheckInfo: CheckInfo{Field: "spec.links.0.url"}},
			CheckOutcome{CheckInfo: CheckInfo{Field: "spec.links.0.url"}, Path: "svc/catalog-info.yaml", Line: 14}},
		{"a missing file", CheckOutcome{CheckInfo: CheckInfo{File: "README.md"}},
			CheckOutcome{CheckInfo: CheckInfo{File: "README.md"}, Path: "svc/README.md", Missing: true}},
		{"a file from the root", CheckOutcome{CheckInfo: CheckInfo{File: "/CODEOWNERS"}},
			CheckOutcome{CheckInfo: CheckInfo{File: "/CODEOWNERS"}, Path: "CODEOWNERS"}},
		{"a file that must not match", CheckOutcome{CheckInfo: CheckInfo{File: "Dockerfile"}},
			CheckOutcome{CheckInfo: CheckInfo{File: "Dockerfile"}, Path: "svc/Dockerfile"}},
		{"a passed check", CheckOutcome{CheckInfo: CheckInfo{Field: "spec.type"}, Passed: true},
			CheckOutcome{CheckInfo: CheckInfo{Field: "spec.type"}, Passed: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			scores := []EntityScore{{Checks: []CheckOutcome{tt.in}}}
			Locate(scores, catalog.Ref{Kind: "component", Namespace: "default", Name: "svc"}, "svc/catalog-info.yaml", []byte(file), files)
			if d := gocmp.Diff(tt.want, scores[0].Checks[0]); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
