package gitinsights

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

func TestCommitGraph(t *testing.T) {
	t.Parallel()
	git := requireGit(t)
	r, touched := folderRepo(t)
	clone := r.bare()
	cacheDir := t.TempDir()
	render := func(p *insightsPlugin, commit string) []*pluginv1.View {
		t.Helper()
		views, err := p.render(context.Background(), sdk.EntityRequest{ClonePath: clone, Commit: commit, EntityFile: "svc-a/catalog-info.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		return views
	}
	same := func(a, b []*pluginv1.View) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if !proto.Equal(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	head := touched[""][0]
	want := render(newPlugin(git, "", discard()), head)

	p := newPlugin(git, cacheDir, discard())
	if got := render(p, head); !same(want, got) {
		t.Fatal("first render differs from one without a graph")
	}
	p.graphs.wait()
	objects := p.graphs.graph(clone)
	if objects == "" {
		t.Fatal("no commit-graph written")
	}
	if b, err := os.ReadFile(p.graphs.coversFile(clone)); err != nil || strings.TrimSpace(string(b)) != head {
		t.Errorf("covers %q, %v; want %s", b, err, head)
	}

	// A restarted plugin reads through the graph, and writes nothing.
	p = newPlugin(git, cacheDir, discard())
	if got := render(p, head); !same(want, got) {
		t.Error("render through the graph differs")
	}
	p.graphs.mu.Lock()
	writing := p.graphs.writing[clone]
	p.graphs.mu.Unlock()
	if writing {
		t.Error("a graph covering the commit is written again")
	}
	p.graphs.wait()

	// A broken graph does not break the cards.
	chain, _ := filepath.Glob(filepath.Join(objects, "info", "commit-graphs", "*"))
	for _, f := range chain {
		if err := os.WriteFile(f, []byte("garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := render(newPlugin(git, cacheDir, discard()), head); !same(want, got) {
		t.Error("render with a broken graph differs")
	}
}

func TestCommitGraphFollowsNewCommits(t *testing.T) {
	t.Parallel()
	git := requireGit(t)
	r, touched := folderRepo(t)
	cacheDir := t.TempDir()
	p := newPlugin(git, cacheDir, discard())
	req := sdk.EntityRequest{ClonePath: r.dir, Commit: touched[""][0], EntityFile: "svc-a/catalog-info.yaml"}
	if _, err := p.render(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	p.graphs.wait()
	req.Commit = r.commit(ada, at(2026, 3, 1, 9), "svc-a: later", map[string]string{"svc-a/later.go": "package main\n"})
	views, err := p.render(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if rows := tableOf(t, view(t, views, "recent-commits")); rows[0][2] != "svc-a: later" {
		t.Errorf("newest commit %q, want svc-a: later", rows[0])
	}
	p.graphs.wait()
	if b, _ := os.ReadFile(p.graphs.coversFile(r.dir)); strings.TrimSpace(string(b)) != req.Commit {
		t.Errorf("graph covers %q, want the new commit %s", b, req.Commit)
	}
}
