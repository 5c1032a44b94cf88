package gitinsights

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/internal/procstat"
	"github.com/callboard/callboard/plugins/sdk"
)

// benchCommits is the size of the history the issue names: an entity page
// must show its plugin cards within 150 ms of opening on a repository of
// 10,000 commits.
const benchCommits = 10000

// BenchmarkRender measures a render of the git-insights cards for one
// component of a monorepo of benchCommits commits (1,000 files in 40
// component folders) and for the whole repository:
//   - first: the first render of a clone, before the plugin has written its
//     commit-graph;
//   - cold: a plugin's first render of the commit (nothing in memory) once
//     the clone has a commit-graph, as after a restart, for another
//     component or after a sync;
//   - warm: any render after it.
//
// Besides wall time (ms/op) it reports the CPU time of the plugin and its
// git commands (cpu-ms/op), which a busy machine inflates less.
//
//	go test ./plugins/gitinsights -run '^$' -bench Render -benchtime 20x
func BenchmarkRender(b *testing.B) {
	git, err := exec.LookPath("git")
	if err != nil {
		b.Skip("git not found")
	}
	clone, head := benchRepo(b, benchCommits)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	graphs := b.TempDir()
	for _, entity := range []struct{ name, file string }{
		{"component", "services/svc-07/catalog-info.yaml"},
		{"repository", "catalog-info.yaml"},
	} {
		req := sdk.EntityRequest{ClonePath: clone, Commit: head, EntityFile: entity.file}
		var cpu time.Duration
		render := func(b *testing.B, p *insightsPlugin) {
			start := (procstat.Self() + procstat.Children())
			if _, err := p.render(context.Background(), req); err != nil {
				b.Fatal(err)
			}
			cpu += (procstat.Self() + procstat.Children()) - start
		}
		b.Run(entity.name+"/first", func(b *testing.B) {
			cpu = 0
			for range b.N {
				render(b, newPlugin(git, "", log))
			}
			report(b, cpu)
		})
		b.Run(entity.name+"/cold", func(b *testing.B) {
			p := newPlugin(git, graphs, log)
			render(b, p) // writes the graph
			p.graphs.wait()
			cpu = 0
			b.ResetTimer()
			for range b.N {
				p := newPlugin(git, graphs, log)
				render(b, p)
				b.StopTimer()
				p.graphs.wait()
				b.StartTimer()
			}
			report(b, cpu)
		})
		b.Run(entity.name+"/warm", func(b *testing.B) {
			p := newPlugin(git, graphs, log)
			render(b, p)
			cpu = 0
			b.ResetTimer()
			for range b.N {
				render(b, p)
			}
			report(b, cpu)
		})
	}
}

