package catalog

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeRouter routes target URLs by prefix: into this repository
// (https://git.example/org/home/blob/main/), into other repositories
// (https://git.example/), refused (https://refused.example/), or read by
// URL (anything else, rooted at https://files.example/).
type fakeRouter struct{}

func (fakeRouter) RouteTarget(_ context.Context, u string) (Route, error) {
	switch {
	case strings.HasPrefix(u, "https://git.example/org/home/blob/main/"):
		return Route{Path: strings.TrimPrefix(u, "https://git.example/org/home/blob/main/")}, nil
	case strings.HasPrefix(u, "https://git.example/"):
		return Route{External: true}, nil
	case strings.HasPrefix(u, "https://refused.example/"):
		return Route{}, errors.New("refused.example is not a host Callboard reads files from")
	}
	return Route{Root: "https://files.example/"}, nil
}

func group(name string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: " + name + "}\nspec: {type: team, children: []}\n"
}

func location(name string, targets ...string) string {
	return fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: %s}\nspec:\n  targets: [%s]\n", name, strings.Join(targets, ", "))
}

func TestURLTargets(t *testing.T) {
	t.Parallel()
	read := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	notFound := notFoundError{}
	remote := &fakeRemote{
		files: map[string]RemoteFile{
			// A file read by URL: its relative paths are URLs too.
			"https://files.example/teams/all.yaml": {ReadAt: read, Data: []byte(location("teams", "a.yaml", "/b.yaml", "./sub/../c.yaml", "https://git.example/org/home/blob/main/local.yaml", "gone.yaml") +
				"---\n" + api("remote-api", "  definition: {$text: ./spec.yaml}\n"))},
			"https://files.example/teams/a.yaml":    {ReadAt: read, Data: []byte(group("a"))},
			"https://files.example/b.yaml":          {ReadAt: read.Add(-time.Hour), Data: []byte(group("b")), Stale: "files.example cannot be reached"},
			"https://files.example/teams/c.yaml":    {ReadAt: read, Data: []byte(group("c"))},
			"https://files.example/teams/spec.yaml": {ReadAt: read, Data: []byte("openapi: 3.0.0\n")},
			// A query is not a pattern.
			"https://files.example/d.yaml?ref=main": {ReadAt: read, Data: []byte(group("d"))},
		},
		errs: map[string]error{"https://files.example/teams/gone.yaml": notFound},
	}
	files := MapFiles{
		"catalog-info.yaml": location("root",
			"https://git.example/org/svc/blob/main/catalog-info.yaml",
			"https://files.example/teams/all.yaml",
			"https://refused.example/x.yaml",
			"https://files.example/*.yaml",
			"https://git.example/org/home/blob/main/teams/*.yaml",
			`"https://files.example/d.yaml?ref=main"`),
		"local.yaml":   group("local"),
		"teams/x.yaml": group("x"),
	}
	res := Process(context.Background(), files, Options{Remote: remote, Targets: fakeRouter{}}, "catalog-info.yaml")

	sources := map[string]string{}
	remotes := map[string]*Remote{}
	for _, p := range res.Entities {
		ref := p.Entity.Ref().String()
		sources[ref] = p.Source.File + " " + p.Entity.Metadata.Annotations[AnnotationLocation]
		remotes[ref] = p.Remote
	}
	wantSources := map[string]string{
		"group:default/x":        "teams/x.yaml file:teams/x.yaml",
		"group:default/a":        "https://files.example/teams/a.yaml url:https://files.example/teams/a.yaml",
		"group:default/b":        "https://files.example/b.yaml url:https://files.example/b.yaml",
		"group:default/c":        "https://files.example/teams/c.yaml url:https://files.example/teams/c.yaml",
		"group:default/local":    "local.yaml file:local.yaml",
		"group:default/d":        "https://files.example/d.yaml?ref=main url:https://files.example/d.yaml?ref=main",
		"api:default/remote-api": "https://files.example/teams/all.yaml url:https://files.example/teams/all.yaml",
	}
	if diff := cmp.Diff(wantSources, sources); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	if r := remotes["group:default/b"]; r == nil || r.Stale != "https://files.example/b.yaml: files.example cannot be reached" || !r.ReadAt.Equal(read.Add(-time.Hour)) {
		t.Errorf("a file read from the cache: remote %+v", r)
	}
	if r := remotes["api:default/remote-api"]; r == nil || len(r.URLs) != 2 {
		t.Errorf("an entity read by URL with a placeholder beside it: remote %+v", r)
	}
	if remotes["group:default/x"] != nil {
		t.Errorf("a file of this repository has remote parts: %+v", remotes["group:default/x"])
	}
	wantExternal := []ExternalTarget{{URL: "https://git.example/org/svc/blob/main/catalog-info.yaml", Location: "location:default/root",
		At: Error{File: "catalog-info.yaml", Line: 5, Column: 13, Field: "spec.targets.0"}}}
	if diff := cmp.Diff(wantExternal, res.External); diff != "" {
		t.Errorf("external targets (-want +got):\n%s", diff)
	}
	checkErrors(t, "error", res.Errors, []string{
		"catalog-info.yaml:5:108: spec.targets.2: target https://refused.example/x.yaml is not followed: refused.example is not a host",
		"catalog-info.yaml:5:140: spec.targets.3: target https://files.example/*.yaml is a pattern, and the files of a server cannot be listed",
		"https://files.example/teams/all.yaml:5:98: spec.targets.4: target https://files.example/teams/gone.yaml cannot be read: the server answered 404 Not Found",
	})
}

