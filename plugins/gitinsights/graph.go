package gitinsights

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// graphs keeps a commit-graph with changed-path Bloom filters for each
// clone the plugin reads, in an object directory of its own under a cache
// folder: the clone itself is never written to. git finds the graph when
// it runs with that directory as its object directory and the clone's as
// the alternate, and then walks history from the graph and skips the trees
// of commits that cannot touch the folder — a path-limited log of 10,000
// commits drops from about 100 ms to about 25 ms. The graph is written in
// the background after a clone's first render and extended (a new split
// layer) when a render sees a commit it does not cover; renders before
// that read the clone alone, as do renders when git cannot use the graph.
type graphs struct {
	git string
	// dir is the cache folder; "" keeps no graphs.
	dir string
	log *slog.Logger

	mu      sync.Mutex
	covered map[string]string // clone → commit its graph covers
	writing map[string]bool   // clone → a write is running
	wg      sync.WaitGroup
}

func newGraphs(git, dir string, log *slog.Logger) *graphs {
	return &graphs{git: git, dir: dir, log: log, covered: map[string]string{}, writing: map[string]bool{}}
}

// objects is the object directory of clone's graph.
func (g *graphs) objects(clone string) string {
	abs, err := filepath.Abs(clone)
	if err != nil {
		abs = clone
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(g.dir, hex.EncodeToString(sum[:8]), "objects")
}

// usable reports whether git can read clone through an alternate: its
// object directory is a folder whose path can be written in
// GIT_ALTERNATE_OBJECT_DIRECTORIES.
func usable(clone string) bool {
	objects := filepath.Join(gitDir(clone), "objects")
	st, err := os.Stat(objects)
	return err == nil && st.IsDir() && !strings.ContainsAny(objects, string(filepath.ListSeparator)+`"`)
}

// graph returns the object directory holding clone's graph, or "" when
// there is none yet.
func (g *graphs) graph(clone string) string {
	if g.dir == "" || !usable(clone) {
		return ""
	}
	objects := g.objects(clone)
	for _, f := range []string{"info/commit-graph", "info/commit-graphs/commit-graph-chain"} {
		if _, err := os.Stat(filepath.Join(objects, filepath.FromSlash(f))); err == nil {
			return objects
		}
	}
	return ""
}

// update makes clone's graph cover commit, in the background, unless it
// does or a write is running.
func (g *graphs) update(clone, commit string) {
	if g.dir == "" || !usable(clone) {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.covered[clone]; !ok {
		b, _ := os.ReadFile(g.coversFile(clone)) // none yet: ""
		g.covered[clone] = strings.TrimSpace(string(b))
	}
	if g.covered[clone] == commit || g.writing[clone] {
		return
	}
	g.writing[clone] = true
	g.wg.Go(func() {
		err := g.write(clone, commit)
		g.mu.Lock()
		delete(g.writing, clone)
		g.covered[clone] = commit // after a failure too: not tried again for it
		g.mu.Unlock()
		if err != nil {
			g.log.Warn("commit-graph not written", "clone", clone, "commit", commit, "err", err)
		}
	})
}

// write adds a layer for the commits reachable from commit that clone's
// graph lacks. Layers git merges away stay an hour for renders reading
// them.
func (g *graphs) write(clone, commit string) error {
	objects := g.objects(clone)
	for _, d := range []string{"info", "pack"} {
		if err := os.MkdirAll(filepath.Join(objects, d), 0o755); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c := newGitCLI(g.git, clone, objects)
	if _, err := c.run(ctx, commit+"\n", nil, "commit-graph", "write", "--stdin-commits", "--changed-paths", "--split", "--expire-time=1.hour.ago", "--no-progress"); err != nil {
		return err
	}
	return os.WriteFile(g.coversFile(clone), []byte(commit+"\n"), 0o644)
}

// coversFile records the commit clone's graph was last extended to.
func (g *graphs) coversFile(clone string) string {
	return filepath.Join(filepath.Dir(g.objects(clone)), "covers")
}

// drop removes clone's graph after git failed to read through it.
func (g *graphs) drop(clone string) {
	if g.dir == "" {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.writing[clone] {
		return
	}
	delete(g.covered, clone)
	if err := os.RemoveAll(filepath.Dir(g.objects(clone))); err != nil {
		g.log.Warn("commit-graph not removed", "clone", clone, "err", err)
	}
}

// wait waits for the writes running.
func (g *graphs) wait() { g.wg.Wait() }