// BenchmarkRenderGoGit is the first render of the component without the
// git executable.
func BenchmarkRenderGoGit(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git not found") // it builds the repository
	}
	clone, head := benchRepo(b, benchCommits)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	req := sdk.EntityRequest{ClonePath: clone, Commit: head, EntityFile: "services/svc-07/catalog-info.yaml"}
	start := (procstat.Self() + procstat.Children())
	for range b.N {
		if _, err := newPlugin("", "", log).render(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
	report(b, (procstat.Self()+procstat.Children())-start)
}

// report adds the wall and CPU milliseconds per render.
func report(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// benchRepo returns a bare repository of n commits and its head, built once
// with git fast-import into a folder under os.TempDir kept between runs.
// Like a clone the app makes, it is one packfile without a commit-graph.
func benchRepo(b *testing.B, n int) (dir, head string) {
	b.Helper()
	dir = filepath.Join(os.TempDir(), "callboard-gitinsights-bench", fmt.Sprintf("monorepo-v1-%d.git", n))
	if out, err := exec.Command("git", "--git-dir="+dir, "rev-parse", "refs/heads/main").Output(); err == nil {
		return dir, strings.TrimSpace(string(out))
	}
	start := time.Now()
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "build-")
	if os.IsNotExist(err) {
		if err = os.MkdirAll(filepath.Dir(dir), 0o755); err == nil {
			tmp, err = os.MkdirTemp(filepath.Dir(dir), "build-")
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	gitIn := func(args ...string) {
		if out, err := exec.Command("git", append([]string{"--git-dir=" + tmp}, args...)...).CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitIn("init", "-q", "--bare", "--initial-branch=main")
	cmd := exec.Command("git", "--git-dir="+tmp, "fast-import", "--quiet")
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
	writeMonorepo(w, n)
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, stderr.String())
	}
	gitIn("-c", "repack.writeBitmaps=false", "repack", "-a", "-d", "-f", "-q")
	if err := os.Rename(tmp, dir); err != nil && !os.IsExist(err) {
		b.Fatal(err)
	}
	b.Logf("built %s (%d commits) in %v", dir, n, time.Since(start).Round(time.Millisecond))
	return benchRepo(b, n)
}

// writeMonorepo writes a fast-import stream of n commits: a first commit
// of 40 component folders of 25 files each, a CODEOWNERS and a root
// catalog file, then commits by 12 authors every 2½ hours that each change
// one to three files of one folder (a fifth of them in libs/, shared).
func writeMonorepo(w *bufio.Writer, n int) {
	rng := rand.New(rand.NewPCG(1, 2))
	authors := make([]string, 12)
	for i := range authors {
		authors[i] = fmt.Sprintf("Developer %02d <dev%02d@example.com>", i, i)
	}
	exts := []string{".go", ".go", ".go", ".ts", ".tsx", ".py", ".sql", ".md", ".yaml", ".sh"}
	files := map[string][]string{} // path → lines
	var order []string
	add := func(p string, lines []string) {
		if _, ok := files[p]; !ok {
			order = append(order, p)
		}
		files[p] = lines
	}
	var folders []string
	for s := range 40 {
		folder := fmt.Sprintf("services/svc-%02d", s)
		folders = append(folders, folder)
		add(folder+"/catalog-info.yaml", []string{"apiVersion: backstage.io/v1alpha1", "kind: Component", "metadata:", fmt.Sprintf("  name: svc-%02d", s), "spec:", "  type: service", "  owner: team-a"})
		for f := range 24 {
			lines := make([]string, 20+rng.IntN(200))
			for i := range lines {
				lines[i] = fmt.Sprintf("line %d of file %d in service %d", i, f, s)
			}
			add(fmt.Sprintf("%s/src/pkg%d/file%02d%s", folder, f%3, f, exts[f%len(exts)]), lines)
		}
	}
	folders = append(folders, "libs")
	add("libs/shared/util.go", []string{"package shared"})
	add("catalog-info.yaml", []string{"apiVersion: backstage.io/v1alpha1", "kind: Location", "metadata:", "  name: monorepo"})
	owners := []string{"* @acme/platform", "/libs/ @acme/core", "*.sql @acme/dba"}
	for s := range 40 {
		owners = append(owners, fmt.Sprintf("/services/svc-%02d/ @acme/team-%d", s, s%8))
	}
	add(".github/CODEOWNERS", owners)

	mark := 0
	when := time.Date(2023, 1, 2, 9, 0, 0, 0, time.UTC).Unix()
	writeCommit := func(author, msg string, changed []string) {
		mark++
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\n", mark)
		fmt.Fprintf(w, "author %s %d +0100\ncommitter %s %d +0100\n", author, when, author, when)
		fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
		if mark > 1 {
			fmt.Fprintf(w, "from :%d\n", mark-1)
		}
		for _, p := range changed {
			content := strings.Join(files[p], "\n") + "\n"
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", p, len(content), content)
		}
		when += 9000 // 2½ hours
	}
	writeCommit(authors[0], "initial import", order)
	for i := 1; i < n; i++ {
		folder := folders[rng.IntN(len(folders)-1)]
		if rng.IntN(5) == 0 {
			folder = "libs"
		}
		var changed []string
		for range 1 + rng.IntN(3) {
			var p string
			if folder == "libs" {
				p = fmt.Sprintf("libs/shared/f%03d.go", rng.IntN(200))
				if _, ok := files[p]; !ok {
					add(p, []string{"package shared"})
				}
			} else {
				f := rng.IntN(24)
				p = fmt.Sprintf("%s/src/pkg%d/file%02d%s", folder, f%3, f, exts[f%len(exts)])
			}
			lines := files[p]
			if j := rng.IntN(len(lines) + 1); j < len(lines) && rng.IntN(2) == 0 {
				lines[j] = fmt.Sprintf("changed in commit %d", i)
			} else {
				lines = append(lines, fmt.Sprintf("added in commit %d", i))
			}
			files[p] = lines
			changed = append(changed, p)
		}
		writeCommit(authors[rng.IntN(len(authors))], fmt.Sprintf("%s: change %d", folder, i), changed)
	}
}
