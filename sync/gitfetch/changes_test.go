package gitfetch

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/gittest"
)

func TestChangedSince(t *testing.T) {
	t.Parallel()
	base := map[string][]byte{"a.yaml": []byte("a"), "dir/b.yaml": []byte("b"), "dir/deep/c.yaml": []byte("c"), "other/d.yaml": []byte("d")}
	for _, tc := range []struct {
		name   string
		change map[string][]byte
		want   Changes
	}{
		{"nothing", map[string][]byte{}, Changes{}},
		{"one file deep", map[string][]byte{"dir/deep/c.yaml": []byte("c2")}, Changes{Modified: []string{"dir/deep/c.yaml"}}},
		{"two files", map[string][]byte{"a.yaml": []byte("a2"), "other/d.yaml": []byte("d2")}, Changes{Modified: []string{"a.yaml", "other/d.yaml"}}},
		{"added", map[string][]byte{"dir/new.yaml": []byte("n")}, Changes{Reshaped: true}},
		{"removed", map[string][]byte{"dir/b.yaml": nil}, Changes{Reshaped: true}},
		{"removed and modified", map[string][]byte{"dir/b.yaml": nil, "a.yaml": []byte("a3")}, Changes{Modified: []string{"a.yaml"}, Reshaped: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			repo := gittest.New(t)
			old := repo.Commit("base", base)
			repo.Commit("change", tc.change)
			head, err := Open(repo.Dir, "main")
			if err != nil {
				t.Fatal(err)
			}
			got, err := head.ChangedSince(context.Background(), old)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("unknown commit", func(t *testing.T) {
		t.Parallel()
		repo := gittest.New(t)
		repo.Commit("base", base)
		head, err := Open(repo.Dir, "main")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := head.ChangedSince(context.Background(), "0123456789012345678901234567890123456789"); err == nil {
			t.Error("a commit the clone does not hold compared without an error")
		}
	})
}
