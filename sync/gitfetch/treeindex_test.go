package gitfetch

import (
	"context"
	"errors"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/gittest"
)

// An index saved and loaded again serves FilesSince as the one in memory
// does: the same files with the same hashes, unchanged directories copied.
func TestTreeIndexRoundTrip(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("a"), "svc/a/x.yaml": []byte("x"), "svc/b/y.yaml": []byte("y"), "docs/z.md": []byte("z")})
	repo.Symlink("link.yaml", "catalog-info.yaml")
	repo.Commit("link", nil)
	head, err := Open(repo.Dir, "")
	if err != nil {
		t.Fatal(err)
	}
	first, err := head.FilesSince(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := UnmarshalIndex(first.MarshalIndex())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"catalog-info.yaml", "svc/a/x.yaml", "link.yaml", "nothing"} {
		if first.Hash(f) != loaded.Hash(f) {
			t.Errorf("%s: hash %q, loaded %q", f, first.Hash(f), loaded.Hash(f))
		}
	}
	repo.Commit("second", map[string][]byte{"svc/a/x.yaml": []byte("x2")})
	head, err = Open(repo.Dir, "")
	if err != nil {
		t.Fatal(err)
	}
	fromMemory, err := head.FilesSince(context.Background(), first)
	if err != nil {
		t.Fatal(err)
	}
	fromDisk, err := head.FilesSince(context.Background(), loaded)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := fromMemory.List()
	got, _ := fromDisk.List()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files (-from memory +from a loaded index):\n%s", diff)
	}
	for _, f := range want {
		if fromMemory.Hash(f) != fromDisk.Hash(f) {
			t.Errorf("%s: hash %q from memory, %q from a loaded index", f, fromMemory.Hash(f), fromDisk.Hash(f))
		}
	}
	if b, err := fromDisk.ReadFile("svc/a/x.yaml"); err != nil || string(b) != "x2" {
		t.Errorf("svc/a/x.yaml = %q, %v", b, err)
	}
}

func TestTreeIndexRefused(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"a/b.yaml": []byte("b")})
	head, err := Open(repo.Dir, "")
	if err != nil {
		t.Fatal(err)
	}
	files, err := head.FilesSince(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	good := files.MarshalIndex()
	flipped := append([]byte(nil), good...)
	flipped[3] ^= 1
	for name, b := range map[string][]byte{"empty": nil, "cut short": good[:len(good)-5], "flipped bit": flipped} {
		if _, err := UnmarshalIndex(b); !errors.Is(err, ErrTreeIndex) {
			t.Errorf("%s: %v, want ErrTreeIndex", name, err)
		}
	}
}

// FuzzUnmarshalIndex: the index is read from disk, which a crash or
// another version may have left; reading never panics, and what it
// accepts marshals to the same bytes.
func FuzzUnmarshalIndex(f *testing.F) {
	f.Add((&TreeFiles{dirs: map[string]*dirIndex{"": {subdirs: []string{"a"}, entries: []string{"x", "m"}}, "a": {entries: []string{"a/l"}}},
		blobs: map[string]plumbing.Hash{"x": {1}}, links: map[string]plumbing.Hash{"a/l": {2}}, gitlinks: map[string]plumbing.Hash{"m": {3}}, execs: map[string]bool{}}).MarshalIndex())
	f.Fuzz(func(t *testing.T, b []byte) {
		idx, err := UnmarshalIndex(b)
		if err != nil {
			return
		}
		again, err := UnmarshalIndex(idx.MarshalIndex())
		if err != nil {
			t.Fatalf("re-marshalled index refused: %v", err)
		}
		if len(again.dirs) != len(idx.dirs) || len(again.blobs) != len(idx.blobs) {
			t.Errorf("re-marshalled index differs: %d dirs %d files, was %d and %d", len(again.dirs), len(again.blobs), len(idx.dirs), len(idx.blobs))
		}
	})
}

// FuzzReadIndex: an index read in place never panics, whatever its bytes,
// nor do its directories when decoded, and it accepts what UnmarshalIndex
// accepts.
func FuzzReadIndex(f *testing.F) {
	f.Add((&TreeFiles{dirs: map[string]*dirIndex{"": {subdirs: []string{"a"}, entries: []string{"x", "m"}}, "a": {entries: []string{"a/l"}}},
		blobs: map[string]plumbing.Hash{"x": {1}}, links: map[string]plumbing.Hash{"a/l": {2}}, gitlinks: map[string]plumbing.Hash{"m": {3}}, execs: map[string]bool{}}).MarshalIndex())
	f.Fuzz(func(t *testing.T, b []byte) {
		idx, err := ReadIndex(b)
		if err != nil {
			if _, err := UnmarshalIndex(b); err == nil {
				t.Fatal("UnmarshalIndex accepts an index ReadIndex refuses")
			}
			return
		}
		for _, d := range idx.dirs {
			_, _, _ = idx.tree(string(d.name), d.hash)
		}
	})
}

// Reading a tree stops when its context ends: a closing instance does not
// wait for a large tree to be read. That is a cancellation, not a damaged
// clone to clone again.
func TestFilesStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"a/b.yaml": []byte("b")})
	head, err := Open(repo.Dir, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files, err := head.Files(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrCorrupt) {
		t.Errorf("Files after cancel = %v, %v; want context.Canceled, not ErrCorrupt", files, err)
	}
}
