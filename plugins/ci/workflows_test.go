package ci

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/gittest"
)

// Workflow files of the test repository, one per form of on:.
var (
	ciYAML = `name: CI
on: push
jobs:
  build:
    name: Build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
  test:
    runs-on: ubuntu-latest
    steps:
      - run: go test ./...
`
	releaseYAML = `name: Release
on: [push, workflow_dispatch]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: make release
`
	nightlyYAML = `on:
  schedule:
    - cron: "0 3 * * *"
  push:
    branches: [main, "release/*"]
    paths-ignore: ["docs/**"]
  workflow_dispatch:
jobs:
  e2e:
    runs-on: ubuntu-latest
    steps:
      - run: make e2e
`
	brokenYAML = `name: Broken
on: push
jobs:
  build:
    runs-on: ubuntu-latest
   steps:
      - run: make
`
)

// wantWorkflows are the workflows of the first commit of workflowRepo.
var wantWorkflows = []workflow{
	{Path: ".github/workflows/broken.yml", Name: "broken.yml", Problem: ".github/workflows/broken.yml:6:4: value is not allowed in this context"},
	{Path: ".github/workflows/ci.yml", Name: "CI", Triggers: []string{"push"}, Jobs: []string{"Build", "test"}},
	{Path: ".github/workflows/nightly.yml", Name: "nightly.yml", Triggers: []string{"schedule (0 3 * * *)", "push (main, release/*)", "workflow_dispatch"}, Jobs: []string{"e2e"}},
	{Path: ".github/workflows/release.yaml", Name: "Release", Triggers: []string{"push", "workflow_dispatch"}, Jobs: []string{"publish"}},
}

// workflowRepo builds a repository with workflows in every form and a
// second commit that changes one and deletes another, and returns its bare
// clone (as the app passes it) and the two commits.
func workflowRepo(t *testing.T) (bare, first, second string) {
	t.Helper()
	src := gittest.New(t)
	first = src.Commit("workflows", map[string][]byte{
		"catalog-info.yaml":                 []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\n"),
		"src/main.go":                       []byte("package main\n"),
		".github/workflows/ci.yml":          []byte(ciYAML),
		".github/workflows/release.yaml":    []byte(releaseYAML),
		".github/workflows/nightly.yml":     []byte(nightlyYAML),
		".github/workflows/broken.yml":      []byte(brokenYAML),
		".github/workflows/README.md":       []byte("# Workflows\n"),
		".github/workflows/sub/nested.yml":  []byte("on: push\njobs: {a: {}}\n"),
		".github/dependabot.yml":            []byte("version: 2\n"),
		"docs/.github/workflows/not-it.yml": []byte("on: push\n"),
	})
	second = src.Commit("rename CI, drop release", map[string][]byte{
		".github/workflows/ci.yml":       []byte("name: CI 2\non: pull_request\njobs:\n  build: {runs-on: ubuntu-latest}\n"),
		".github/workflows/release.yaml": nil,
	})
	bare = filepath.Join(t.TempDir(), "payments.git")
	if _, err := git.PlainClone(bare, true, &git.CloneOptions{URL: src.Dir}); err != nil {
		t.Fatalf("bare clone: %v", err)
	}
	return bare, first, second
}

