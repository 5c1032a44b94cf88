package catalog

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var entryCmp = cmp.Options{cmp.AllowUnexported(cacheEntry{}, fileResult{}, pending{}, job{}, targetAt{}), cmpopts.EquateEmpty(),
	cmpopts.IgnoreFields(cacheEntry{}, "used", "stored")}

func TestCacheEntryRoundTrip(t *testing.T) {
	t.Parallel()
	self := Ref{Kind: "Component", Namespace: "default", Name: "a"}
	tests := map[string]*cacheEntry{
		"empty file": {hash: "h", locs: [2]string{"url:x", "url:y"}, deps: map[string]string{}},
		"file errors": {hash: "h", deps: map[string]string{"d.yaml": "dh"},
			result: fileResult{errs: []Error{{File: "a.yaml", Line: 3, Column: -1, Field: "f", Message: "invalid YAML: bad"}}}},
		"entities": {hash: "h", locs: [2]string{"url:https://host/r/blob/main/a.yaml", "url:https://host/r/blob/main/catalog-info.yaml"},
			deps: map[string]string{"openapi.yaml": "x"}, urls: map[string]string{"https://specs/a": "\x00\xffsum\x00kept"},
			result: fileResult{items: []*pending{
				{enveloped: true, ok: true, verdict: Verdict{Ref: "component:default/a", Kind: "Component", Source: Source{File: "a.yaml", Line: 1, Column: 1}},
					entity: Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Component", Metadata: Metadata{Name: "a", Namespace: "default"}},
					edges:  []Edge{{Source: self, Type: RelOwnedBy, Target: Ref{Kind: "group", Namespace: "default", Name: "t"}}},
					remote: &Remote{URLs: []string{"https://specs/a"}, ReadAt: time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600)), Stale: "server down"}},
				{enveloped: true, verdict: Verdict{Ref: "component:default/b", Kind: "Component", Source: Source{File: "a.yaml", Line: 9},
					Errors: []Error{{File: "a.yaml", Line: 12, Field: "spec.owner", Message: "is required", Entity: "component:default/b"}}}},
				{verdict: Verdict{Kind: "Component", Source: Source{File: "a.yaml", Line: 20}}},
			}}},
	}
	for name, e := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeEntry(encodeEntry(e))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(e, got, entryCmp); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCacheEntryRefused(t *testing.T) {
	t.Parallel()
	good := encodeEntry(&cacheEntry{hash: "h", result: fileResult{items: []*pending{{ok: true, verdict: Verdict{Ref: "a"}}}}})
	tests := map[string][]byte{
		"empty":         nil,
		"other version": append([]byte{2}, good[1:]...),
		"cut short":     good[:len(good)-1],
		"trailing":      append(good[:len(good):len(good)], 0),
		"huge count":    {1, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := decodeEntry(b); !errors.Is(err, errCacheEntry) {
				t.Errorf("decode = %v, want errCacheEntry", err)
			}
		})
	}
}

// FuzzDecodeCacheEntry: entries come from the store, which another
// version or a damaged disk may have written; decoding never panics, and
// what it accepts encodes to the same entry.
func FuzzDecodeCacheEntry(f *testing.F) {
	f.Add(encodeEntry(&cacheEntry{hash: "h", deps: map[string]string{"a": "b"}, result: fileResult{items: []*pending{{ok: true, enveloped: true,
		verdict: Verdict{Ref: "component:default/a", Errors: []Error{{File: "f", Line: 1}}}, remote: &Remote{URLs: []string{"u"}},
		edges: []Edge{{Type: "t"}}}}}}))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEntry(b)
		if err != nil {
			return
		}
		again, err := decodeEntry(encodeEntry(e))
		if err != nil {
			t.Fatalf("re-encoded entry refused: %v", err)
		}
		if diff := cmp.Diff(e, again, entryCmp); diff != "" {
			t.Errorf("re-encoded entry differs:\n%s", diff)
		}
	})
}

// A cache saved by one process and loaded by the next reuses every
// unchanged file, with the same verdicts as processing from scratch.
func TestFileCacheLoad(t *testing.T) {
	t.Parallel()
	files := &hashedFiles{reads: map[string]int{}, MapFiles: MapFiles{
		"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./a.yaml, ./b.yaml, ./api.yaml, ./bad.yaml]}\n",
		"a.yaml":            strings.Replace(component, "payments", "alpha", 1),
		"b.yaml":            strings.Replace(component, "payments", "beta", 1) + "---\n" + strings.Replace(component, "payments", "gamma", 1),
		"api.yaml":          "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: api}\nspec: {type: openapi, lifecycle: production, owner: t, definition: {$text: ./openapi.yaml}}\n",
		"openapi.yaml":      "openapi: 3.0.0\n",
		"bad.yaml":          "kind: [\n",
	}}
	uncached := summary(Process(context.Background(), files.MapFiles, Options{}, "catalog-info.yaml"))
	first := NewFileCache()
	Process(context.Background(), files, Options{Cache: first}, "catalog-info.yaml")
	saved := first.Used()
	first.Saved()

	next := NewFileCache()
	for _, f := range saved {
		next.Load(f.File, f.Data)
	}
	next.Load("gone.yaml", []byte("written by another version"))
	clear(files.reads)
	res := Process(context.Background(), files, Options{Cache: next}, "catalog-info.yaml")
	if diff := cmp.Diff(uncached, summary(res)); diff != "" {
		t.Errorf("loaded cache differs (-uncached +loaded):\n%s", diff)
	}
	if want := map[string]int{"catalog-info.yaml": 1}; !cmp.Equal(files.reads, want) {
		t.Errorf("reads = %v, want %v", files.reads, want)
	}
	if reused, processed := next.Stats(); reused != 4 || processed != 1 {
		t.Errorf("stats: %d reused, %d processed; want 4 and the Location file", reused, processed)
	}
	for _, f := range next.Used() {
		if f.Data != nil {
			t.Errorf("%s: unchanged and loaded, yet to be saved again", f.File)
		}
	}

	// A file no Location reaches any more leaves the cache once saved.
	files.MapFiles["catalog-info.yaml"] = strings.Replace(files.MapFiles["catalog-info.yaml"], ", ./b.yaml", "", 1)
	files.MapFiles["a.yaml"] += "# edited\n"
	Process(context.Background(), files, Options{Cache: next}, "catalog-info.yaml")
	var got []string
	for _, f := range next.Used() {
		got = append(got, f.File)
		if (f.Data != nil) != (f.File == "a.yaml") {
			t.Errorf("%s: Data %d bytes; only the edited a.yaml is to be saved", f.File, len(f.Data))
		}
	}
	if want := []string{"a.yaml", "api.yaml", "bad.yaml"}; !cmp.Equal(got, want) {
		t.Errorf("used = %v, want %v", got, want)
	}
	next.Saved()
	if _, ok := next.entries["b.yaml"]; ok {
		t.Error("b.yaml is still cached after a run that did not reach it was saved")
	}
}
