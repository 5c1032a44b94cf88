package listing

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/callboard/callboard/app/store"
)

func TestCache(t *testing.T) {
	t.Parallel()
	saved := codecRows()
	for i := range saved {
		saved[i].LocationID = "loc"
	}
	tests := []struct {
		name    string
		dir     func(t *testing.T) string
		version uint64
		ok      bool
		corrupt bool
	}{
		{"the version saved", savedCache(saved), 7, true, false},
		{"another version", savedCache(saved), 8, false, false},
		{"nothing saved", func(t *testing.T) string { return t.TempDir() }, 7, false, false},
		{"no folder", func(t *testing.T) string { return "" }, 7, false, false},
		{"a damaged file", func(t *testing.T) string {
			dir := savedCache(saved)(t)
			path := filepath.Join(dir, "listing-loc.bin")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b[:len(b)-3], 0o600); err != nil {
				t.Fatal(err)
			}
			return dir
		}, 7, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok, err := Cache{Dir: tt.dir(t)}.Load("loc", tt.version)
			if ok != tt.ok || errors.Is(err, ErrCorrupt) != tt.corrupt || err != nil && !tt.corrupt {
				t.Fatalf("Load = %d rows, ok %v, err %v; want ok %v, corrupt %v", len(got), ok, err, tt.ok, tt.corrupt)
			}
			if !ok {
				return
			}
			// The location is the file's, not written in it: Replace sets it.
			want := codecRows()
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("loaded (-saved +loaded):\n%s", diff)
			}
		})
	}
}

// savedCache returns a folder holding rows saved for location loc at version 7.
func savedCache(rows []store.Row) func(t *testing.T) string {
	return func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "cache")
		if err := (Cache{Dir: dir}).Save("loc", 7, rows); err != nil {
			t.Fatal(err)
		}
		return dir
	}
}
