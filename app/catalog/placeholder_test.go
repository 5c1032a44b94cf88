package catalog

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeRemote answers ReadRemote from a map, counting calls.
type fakeRemote struct {
	mu    sync.Mutex
	files map[string]RemoteFile
	errs  map[string]error
	calls map[string]int
}

func (f *fakeRemote) ReadRemote(_ context.Context, url string) (RemoteFile, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[url]++
	if err := f.errs[url]; err != nil {
		return RemoteFile{}, err
	}
	r, ok := f.files[url]
	if !ok {
		return RemoteFile{}, errors.New("the server answered 404 Not Found")
	}
	return r, nil
}

func api(name, spec string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: " + name + "}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n" + spec
}

func TestRemotePlaceholders(t *testing.T) {
	t.Parallel()
	read := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	remote := &fakeRemote{
		files: map[string]RemoteFile{
			"https://specs.example/a.yaml":                         {Data: []byte("openapi: 3.0.0\n"), ReadAt: read},
			"https://specs.example/b.json":                         {Data: []byte(`{"openapi": "3.1.0"}`), ReadAt: read.Add(-3 * time.Hour), Stale: "specs.example cannot be reached"},
			"https://github.com/org/repo/blob/main/local/spec.txt": {Path: "local/spec.txt"},
		},
		errs: map[string]error{"https://specs.example/gone.yaml": errors.New("the server answered 404 Not Found")},
	}
	files := MapFiles{
		"local/spec.txt": "from the clone\n",
		"c.yaml": api("fresh", "  definition: {$text: https://specs.example/a.yaml}\n") + "---\n" +
			api("stale", "  definition: {$text: https://specs.example/b.json}\n  x: {$json: https://specs.example/b.json}\n") + "---\n" +
			api("local", "  definition: {$text: https://github.com/org/repo/blob/main/local/spec.txt}\n") + "---\n" +
			"apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: gone}\nspec:\n  lifecycle: production\n  definition: {$text: https://specs.example/gone.yaml}\n",
	}
	res := Process(context.Background(), files, Options{Remote: remote}, "c.yaml")
	got := map[string]*Remote{}
	defs := map[string]any{}
	for _, p := range res.Entities {
		got[p.Entity.Metadata.Name] = p.Remote
		defs[p.Entity.Metadata.Name] = p.Entity.Spec["definition"]
	}
	want := map[string]*Remote{
		"fresh": {URLs: []string{"https://specs.example/a.yaml"}, ReadAt: read},
		"stale": {URLs: []string{"https://specs.example/b.json"}, ReadAt: read.Add(-3 * time.Hour), Stale: "https://specs.example/b.json: specs.example cannot be reached"},
		"local": nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("remote parts (-want +got):\n%s", diff)
	}
	if defs["local"] != "from the clone\n" || defs["fresh"] != "openapi: 3.0.0\n" {
		t.Errorf("definitions = %v", defs)
	}
	checkErrors(t, "error", res.Errors, []string{
		"c.yaml:34:15: spec.definition: placeholder $text cannot read https://specs.example/gone.yaml: the server answered 404 Not Found",
		"c.yaml:33:3: spec.owner: is required", "c.yaml:33:3: spec.type: is required",
	})
	if remote.calls["https://specs.example/b.json"] != 2 {
		t.Errorf("calls = %v", remote.calls)
	}
	if res := Process(context.Background(), files, Options{}, "c.yaml"); len(res.Entities) != 0 {
		t.Errorf("without a reader, %d entities with URL placeholders were accepted", len(res.Entities))
	}
}

// A failed placeholder is taken out; the steps after it must not trip
// over what is missing, wherever it was.
func TestFailedPlaceholdersAnywhere(t *testing.T) {
	t.Parallel()
	bad := "{$text: ./missing.txt}"
	for name, doc := range map[string]string{
		"a tag":           "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n  tags: [go, " + bad + "]\nspec: {type: service, lifecycle: production, owner: team}\n",
		"a label":         "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n  labels: {a: " + bad + "}\nspec: {type: service, lifecycle: production, owner: team}\n",
		"a link":          "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n  links: [{url: " + bad + "}]\nspec: {type: service, lifecycle: production, owner: team}\n",
		"the owner":       "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c}\nspec: {type: service, lifecycle: production, owner: " + bad + "}\n",
		"a dependency":    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c}\nspec: {type: service, lifecycle: production, owner: team, dependsOn: [" + bad + "]}\n",
		"the whole spec":  "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c}\nspec: " + bad + "\n",
		"a target":        "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\nspec: {targets: [" + bad + ", ./x.yaml]}\n",
		"the target":      "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\nspec: {target: " + bad + "}\n",
		"template steps":  "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec: {type: service, steps: " + bad + "}\n",
		"an annotation":   "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n  annotations: {a: " + bad + "}\nspec: {type: service, lifecycle: production, owner: team}\n",
		"a group's child": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g}\nspec: {type: team, children: [" + bad + "]}\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := Process(context.Background(), MapFiles{"c.yaml": doc}, Options{}, "c.yaml")
			if len(res.Entities) != 0 || len(res.Errors) == 0 || !strings.Contains(res.Errors[0].Message, "missing.txt does not exist") {
				t.Errorf("entities %d, errors %v", len(res.Entities), res.Errors)
			}
		})
	}
}

// A file whose placeholders read URLs is reused only while every URL
// gives what it gave (each is asked again): the same bytes, and a kept
// copy again if it was one (its entity says so, and no more once read).
func TestRemotePlaceholdersInTheFileCache(t *testing.T) {
	t.Parallel()
	url := "https://specs.example/a.yaml"
	remote := &fakeRemote{files: map[string]RemoteFile{url: {Data: []byte("a")}}}
	files := &hashedFiles{MapFiles: MapFiles{
		"remote.yaml": api("r", "  definition: {$text: "+url+"}\n"),
		"local.yaml":  api("l", "  definition: spec\n"),
		"root.yaml":   "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./remote.yaml, ./local.yaml]}\n",
	}, reads: map[string]int{}}
	cache := NewFileCache()
	steps := []struct {
		name   string
		serve  RemoteFile
		reused bool
	}{
		{"first", RemoteFile{Data: []byte("a")}, false},
		{"unchanged", RemoteFile{Data: []byte("a")}, true},
		{"changed", RemoteFile{Data: []byte("b")}, false},
		{"a kept copy", RemoteFile{Data: []byte("b"), Stale: "down"}, false},
		{"a kept copy again", RemoteFile{Data: []byte("b"), Stale: "down"}, true},
		{"read again", RemoteFile{Data: []byte("b")}, false},
		{"unchanged again", RemoteFile{Data: []byte("b")}, true},
	}
	for i, step := range steps {
		remote.mu.Lock()
		remote.files[url] = step.serve
		remote.mu.Unlock()
		before := files.reads["remote.yaml"]
		res := Process(context.Background(), files, Options{Cache: cache, Remote: remote}, "root.yaml")
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		var reused bool
		for _, p := range res.Entities {
			if p.Entity.Metadata.Name == "r" {
				reused = p.Reused
			}
		}
		if reused != step.reused || (files.reads["remote.yaml"] == before) != step.reused {
			t.Errorf("step %d (%s): reused %v, read %d times; want reused %v", i, step.name, reused, files.reads["remote.yaml"]-before, step.reused)
		}
	}
	if remote.calls[url] < len(steps) || files.reads["local.yaml"] != 1 {
		t.Errorf("remote calls %v, reads %v", remote.calls, files.reads)
	}
}
