package watch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// changes runs w and returns a channel of what it reports.
func changes(t *testing.T, w *Watcher) <-chan []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan []string, 16)
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, func(c []string) { out <- c }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return out
}

// waitFor reads reports until one holds want; the bound only keeps a
// broken watcher from hanging the test.
func waitFor(t *testing.T, ch <-chan []string, want string) {
	t.Helper()
	bound := time.After(10 * time.Second)
	for {
		select {
		case c := <-ch:
			if slices.Contains(c, want) {
				return
			}
		case <-bound:
			t.Fatalf("no change to %s reported", want)
		}
	}
}

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write(t, filepath.Join(root, "docs", "index.md"), "# Home\n")
	write(t, filepath.Join(root, "node_modules", "x", "a.md"), "")
	write(t, filepath.Join(root, ".git", "HEAD"), "")
	w, err := New(root, Options{Debounce: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if w.Dirs() != 2 {
		t.Errorf("watching %d folders, want 2 (the root and docs/)", w.Dirs())
	}
	ch := changes(t, w)

	write(t, filepath.Join(root, "node_modules", "x", "a.md"), "ignored")
	write(t, filepath.Join(root, "docs", "index.md"), "# Home again\n")
	waitFor(t, ch, "docs/index.md")

	// A folder made after the start is watched too.
	if err := os.Mkdir(filepath.Join(root, "docs", "guide"), 0o755); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, "docs/guide")
	write(t, filepath.Join(root, "docs", "guide", "setup.md"), "# Setup\n")
	waitFor(t, ch, "docs/guide/setup.md")
	// So are the files of a folder made with files in it.
	write(t, filepath.Join(root, "docs", "deep", "er", "page.md"), "# Deep\n")
	waitFor(t, ch, "docs/deep/er/page.md")
}

func TestTooManyFolders(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, d := range []string{"a", "b", "c"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	_, err := New(root, Options{MaxDirs: 3})
	if !errors.Is(err, ErrTooManyFolders) {
		t.Errorf("New = %v, want ErrTooManyFolders", err)
	}
	w, err := New(root, Options{MaxDirs: 4})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
}

func TestSkipDir(t *testing.T) {
	t.Parallel()
	for rel, want := range map[string]bool{".": false, "docs": false, ".git": true, "docs/.cache": true, "node_modules": true, "site": true, "docs/site-map": false} {
		if got := SkipDir(rel); got != want {
			t.Errorf("SkipDir(%q) = %v, want %v", rel, got, want)
		}
	}
}
