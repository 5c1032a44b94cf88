package portal

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/techdocs"
)

// TestTypeScriptMirror checks that frontend/src/api/types.ts declares the
// same JSON fields as the DTOs here, so the two cannot drift apart silently.
func TestTypeScriptMirror(t *testing.T) {
	src, err := os.ReadFile("../../frontend/src/api/types.ts")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{Info{}, EntityQuery{}, EntitySummary{}, EntityList{}, Relation{}, Source{}, EntityDetail{}, Location{}, NewLocation{}, Settings{}, ProcessingError{}, CatalogFile{}, FileWrite{}, OutboxEntry{}, ConflictFile{}, FacetCount{}, Identity{}, UserState{}, GraphQuery{}, Graph{}, GraphNode{}, GraphEdge{}, EntityVersion{}, FieldChange{}, SearchQuery{}, SearchResult{}, SearchHit{}, Link{}, OpenRequest{}, DocsEntry{}, DocsSite{}, DocsPage{}, techdocs.NavItem{}, techdocs.Heading{}, PluginInfo{}, PluginConfigField{}, PluginSettings{}, PluginContent{}, ScaffoldRun{}, StepResult{}, OutputLink{}, OutputText{}, ScaffoldFile{}, PublishState{}} {
		typ := reflect.TypeOf(v)
		t.Run(typ.Name(), func(t *testing.T) {
			want := jsonFields(typ)
			got := tsFields(t, string(src), typ.Name())
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(want, got) {
				t.Errorf("Go fields %v, TypeScript fields %v", want, got)
			}
		})
	}
}

func jsonFields(typ reflect.Type) []string {
	var out []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Anonymous {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

var tsField = regexp.MustCompile(`(?m)^\s+(\w+)\??:`)

// tsFields returns the fields of interface name, with those it extends.
func tsFields(t *testing.T, src, name string) []string {
	t.Helper()
	head := regexp.MustCompile(`export interface ` + name + `(?: extends (\w+))? \{([^}]*)\}`).FindStringSubmatch(src)
	if head == nil {
		t.Fatalf("interface %s not in types.ts", name)
	}
	var out []string
	if head[1] != "" {
		out = tsFields(t, src, head[1])
	}
	for _, m := range tsField.FindAllStringSubmatch(head[2], -1) {
		out = append(out, m[1])
	}
	return out
}
