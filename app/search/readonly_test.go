package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenReadOnly(t *testing.T) {
	t.Parallel()
	// built writes an index of one entity and closes it, after change.
	built := func(t *testing.T, change func(x *Index)) string {
		x, _, err := Open(filepath.Join(t.TempDir(), "search"))
		if err != nil {
			t.Fatal(err)
		}
		doc := Doc{ID: "entity:component:default/payments", Type: TypeEntity, Ref: "component:default/payments", Location: "loc", Kind: "Component", Name: "payments"}
		if err := x.Apply(context.Background(), []Doc{doc}, nil); err != nil {
			t.Fatal(err)
		}
		if change != nil {
			change(x)
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		return x.dir
	}
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
		want error // nil: opens and answers
	}{
		{"built", func(t *testing.T) string { return built(t, nil) }, nil},
		{"missing", func(t *testing.T) string { return filepath.Join(t.TempDir(), "search") }, ErrNotReadable},
		{"another mapping", func(t *testing.T) string {
			return built(t, func(x *Index) {
				if err := x.idx.SetInternal([]byte("mapping-version"), []byte("0")); err != nil {
					t.Fatal(err)
				}
			})
		}, ErrNotReadable},
		{"damaged", func(t *testing.T) string {
			dir := built(t, nil)
			if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{"), 0o600); err != nil {
				t.Fatal(err)
			}
			return dir
		}, ErrNotReadable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := tc.dir(t)
			x, err := OpenReadOnly(dir)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("OpenReadOnly error = %v, want %v", err, tc.want)
				}
				if _, serr := os.Stat(dir); tc.name == "missing" && serr == nil {
					t.Error("OpenReadOnly made the missing index")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			r, err := x.Search(context.Background(), Query{Text: "payments", Limit: 5})
			if err != nil || len(r.Hits) == 0 || r.Hits[0].Name != "payments" {
				t.Errorf("Search = %v, %v; want payments first", names(r), err)
			}
			if err := x.Apply(context.Background(), []Doc{{ID: "x", Type: TypeEntity, Name: "x"}}, nil); !errors.Is(err, ErrReadOnly) {
				t.Errorf("Apply on a read-only index: %v, want ErrReadOnly", err)
			}
			if err := x.SetMark("loc:x", "1"); !errors.Is(err, ErrReadOnly) {
				t.Errorf("SetMark on a read-only index: %v, want ErrReadOnly", err)
			}
		})
	}
}
