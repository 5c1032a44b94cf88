package scaffold

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWritePackGitReadsIt checks the first commit's hand-written pack with
// git itself: fsck, the index against the pack, and each file's content,
// for sizes whose entry headers take one to four bytes.
func TestWritePackGitReadsIt(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	files := map[string][]byte{
		"empty":            {},
		"fifteen":          []byte("fifteen bytes!\n"),
		"sixteen":          []byte("sixteen bytes!!\n"),
		"docs/page.md":     bytes.Repeat([]byte("# page\n"), 300),
		"bin/random.bin":   make([]byte, 300<<10),
		"a/b/c/d/deep.txt": []byte("deep\n"),
	}
	for i := range files["bin/random.bin"] {
		files["bin/random.bin"][i] = byte(rng.Uint32())
	}
	dir := t.TempDir()
	for p, data := range files {
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := publishInput{branch: "main", message: "initial commit", name: "Ada", email: "ada@example.com"}
	if _, err := initRepo(context.Background(), dir, in, "", 1<<20); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	run("fsck", "--full", "--strict")
	packs, err := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "pack-*.idx"))
	if err != nil || len(packs) != 1 {
		t.Fatalf("packs %q, %v: want one", packs, err)
	}
	run("verify-pack", packs[0])
	for p, want := range files {
		if got := run("cat-file", "blob", "HEAD:"+p); !bytes.Equal(got, want) {
			t.Errorf("%s: git reads %d bytes, want the %d written", p, len(got), len(want))
		}
	}
	if got := run("status", "--porcelain"); len(got) != 0 {
		t.Errorf("git status after the first commit:\n%s", got)
	}
}
