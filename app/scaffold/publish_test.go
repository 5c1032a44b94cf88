package scaffold

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// initRepo gives the same repository whether it commits from memory into
// one packfile or, for a big project, as loose objects: everything but
// what .gitignore names committed on the branch, modes kept, the worktree
// clean against the index, origin set.
func TestInitRepo(t *testing.T) {
	t.Parallel()
	for name, size := range map[string]int64{"packed": 1 << 10, "loose": maxPackedCommit + 1} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for p, content := range map[string]string{
				"README.md":        "# x\n",
				".gitignore":       "*.log\n",
				"debug.log":        "not committed\n",
				"cmd/x/main.go":    "package main\n",
				"scripts/build.sh": "#!/bin/sh\n",
			} {
				f := filepath.Join(dir, filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(filepath.Join(dir, "scripts/build.sh"), 0o755); err != nil {
				t.Fatal(err)
			}
			in := publishInput{branch: "main", message: "initial commit", name: "Ada", email: "ada@example.com"}
			h, err := initRepo(context.Background(), dir, in, "https://github.com/o/x.git", size)
			if err != nil {
				t.Fatal(err)
			}

			r, err := git.PlainOpen(dir)
			if err != nil {
				t.Fatal(err)
			}
			head, err := r.Head()
			if err != nil || head.Name().Short() != "main" || head.Hash().String() != h {
				t.Fatalf("head %v (want main at %s), %v", head, h, err)
			}
			c, err := r.CommitObject(head.Hash())
			if err != nil {
				t.Fatal(err)
			}
			if c.Author.Email != "ada@example.com" || c.Message != "initial commit" {
				t.Errorf("commit by %s: %q", c.Author, c.Message)
			}
			tree, err := c.Tree()
			if err != nil {
				t.Fatal(err)
			}
			var files []string
			modes := map[string]filemode.FileMode{}
			tree.Files().ForEach(func(f *object.File) error {
				files = append(files, f.Name)
				modes[f.Name] = f.Mode
				return nil
			})
			slices.Sort(files)
			if want := []string{".gitignore", "README.md", "cmd/x/main.go", "scripts/build.sh"}; !slices.Equal(files, want) {
				t.Errorf("committed %q, want %q", files, want)
			}
			if modes["scripts/build.sh"] != filemode.Executable {
				t.Errorf("build.sh committed as %s", modes["scripts/build.sh"])
			}
			wt, err := r.Worktree()
			if err != nil {
				t.Fatal(err)
			}
			if st, err := wt.Status(); err != nil || !st.IsClean() {
				t.Errorf("status %v, %v", st, err)
			}
			if rem, err := r.Remote("origin"); err != nil || rem.Config().URLs[0] != "https://github.com/o/x.git" {
				t.Errorf("origin %v, %v", rem, err)
			}
			if _, err := exec.LookPath("git"); err == nil {
				for _, args := range [][]string{{"fsck", "--full", "--strict"}, {"status", "--porcelain"}} {
					out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
					if err != nil || len(out) > 0 {
						t.Errorf("git %s: %v\n%s", args[0], err, out)
					}
				}
			}
			packs, _ := filepath.Glob(filepath.Join(dir, ".git/objects/pack/*.pack"))
			if (name == "packed") != (len(packs) == 1) {
				t.Errorf("%s: packs %q", name, packs)
			}
		})
	}
}
