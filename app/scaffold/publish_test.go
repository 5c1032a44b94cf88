package scaffold

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
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

// A publish step asks CheckRemote about its host before anything is made,
// in a dry run too; a repoUrl whose host is not a plain host name (user
// info, a path) is refused whatever CheckRemote says.
func TestPublishChecksTheRemote(t *testing.T) {
	t.Parallel()
	const step = `    - id: fetch
      action: fetch:plain
      input:
        url: ./skeleton
    - id: publish
      action: publish:github
      input:
        repoUrl: ${{ parameters.repoUrl }}
`
	trusted := func(_ context.Context, host string) error {
		if host != "github.com" && host != "git.example:8443" {
			return errors.New(host + " is not a trusted git host")
		}
		return nil
	}
	tests := []struct {
		repoURL string
		err     string // "" when the run completes
		remote  string
	}{
		{"github.com?owner=o&repo=r", "", "https://github.com/o/r.git"},
		{"GitHub.com:443?owner=o&repo=r", "", "https://github.com/o/r.git"},
		{"git.example:8443?owner=o&repo=r", "", "https://git.example:8443/o/r.git"},
		{"local?repo=r", "", ""},
		{"evil.example?owner=a&repo=b", "publish:github to https://evil.example/a/b.git: evil.example is not a trusted git host", ""},
		{"github.com:8443?owner=a&repo=b", "github.com:8443 is not a trusted git host", ""},
		{"user:pw@github.com?owner=a&repo=b", `"user:pw@github.com" is not a host name`, ""},
		{"evil.example/x?owner=a&repo=b", `"evil.example/x" is not a host name`, ""},
	}
	for _, tt := range tests {
		for _, dry := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s dry=%v", tt.repoURL, dry), func(t *testing.T) {
				t.Parallel()
				target := ""
				if !dry {
					target = filepath.Join(t.TempDir(), "out")
				}
				req := Request{Values: values(t, `{"repoUrl":"`+tt.repoURL+`"}`), DryRun: dry, Target: target, CheckRemote: trusted}
				res, _ := run(t, tmpl(step), "t/template.yaml", req)
				if tt.err == "" {
					if res.Status != Completed {
						t.Fatalf("%s: %s", res.Status, res.Error)
					}
					if len(res.Publish) != 1 || res.Publish[0].Remote != tt.remote {
						t.Errorf("publish = %+v, want remote %q", res.Publish, tt.remote)
					}
					return
				}
				if res.Status != Failed || !strings.Contains(res.Error, tt.err) {
					t.Errorf("run = %s %q, want failed with %q", res.Status, res.Error, tt.err)
				}
				if len(res.Publish) != 0 {
					t.Errorf("a refused step left a push to do: %+v", res.Publish)
				}
				if target != "" {
					if _, err := os.Stat(target); err == nil {
						t.Errorf("the refused run wrote %s", target)
					}
				}
			})
		}
	}
}
