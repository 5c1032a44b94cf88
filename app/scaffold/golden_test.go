package scaffold

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/callboard/callboard/app/catalog"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/templates")

// corpusRoot is the shared corpus of real Backstage templates, beside the
// repository.
const corpusRoot = "../../../shared/corpus"

// communityHost stands for a user who synced backstage/community as a
// location: the pull-request template fetches a folder of it by URL.
type communityHost struct{ files catalog.Files }

func (communityHost) Entity(context.Context, string) (any, bool, error) { return nil, false, nil }

func (h communityHost) Folder(_ context.Context, url string) (Fetched, error) {
	const prefix = "https://github.com/backstage/community/tree/main/"
	if !strings.HasPrefix(url, prefix) {
		return Fetched{}, fmt.Errorf("%s is in no synced location", url)
	}
	return Fetched{Files: h.files, Path: strings.TrimPrefix(url, prefix), Location: "community"}, nil
}

func (h communityHost) File(_ context.Context, url string) (Fetched, error) {
	return Fetched{}, fmt.Errorf("%s is in no synced location", url)
}

// Whole templates, run for real into a target folder: the demo
// organisation's three, always, and every one of the shared corpus
// (Backstage's demo template and its public examples) when it is there.
// Each run's steps, publish and
// registration, links and resulting tree (contents of text files) must
// match testdata/templates/NAME.golden; `go test ./app/scaffold -run
// TestTemplatesGolden -update` rewrites them. Values come from NAME.json.
func TestTemplatesGolden(t *testing.T) {
	t.Parallel()
	// The demo's templates are in the repository and always run; the
	// corpus is beside it and may be absent.
	templates := map[string]string{
		"demo-docs-site":      "../../demo/repo/templates/docs-site/template.yaml",
		"demo-go-service":     "../../demo/repo/templates/go-service/template.yaml",
		"demo-static-website": "../../demo/repo/templates/static-website/template.yaml",
	}
	examples, _ := filepath.Glob(corpusRoot + "/software-templates/scaffolder-templates/*/template.yaml")
	if len(examples) == 0 {
		t.Run("corpus", func(t *testing.T) {
			t.Skipf("no shared corpus at %s: its templates' golden files in testdata/templates are not checked", corpusRoot)
		})
	} else {
		templates["backstage-demo-template"] = corpusRoot + "/backstage-demo/demo-template/template/template.yaml"
		for _, f := range examples {
			templates[filepath.Base(filepath.Dir(f))] = f
		}
	}
	community := t.TempDir()
	sessions := filepath.Join(community, "backstage-community-sessions")
	os.MkdirAll(sessions, 0o755)
	os.WriteFile(filepath.Join(sessions, "README.md"), []byte("# Backstage community sessions\n"), 0o644)
	communityFiles, err := catalog.OpenDir(community)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { communityFiles.Close() })
	runner := NewRunner(communityHost{communityFiles}, nil)

	for name, file := range templates {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			files, err := catalog.OpenDir(filepath.Dir(file))
			if err != nil {
				t.Fatal(err)
			}
			defer files.Close()
			tpl, err := load(files, filepath.Base(file))
			if err != nil {
				t.Fatalf("load %s: %v", file, err)
			}
			js, err := os.ReadFile(filepath.Join("testdata/templates", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(t.TempDir(), "project")
			res := runner.Run(context.Background(), tpl, Request{
				Values: values(t, string(js)), TaskID: "golden",
				User:   User{Ref: "user:default/ada", Name: "Ada", Email: "ada@example.com"},
				Target: target, WorkDir: t.TempDir(),
			}, nil)
			got := goldenRun(t, res, target)
			golden := filepath.Join("testdata/templates", name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run with -update to accept):\n%s", file, golden, diffLines(string(want), string(got)))
			}
		})
	}
}

// goldenRun is a run as its golden file holds it. A completed run's target
// must be a git repository whose first commit holds every file.
func goldenRun(t *testing.T, res Result, target string) []byte {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "status: %s\n", res.Status)
	if res.Error != "" {
		fmt.Fprintf(&b, "error: %s\n", res.Error)
	}
	b.WriteString("steps:\n")
	for _, s := range res.Steps {
		fmt.Fprintf(&b, "  %s (%s): %s\n", s.ID, s.Action, s.Status)
		if s.Status == Skipped || s.Status == Failed {
			for _, l := range s.Log {
				fmt.Fprintf(&b, "    | %s\n", l)
			}
		}
	}
	for _, p := range res.Publish {
		fmt.Fprintf(&b, "publish: %s %s branch %s dir %q\n", p.Action, p.Remote, p.Branch, p.Dir)
	}
	for _, r := range res.Register {
		fmt.Fprintf(&b, "register: %s as %s\n", r.Path, r.EntityRef)
	}
	for _, l := range res.Links {
		fmt.Fprintf(&b, "link: %s %s %s\n", l.Title, l.URL, l.EntityRef)
	}
	for _, x := range res.Texts {
		fmt.Fprintf(&b, "text: %s\n%s\n", x.Title, x.Content)
	}
	if res.Status != Completed {
		if _, err := os.Stat(target); !os.IsNotExist(err) {
			t.Errorf("a run that did not complete left %s behind", target)
		}
		return []byte(b.String())
	}
	if len(res.Publish) > 0 {
		repo, err := git.PlainOpen(target)
		if err != nil {
			t.Fatalf("publish ran but %s is no git repository: %v", target, err)
		}
		if _, err := repo.Head(); err != nil {
			t.Errorf("no first commit: %v", err)
		}
		if st, err := func() (git.Status, error) {
			w, err := repo.Worktree()
			if err != nil {
				return nil, err
			}
			return w.Status()
		}(); err != nil || !st.IsClean() {
			t.Errorf("the first commit leaves %v uncommitted (%v)", st, err)
		}
	}
	b.WriteString("files:\n")
	for _, f := range res.Files {
		if f.Dir {
			continue
		}
		data, err := os.ReadFile(filepath.Join(target, f.Path))
		if err != nil {
			t.Fatalf("the result lists %s: %v", f.Path, err)
		}
		fmt.Fprintf(&b, "=== %s (%o, %d bytes)\n", f.Path, f.Mode.Perm(), len(data))
		if isBinary(data) || len(data) > 8<<10 {
			fmt.Fprintf(&b, "sha256 %x\n", sha256.Sum256(data))
			continue
		}
		b.Write(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			b.WriteString("\n[no newline at end]\n")
		}
	}
	return []byte(b.String())
}

// diffLines shows the first lines where want and got part.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, a, b)
		}
	}
	return "(same lines, different bytes)"
}