func TestReadWorkflows(t *testing.T) {
	t.Parallel()
	bare, first, second := workflowRepo(t)
	wantSecond := []workflow{
		wantWorkflows[0],
		{Path: ".github/workflows/ci.yml", Name: "CI 2", Triggers: []string{"pull_request"}, Jobs: []string{"build"}},
		wantWorkflows[2],
	}
	for _, tc := range []struct {
		name, commit, wantCommit string
		want                     []workflow
	}{
		{"first commit", first, first, wantWorkflows},
		{"second commit", second, second, wantSecond},
		{"HEAD", "", second, wantSecond},
		{"revision", "HEAD~1", first, wantWorkflows},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, commit, err := readWorkflows(context.Background(), bare, tc.commit)
			if err != nil {
				t.Fatalf("readWorkflows: %v", err)
			}
			if commit != tc.wantCommit {
				t.Errorf("commit = %s, want %s", commit, tc.wantCommit)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("workflows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadWorkflowsWithout(t *testing.T) {
	t.Parallel()
	src := gittest.New(t)
	commit := src.Commit("no workflows", map[string][]byte{"README.md": []byte("hi\n"), ".github/CODEOWNERS": []byte("* @acme\n")})

	got, _, err := readWorkflows(context.Background(), src.Dir, commit)
	if err != nil || got != nil {
		t.Errorf("no .github/workflows: got %v, %v; want none, no error", got, err)
	}
	if _, _, err := readWorkflows(context.Background(), src.Dir, "0123456789012345678901234567890123456789"); err == nil {
		t.Error("unknown commit: no error")
	}
	if _, _, err := readWorkflows(context.Background(), t.TempDir(), ""); err == nil {
		t.Error("not a repository: no error")
	}
}

func TestParseWorkflow(t *testing.T) {
	t.Parallel()
	const p = ".github/workflows/w.yml"
	for _, tc := range []struct {
		name, yaml string
		want       workflow
	}{
		{"string on", "name: A\non: push\njobs:\n  a: {}\n",
			workflow{Name: "A", Triggers: []string{"push"}, Jobs: []string{"a"}}},
		{"list on", "on: [push, pull_request]\njobs:\n  a: {}\n  b: {name: Bee}\n",
			workflow{Name: "w.yml", Triggers: []string{"push", "pull_request"}, Jobs: []string{"a", "Bee"}}},
		{"block list on", "on:\n  - push\n  - release\njobs: {a: {}}\n",
			workflow{Name: "w.yml", Triggers: []string{"push", "release"}, Jobs: []string{"a"}}},
		{"map on", "on:\n  pull_request:\n    branches: main\n    types: [opened]\n  schedule:\n    - cron: '*/5 * * * *'\n    - cron: '0 0 * * 0'\n  workflow_call:\njobs: {a: {}}\n",
			workflow{Name: "w.yml", Triggers: []string{"pull_request (main)", "schedule (*/5 * * * *, 0 0 * * 0)", "workflow_call"}, Jobs: []string{"a"}}},
		{"anchors", "x: &ev [push]\non: *ev\njobs: {a: {}}\n",
			workflow{Name: "w.yml", Triggers: []string{"push"}, Jobs: []string{"a"}}},
		{"quoted on", "\"on\": push\njobs: {a: {}}\n",
			workflow{Name: "w.yml", Triggers: []string{"push"}, Jobs: []string{"a"}}},
		{"no on", "jobs: {a: {}}\n",
			workflow{Name: "w.yml", Jobs: []string{"a"}, Problem: p + ": no on: (the events that run it)"}},
		{"empty on", "name: A\non:\njobs: {a: {}}\n",
			workflow{Name: "A", Jobs: []string{"a"}, Problem: p + ":2: on: names no event"}},
		{"no jobs", "on: push\n",
			workflow{Name: "w.yml", Triggers: []string{"push"}, Problem: p + ": no jobs:"}},
		{"empty file", "",
			workflow{Name: "w.yml", Problem: p + ": empty file"}},
		{"not a mapping", "- push\n",
			workflow{Name: "w.yml", Problem: p + ":1: the workflow is not a mapping"}},
		{"tab", "on: push\njobs:\n\tbuild: {}\n",
			workflow{Name: "w.yml", Problem: p + ":3:1: found character '\t' that cannot start any token"}},
		{"unclosed list", "on: push\njobs:\n  build:\n    steps: [\n",
			workflow{Name: "w.yml", Problem: p + ":4:12: sequence end token ']' not found"}},
		{"alias bomb", "x: &big \"" + strings.Repeat("x", 512<<10) + "\"\non:\n  push:\n    branches: [" + strings.Repeat("*big, ", 20) + "]\njobs: {a: {}}\n",
			workflow{Name: "w.yml", Problem: p + ":4:100: on.push.branches.14: aliases expand the document past 8 MB here (an alias bomb?); an entity may be at most 8 MB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.want.Path = p
			if diff := cmp.Diff(tc.want, parseWorkflow(p, []byte(tc.yaml))); diff != "" {
				t.Errorf("parseWorkflow (-want +got):\n%s", diff)
			}
		})
	}
}
