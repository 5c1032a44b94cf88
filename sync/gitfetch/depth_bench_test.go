package gitfetch

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
)

// longHistory builds, with git fast-import, a repository of commits
// commits over 200 files of about 4 KB in 20 folders: the first adds
// them, each later one rewrites a line in five of them, as a busy
// service's repository does; then repacks it, as a forge keeps it.
func longHistory(b *testing.B, commits int) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "service")
	gittest.Git(b, b.TempDir(), "init", "-q", "--bare", "--initial-branch=main", dir)
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
	const files, lines = 200, 60
	content := make([][]string, files)
	for f := range content {
		for l := range lines {
			content[f] = append(content[f], fmt.Sprintf("%x", sha256.Sum256(fmt.Appendf(nil, "%d/%d", f, l))))
		}
	}
	w := bufio.NewWriter(stdin)
	write := func(f int) {
		data := strings.Join(content[f], "\n") + "\n"
		fmt.Fprintf(w, "M 100644 inline src/m%02d/f%03d.txt\ndata %d\n%s\n", f/10, f, len(data), data)
	}
	for c := range commits {
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter Bench <bench@callboard.invalid> %d +0000\n", 1767268800+c*600)
		msg := fmt.Sprintf("change %d", c)
		fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
		if c == 0 {
			data := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: service}\nspec: {type: service, lifecycle: production, owner: team}\n"
			fmt.Fprintf(w, "M 100644 inline catalog-info.yaml\ndata %d\n%s\n", len(data), data)
			for f := range files {
				write(f)
			}
			continue
		}
		for k := range 5 {
			f := (c*7 + k*41) % files
			content[f][(c+k)%lines] = fmt.Sprintf("%x", sha256.Sum256(fmt.Appendf(nil, "%d/%d/%d", c, f, k)))
			write(f)
		}
	}
	ferr := w.Flush()
	stdin.Close()
	if err := cmd.Wait(); err != nil || ferr != nil {
		b.Fatalf("git fast-import: %v, %v\n%s", err, ferr, stderr.String())
	}
	gittest.Git(b, dir, "repack", "-adq")
	return dir
}

// diskSize is the bytes of the files under dir.
func diskSize(b *testing.B, dir string) int64 {
	b.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		n += info.Size()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkFirstFetch is the first sync's clone of a repository of 2,000
// commits served by git http-backend on loopback: shallow (depth 1, as a
// repository an organisation listed is cloned) and whole, with the
// clone's size on disk; and the deepen of a shallow clone to the whole.
func BenchmarkFirstFetch(b *testing.B) {
	src := longHistory(b, 2000)
	url := gittest.HTTPBackend(b, filepath.Dir(src), nil) + "/" + filepath.Base(src)
	ctx := context.Background()
	source := float64(diskSize(b, src)) / (1 << 20)
	for _, shallow := range []bool{true, false} {
		name := map[bool]string{true: "shallow", false: "full"}[shallow]
		b.Run(name, func(b *testing.B) {
			var size int64
			for b.Loop() {
				dir := filepath.Join(b.TempDir(), "clone")
				if _, err := Fetch(ctx, Options{URL: url, Dir: dir, Shallow: shallow}); err != nil {
					b.Fatal(err)
				}
				size = diskSize(b, dir)
			}
			b.ReportMetric(float64(size)/(1<<20), "disk-MiB")
			b.ReportMetric(source, "source-MiB")
		})
	}
	b.Run("deepen", func(b *testing.B) {
		var size int64
		for b.Loop() {
			b.StopTimer()
			dir := filepath.Join(b.TempDir(), "clone")
			if _, err := Fetch(ctx, Options{URL: url, Dir: dir, Shallow: true}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := Fetch(ctx, Options{URL: url, Dir: dir}); err != nil {
				b.Fatal(err)
			}
			size = diskSize(b, dir)
		}
		b.ReportMetric(float64(size)/(1<<20), "disk-MiB")
	})
}
