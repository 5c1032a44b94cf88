package portal

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// importDirs lists the preview clones left in dir.
func importDirs(t *testing.T, dir string) []string {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(dir, importDirPrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// A preview deletes its clone whatever its end, and refuses a clone
// past its bound in bytes.
func TestPreviewImportClone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := t.TempDir()
	s, _ := newService(t, func(c *Config) {
		c.DataDir = data
		c.Syncer = syncer.New(c.DB, filepath.Join(data, "clones"), gitfetch.Credentials{}, &events.Bus{}, c.Log, nil)
	})
	s.imports.maxBytes = 64 << 10
	small := gittest.New(t)
	small.Commit("Start", map[string][]byte{"README.md": []byte("# small\n")})
	large := gittest.New(t)
	noise := make([]byte, 256<<10) // does not compress
	rand.Read(noise)
	large.Commit("Start", map[string][]byte{"blob.bin": noise})
	tests := []struct {
		name, dir string
		want      string // "" for no error
	}{
		{"small", small.Dir, ""},
		{"over the bound", large.Dir, "is over 64 KiB"},
		{"not a repository", t.TempDir(), "read "},
	}
	for _, tt := range tests {
		_, err := s.PreviewImport(ctx, ImportSource{URL: tt.dir})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: PreviewImport = %v", tt.name, err)
		case tt.want != "" && (!errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: PreviewImport = %v, want ErrInvalid saying %q", tt.name, err, tt.want)
		}
		if left := importDirs(t, data); len(left) > 0 {
			t.Errorf("%s: clones left behind: %q", tt.name, left)
		}
	}
}

// The clones a stopped process left are deleted at start; nothing else is.
func TestRemoveStaleImports(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	for _, f := range []string{"import-123/objects/pack/x.pack", "import-9/HEAD", "store/MANIFEST", "import-file"} {
		p := filepath.Join(data, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := newService(t, func(c *Config) { c.DataDir = data })
	if err := s.RemoveStaleImports(); err != nil {
		t.Fatal(err)
	}
	if left := importDirs(t, data); len(left) != 1 || filepath.Base(left[0]) != "import-file" {
		t.Errorf("left %q, want only the file import-file", left)
	}
	if _, err := os.Stat(filepath.Join(data, "store", "MANIFEST")); err != nil {
		t.Errorf("the store went too: %v", err)
	}
}
