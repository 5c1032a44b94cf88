package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Options.Accepted is given every accepted entity but Locations and those
// the cache gave, in processing order, once; Result then keeps only their
// refs, and is otherwise what a run without it gives.
func TestAcceptedStreamsEntities(t *testing.T) {
	t.Parallel()
	files := MapFiles{"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./svc/*.yaml]}\n"}
	for i := range 700 { // more files than the window
		files[fmt.Sprintf("svc/%03d.yaml", i)] = strings.Replace(component, "payments", fmt.Sprintf("svc-%d", i), 1)
	}
	files["svc/dup.yaml"] = strings.Replace(component, "payments", "svc-3", 1)
	files["svc/bad.yaml"] = "kind: [\n"
	ctx := context.Background()
	want := Process(ctx, files, Options{}, "catalog-info.yaml")
	var got []string
	var edges []Edge
	res := Process(ctx, files, Options{Accepted: func(ps []Processed) {
		for _, p := range ps {
			if p.Entity.Raw == nil {
				t.Errorf("%s handed without its document", p.Entity.Ref())
			}
			got = append(got, p.Entity.Ref().String())
			edges = append(edges, p.Edges...)
		}
	}}, "catalog-info.yaml")
	if len(res.Edges) != 0 {
		t.Errorf("the result kept %d relations of entities it handed", len(res.Edges))
	}
	res.Edges = edges // in the order the result would have them
	// The result keeps no verdict of what it handed (they are valid).
	want.Verdicts = slices.DeleteFunc(want.Verdicts, func(v Verdict) bool { return v.Valid() && v.Kind != "Location" })
	var handed []string
	for _, p := range res.Entities {
		if p.Handed {
			handed = append(handed, p.Entity.Ref().String())
			if p.Entity.Raw != nil {
				t.Errorf("%s kept its document after it was handed", p.Entity.Ref())
			}
		} else if p.Entity.Kind != "Location" {
			t.Errorf("%s was not handed", p.Entity.Ref())
		}
	}
	if diff := cmp.Diff(handed, got); diff != "" {
		t.Errorf("handed (-result +accepted):\n%s", diff)
	}
	if len(got) != 700 {
		t.Errorf("%d entities handed, want 700", len(got))
	}
	if diff := cmp.Diff(summary(want), summary(res)); diff != "" {
		t.Errorf("result (-without +with Accepted):\n%s", diff)
	}
}

// Options.FileState is given every file the run reaches, once, with the
// entry Used would have listed, which the cache then gives up.
func TestFileStateStreamsEntries(t *testing.T) {
	t.Parallel()
	files := MapFiles{"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./svc/*.yaml, ./gone.yaml]}\n"}
	for i := range 300 { // more files than the window
		files[fmt.Sprintf("svc/%03d.yaml", i)] = strings.Replace(component, "payments", fmt.Sprintf("svc-%d", i), 1)
	}
	files["svc/bad.yaml"] = "kind: [\n"
	ctx := context.Background()
	whole := NewFileCache()
	want := Process(ctx, &hashedFiles{MapFiles: files, reads: map[string]int{}}, Options{Cache: whole}, "catalog-info.yaml")
	streamed := NewFileCache()
	var got []CachedFile
	var uncached []string
	res := Process(ctx, &hashedFiles{MapFiles: files, reads: map[string]int{}}, Options{Cache: streamed, FileState: func(file string, entry *CachedFile) {
		if entry == nil {
			uncached = append(uncached, file)
			return
		}
		if entry.File != file {
			t.Errorf("entry of %s given as %s's", entry.File, file)
		}
		got = append(got, *entry)
	}}, "catalog-info.yaml")
	slices.SortFunc(got, func(a, b CachedFile) int { return strings.Compare(a.File, b.File) })
	if diff := cmp.Diff(whole.Used(), got); diff != "" {
		t.Errorf("entries (-Used +FileState):\n%s", diff)
	}
	slices.Sort(uncached)
	if diff := cmp.Diff([]string{"catalog-info.yaml", "gone.yaml"}, uncached); diff != "" {
		t.Errorf("files without an entry (-want +got):\n%s", diff)
	}
	if n := len(streamed.Used()); n != 0 {
		t.Errorf("the cache still lists %d entries it gave", n)
	}
	if diff := cmp.Diff(summary(want), summary(res)); diff != "" {
		t.Errorf("result (-without +with FileState):\n%s", diff)
	}
}
