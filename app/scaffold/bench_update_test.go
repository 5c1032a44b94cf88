package scaffold

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
)

// BenchmarkTemplateUpdate200Files is an update of a project made from the
// 200-file benchmark template (`callboard scaffold update --dry-run`
// without the portal): the template rendered at both commits with the
// project's answers, and every file the template changed planned
// against the project, 20 of them merged with the project's own edits.
func BenchmarkTemplateUpdate200Files(b *testing.B) {
	oldDir, newDir := b.TempDir(), b.TempDir()
	writeBenchTemplate(b, oldDir)
	writeBenchTemplate(b, newDir)
	work := filepath.Join(b.TempDir(), "work")
	project := filepath.Join(b.TempDir(), "project")
	res := scaffoldBench(b, oldDir, work, project, false)
	checkBenchResult(b, res)
	// The template changes 40 files; the project edits 20 of them, at
	// their start, away from the template's change at their end.
	changed := 0
	for _, name := range slices.Sorted(maps.Keys(benchSkeleton())) {
		if changed == 40 || strings.Contains(name, "${{") || strings.Contains(benchSkeleton()[name].content, "\x00") {
			continue
		}
		p := filepath.Join(newDir, "skeleton", filepath.FromSlash(name))
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, append(data, "\n# changed by the template\n"...), 0o644); err != nil {
			b.Fatal(err)
		}
		if changed%2 == 0 {
			q := filepath.Join(project, filepath.FromSlash(name))
			mine, err := os.ReadFile(q)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(q, append([]byte("# edited in the project\n"), mine...), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		changed++
	}
	load := func(dir string) Template {
		files, err := catalog.OpenDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { files.Close() })
		t, err := Load(context.Background(), Source{Files: files, File: "template.yaml"}, "", catalog.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return t
	}
	oldT, newT := load(oldDir), load(newDir)
	root, err := os.OpenRoot(project)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	r := NewRunner(nil, nil)
	user := User{Ref: "user:default/ada", Name: "Ada", Email: "ada@example.com"}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		oldTree, err := r.Render(context.Background(), oldT, values(b, benchParameters), nil, user, work)
		if err != nil {
			b.Fatal(err)
		}
		newTree, err := r.Render(context.Background(), newT, values(b, benchParameters), nil, user, work)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := PlanUpdate(oldTree, newTree, root.FS())
		if err != nil {
			b.Fatal(err)
		}
		if len(plan.Files) != 40 || plan.Conflicts != 0 {
			b.Fatalf("%d files changed, %d conflicts; want 40 and none", len(plan.Files), plan.Conflicts)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2])/float64(time.Millisecond), "median-ms")
}
