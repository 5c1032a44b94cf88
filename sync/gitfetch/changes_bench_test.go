package gitfetch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
)

// BenchmarkChangedSince is ChangedSince alone after one component of the
// shared benchmark workload (CALLBOARD_BENCH_CATALOG) was edited: the old
// side read from the pack, and read from the saved index of the old
// commit (read in place and patched forward, as the syncer's patch does).
// Both run in one process, one after the other, so the machine's load
// weighs on both alike; each op opens the clone, as a new process does.
func BenchmarkChangedSince(b *testing.B) {
	src := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if src == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	root := b.TempDir()
	work := filepath.Join(root, "upstream")
	gittest.Git(b, root, "clone", "-q", src, work)
	ctx := context.Background()
	clone := filepath.Join(root, "clone")
	head, err := Fetch(ctx, Options{URL: work, Dir: clone})
	if err != nil {
		b.Fatal(err)
	}
	old := head.Commit.String()
	files, err := head.Files(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	saved := files.MarshalIndex()
	matches, _ := filepath.Glob(filepath.Join(work, "components", "*", "catalog-info.yaml"))
	if len(matches) == 0 {
		b.Fatal("the workload has no components/*/catalog-info.yaml")
	}
	f, err := os.OpenFile(matches[0], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Fprintln(f, "# edit")
	f.Close()
	gittest.Git(b, work, "commit", "-q", "-am", "edit")
	if head, err = Fetch(ctx, Options{URL: work, Dir: clone}); err != nil {
		b.Fatal(err)
	}
	// Each op opens the clone again, as a new process does: go-git's cache
	// of objects read would otherwise spare the pack's reads.
	open := func(b *testing.B) Head {
		h, err := Open(clone, "")
		if err != nil {
			b.Fatal(err)
		}
		return h
	}
	b.Run("pack", func(b *testing.B) {
		for b.Loop() {
			if c, err := open(b).ChangedSince(ctx, old, nil); err != nil || len(c.Modified) != 1 {
				b.Fatalf("ChangedSince = %+v, %v", c, err)
			}
		}
	})
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			idx, err := ReadIndex(saved)
			if err != nil {
				b.Fatal(err)
			}
			c, err := open(b).ChangedSince(ctx, old, idx)
			if err != nil || len(c.Modified) != 1 {
				b.Fatalf("ChangedSince = %+v, %v", c, err)
			}
			if _, ok := idx.Patched(c); !ok {
				b.Fatal("the index was not patched")
			}
		}
	})
}
