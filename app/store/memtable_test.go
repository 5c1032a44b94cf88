package store

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// A memtable a crash left from a version with 8 MB memtables holds more
// than a 4 MB one takes: the store must open with room for it, not exit
// in Badger's replay, and keep its entries.
func TestOpenReplaysLargerMemtable(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "store")
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	old, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithMemTableSize(8 << 20).WithNumVersionsToKeep(1))
	if err != nil {
		t.Fatal(err)
	}
	const n = 6000 // 6 MB of 1 KB values: more than a 4 MB memtable holds
	wb := old.NewWriteBatch()
	for i := range n {
		if err := wb.Set(fmt.Appendf(nil, "zz-test/%05d", i), make([]byte, 1<<10)); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	// The crash: the files as they are while the old writer has them open.
	crashed := filepath.Join(t.TempDir(), "crashed")
	copyDir(t, dir, crashed)
	old.Close()
	if got := memTableFor(crashed); got <= memTableSize {
		t.Fatalf("memTableFor = %d: the copy holds no memtable larger than a 4 MB one's log", got)
	}

	db, err = Open(ctx, crashed, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := 0
	err = db.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("zz-test/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			count++
		}
		return nil
	})
	if err != nil || count != n {
		t.Fatalf("after the crash: %d keys, %v; want %d", count, err, n)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.IsDir() || f.Name() == "LOCK" {
			continue
		}
		src, err := os.Open(filepath.Join(from, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.Create(filepath.Join(to, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(dst, src); err != nil {
			t.Fatal(err)
		}
		src.Close()
		if err := dst.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
