package scaffold

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scaffold/treediff"
)

// BenchmarkScaffoldTest200Files is `callboard scaffold test` of the
// benchmark's template (issue 22: ≤ 300 ms): the template loaded from its
// folder, a dry run of the 200-file skeleton, the project read in full and
// compared byte for byte with a golden folder written before the timer
// starts. It does what cli.testTemplate does, here where the template's
// writer is.
func BenchmarkScaffoldTest200Files(b *testing.B) {
	dir := b.TempDir()
	writeBenchTemplate(b, dir)
	work := filepath.Join(b.TempDir(), "work")
	golden := filepath.Join(b.TempDir(), "expected")
	if diffs := goldenBench(b, dir, work, golden, true); len(diffs) != 199 {
		b.Fatalf("the golden folder has %d files, want 199", len(diffs))
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if diffs := goldenBench(b, dir, work, golden, false); len(diffs) != 0 {
			b.Fatalf("%d files differ from the golden folder, e.g. %s", len(diffs), diffs[0].Path)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2])/float64(time.Millisecond), "median-ms")
}

// goldenBench tests the template in dir against golden once, or writes
// golden; it returns the differences.
func goldenBench(tb testing.TB, dir, work, golden string, update bool) []treediff.Difference {
	files, err := catalog.OpenDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer files.Close()
	tpl, err := load(files, "template.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	var diffs []treediff.Difference
	inspect := func(project fs.FS, _ Result) error {
		got, err := treediff.Read(project, func(p string) bool { return p == ".git" })
		if err != nil {
			return err
		}
		want := &treediff.Tree{Files: map[string]treediff.File{}}
		if _, err := os.Stat(golden); err == nil {
			if want, err = treediff.Read(os.DirFS(golden), nil); err != nil {
				return err
			}
		}
		diffs = treediff.Compare(want, got)
		if update {
			return treediff.Update(golden, got, diffs)
		}
		return nil
	}
	req := Request{Values: values(tb, benchParameters), WorkDir: work, DryRun: true, Inspect: inspect}
	if res := NewRunner(nil, nil).Run(context.Background(), tpl, req, nil); res.Status != Completed {
		tb.Fatalf("status %s: %s", res.Status, res.Error)
	}
	return diffs
}
