package gitfetch

import (
	"errors"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"
)

func TestRawTree(t *testing.T) {
	t.Parallel()
	h := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	entry := func(mode, name string) string { return mode + " " + name + "\x00" + string(h[:]) }
	for _, tc := range []struct {
		name string
		data string
		want []object.TreeEntry
		bad  bool
	}{
		{"empty", "", nil, false},
		{"every kind", entry("40000", "dir") + entry("100644", "a file.yaml") + entry("100755", "run") + entry("120000", "link") + entry("160000", "sub"),
			[]object.TreeEntry{{Name: "dir", Mode: filemode.Dir, Hash: h}, {Name: "a file.yaml", Mode: filemode.Regular, Hash: h},
				{Name: "run", Mode: filemode.Executable, Hash: h}, {Name: "link", Mode: filemode.Symlink, Hash: h}, {Name: "sub", Mode: filemode.Submodule, Hash: h}}, false},
		{"hash cut short", entry("100644", "a")[:20], nil, true},
		{"no mode", " a\x00" + string(h[:]), nil, true},
		{"no name", "100644 \x00" + string(h[:]), nil, true},
		{"mode not octal", entry("100944", "a"), nil, true},
		{"no space", "100644a\x00" + string(h[:]), nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []object.TreeEntry
			err := rawTree{hash: h, data: []byte(tc.data)}.each(func(e rawEntry) error {
				got = append(got, object.TreeEntry{Name: string(e.name), Mode: e.mode, Hash: e.hash})
				return nil
			})
			if tc.bad {
				if !errors.Is(err, errBadTree) {
					t.Errorf("error %v, want %v", err, errBadTree)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			for _, e := range tc.want {
				if f, ok, err := (rawTree{hash: h, data: []byte(tc.data)}).find(e.Name); !ok || err != nil || string(f.name) != e.Name {
					t.Errorf("find(%q) = %q, %v, %v", e.Name, f.name, ok, err)
				}
			}
		})
	}
}
