package catalog

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hashedFiles is MapFiles with content hashes, counting reads.
type hashedFiles struct {
	MapFiles
	mu    sync.Mutex
	reads map[string]int
}

func (h *hashedFiles) Hash(name string) string {
	s, ok := h.MapFiles[name]
	if !ok {
		return ""
	}
	return fmt.Sprintf("%x", sha256.Sum256([]byte(s)))
}

func (h *hashedFiles) ReadFile(name string) ([]byte, error) {
	h.mu.Lock()
	h.reads[name]++
	h.mu.Unlock()
	return h.MapFiles.ReadFile(name)
}

func summary(res Result) []string {
	var out []string
	for _, v := range res.Verdicts {
		out = append(out, fmt.Sprintf("%s valid=%v", v.Ref, v.Valid()))
	}
	for _, e := range res.Edges {
		out = append(out, e.String())
	}
	for _, e := range res.Errors {
		out = append(out, e.Error())
	}
	return out
}

func TestFileCache(t *testing.T) {
	t.Parallel()
	files := &hashedFiles{reads: map[string]int{}, MapFiles: MapFiles{
		"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./a.yaml, ./b.yaml, ./api.yaml]}\n",
		"a.yaml":            strings.Replace(component, "payments", "alpha", 1),
		"b.yaml":            strings.Replace(component, "payments", "beta", 1) + "---\n" + strings.Replace(component, "payments", "alpha", 1),
		"api.yaml":          "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: api}\nspec: {type: openapi, lifecycle: production, owner: t, definition: {$text: ./openapi.yaml}}\n",
		"openapi.yaml":      "openapi: 3.0.0\n",
	}}
	cache := NewFileCache()
	run := func() Result {
		return Process(context.Background(), files, Options{Cache: cache}, "catalog-info.yaml")
	}
	uncached := func() []string {
		return summary(Process(context.Background(), files.MapFiles, Options{}, "catalog-info.yaml"))
	}
	first := run()
	if diff := cmp.Diff(uncached(), summary(first)); diff != "" {
		t.Fatalf("cached processing differs (-uncached +cached):\n%s", diff)
	}
	clear(files.reads)
	if diff := cmp.Diff(uncached(), summary(run())); diff != "" {
		t.Errorf("second run differs (-uncached +cached):\n%s", diff)
	}
	clear(files.reads)
	run()
	// b.yaml repeats alpha: a file with a duplicate is read on every run.
	if want := map[string]int{"catalog-info.yaml": 1, "b.yaml": 1}; !cmp.Equal(files.reads, want) {
		t.Errorf("reads with nothing changed = %v: want %v", files.reads, want)
	}

	// A placeholder's file changes: the file using it is judged again.
	files.MapFiles["openapi.yaml"] = "openapi: 3.1.0\n"
	clear(files.reads)
	res := run()
	if files.reads["api.yaml"] != 1 || files.reads["a.yaml"] != 0 {
		t.Errorf("reads after the definition changed = %v", files.reads)
	}
	for _, p := range res.Entities {
		if p.Entity.Metadata.Name == "api" && p.Entity.Spec["definition"] != "openapi: 3.1.0\n" {
			t.Errorf("definition = %q", p.Entity.Spec["definition"])
		}
	}
	// A duplicate resolved by merge must not leak into the cache: the same
	// answer on every run.
	if diff := cmp.Diff(uncached(), summary(run())); diff != "" {
		t.Errorf("after changes (-uncached +cached):\n%s", diff)
	}
	// The first definition goes: the second file, unchanged, gives its
	// entity whole, as the store holds the first file's record of it.
	files.MapFiles["a.yaml"] = strings.Replace(component, "payments", "gamma", 1)
	for _, p := range run().Entities {
		if p.Entity.Metadata.Name == "alpha" && (p.Reused || p.Source.File != "b.yaml") {
			t.Errorf("alpha after a.yaml dropped it: reused %v, from %s", p.Reused, p.Source.File)
		}
	}
	if diff := cmp.Diff(uncached(), summary(run())); diff != "" {
		t.Errorf("after the first definition went (-uncached +cached):\n%s", diff)
	}
	// A different location ref is a different cache entry.
	other := Process(context.Background(), files, Options{Cache: cache, LocationRef: func(f string) string { return "url:https://elsewhere/" + f }}, "catalog-info.yaml")
	for _, p := range other.Entities {
		if got := p.Entity.Metadata.Annotations[AnnotationLocation]; !strings.HasPrefix(got, "url:https://elsewhere/") {
			t.Errorf("%s: %s = %q from a stale cache entry", p.Entity.Ref(), AnnotationLocation, got)
		}
	}
}
