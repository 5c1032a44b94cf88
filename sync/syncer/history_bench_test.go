package syncer

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// historyFile is the entity file the history benchmark and test ask about: deep in
// the tree, as a component's catalog-info.yaml in a monorepo is.
const historyFile = "services/s0042/catalog-info.yaml"

// historyRepo builds, with git fast-import, a repository of files files in
// folders of 30 and 7 commits: the first adds everything, each later one
// changes an eighth of the files across the tree, and every other one also
// edits historyFile's description.
func historyRepo(b testing.TB, files int) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "monorepo")
	if out, err := exec.Command("git", "init", "-q", "--initial-branch=main", dir).CombinedOutput(); err != nil {
		b.Fatalf("git init: %v\n%s", err, out)
	}
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(stdin)
	file := func(path, data string) { fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", path, len(data), data) }
	for c := range 7 {
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter Bench <bench@callboard.invalid> %d +0000\n", 1767268800+c*3600)
		msg := fmt.Sprintf("commit %d", c)
		fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
		for i := range files {
			if c == 0 || (i*7+c)%8 == 0 {
				file(fmt.Sprintf("services/s%04d/f%02d.txt", i/30, i%30), fmt.Sprintf("file %d version %d\n", i, c))
			}
		}
		if c == 0 {
			file("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [./"+historyFile+"]\n")
		}
		if c%2 == 0 {
			file(historyFile, string(described("alpha", fmt.Sprintf("version %d", c))))
		}
	}
	ferr := w.Flush()
	stdin.Close()
	if err := cmd.Wait(); err != nil || ferr != nil {
		b.Fatalf("git fast-import: %v, %v\n%s", err, ferr, stderr.String())
	}
	return dir
}

// BenchmarkHistory: the newest version of one entity, as the entity page's
// history card asks for it, on a 16,500-file repository of 7 commits; cold
// (the first request after the branch moved) and answered again.
func BenchmarkHistory(b *testing.B) {
	ctx := context.Background()
	s, _, _ := benchSyncer(b, historyRepo(b, 16500))
	if err := s.Sync(ctx, "bench"); err != nil {
		b.Fatal(err)
	}
	ask := func(b *testing.B) {
		h, err := s.History(ctx, "bench", historyFile, "component:default/alpha", 1)
		if err != nil {
			b.Fatal(err)
		}
		got := h.Versions
		if len(got) != 1 || got[0].Message != "commit 6" || len(got[0].Changes) != 1 {
			b.Fatalf("history = %+v, want commit 6 changing the description", got)
		}
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			s.history = historyCache{}
			ask(b)
		}
	})
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			ask(b)
		}
	})
}