func TestURLTargetsWithoutARouter(t *testing.T) {
	t.Parallel()
	files := MapFiles{"catalog-info.yaml": location("root", "https://git.example/org/svc/blob/main/catalog-info.yaml", "./a.yaml"), "a.yaml": group("a")}
	res := Process(context.Background(), files, Options{}, "catalog-info.yaml")
	if len(res.Entities) != 1 || res.Entities[0].Entity.Metadata.Name != "a" || len(res.External) != 0 {
		t.Errorf("entities %v, external %v; want group a alone", res.Entities, res.External)
	}
	checkErrors(t, "error", res.Errors, []string{"spec.targets.0: target https://git.example/org/svc/blob/main/catalog-info.yaml is a URL, and targets are not followed by URL here"})
}

func TestResolveURL(t *testing.T) {
	t.Parallel()
	const base = "https://github.com/o/r/blob/main/sub/c.yaml"
	const root = "https://github.com/o/r/blob/main/"
	tests := []struct{ base, root, ref, want, err string }{
		{base, root, "a.yaml", "https://github.com/o/r/blob/main/sub/a.yaml", ""},
		{base, root, "./x/../a.yaml", "https://github.com/o/r/blob/main/sub/a.yaml", ""},
		{base, root, "../a.yaml", "https://github.com/o/r/blob/main/a.yaml", ""},
		{base, root, "/a.yaml", "https://github.com/o/r/blob/main/a.yaml", ""},
		{base, root, `sub\a.yaml#frag`, "https://github.com/o/r/blob/main/sub/sub/a.yaml", ""},
		{"https://example.com/c.yaml?x=1", "", "a.yaml?y=2", "https://example.com/a.yaml?x=1", ""},
		{"https://example.com/c.yaml", "", "/a.yaml", "", "in no repository"},
	}
	for _, tc := range tests {
		got, err := resolveURL(tc.base, tc.root, tc.ref)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("resolveURL(%q, %q, %q) = %q, %v; want %q, %q", tc.base, tc.root, tc.ref, got, err, tc.want, tc.err)
		}
	}
}

// notFoundError is a server's 404, as readers report it.
type notFoundError struct{}

func (notFoundError) Error() string        { return "the server answered 404 Not Found" }
func (notFoundError) Is(target error) bool { return target == fs.ErrNotExist }
