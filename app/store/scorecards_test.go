package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScorecardResults(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		read := func() map[string]string {
			got := map[string]string{}
			if err := db.ScorecardResults(ctx, func(ref string, data []byte) error {
				got[ref] = string(data)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return got
		}
		// Many at once, as a cold run stores.
		put := map[string][]byte{}
		want := map[string]string{}
		for i := range 3000 {
			ref := fmt.Sprintf("component:default/c%05d", i)
			put[ref] = []byte(fmt.Sprintf(`{"r":%d,"pad":"%01000d"}`, i, i))
			want[ref] = string(put[ref])
		}
		if err := db.UpdateScorecardResults(ctx, put, nil); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, read()); d != "" {
			t.Fatalf("after a cold run (-want +got):\n%s", d)
		}
		steps := []struct {
			name string
			put  map[string][]byte
			gone []string
		}{
			{"one changed", map[string][]byte{"component:default/c00001": []byte("x")}, nil},
			{"one gone, one new", map[string][]byte{"component:default/new": []byte("n")}, []string{"component:default/c00002"}},
			{"nothing", nil, nil},
		}
		for _, s := range steps {
			if err := db.UpdateScorecardResults(ctx, s.put, s.gone); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			for ref, data := range s.put {
				want[ref] = string(data)
			}
			for _, ref := range s.gone {
				delete(want, ref)
			}
			if d := cmp.Diff(want, read()); d != "" {
				t.Errorf("%s (-want +got):\n%s", s.name, d)
			}
		}
	})
}
