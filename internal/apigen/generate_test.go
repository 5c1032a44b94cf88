package apigen

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesAreFresh fails when a generated file differs from
// what the declaration generates now: someone edited one by hand, or
// changed the declaration without running `go generate ./...`.
func TestGeneratedFilesAreFresh(t *testing.T) {
	t.Parallel()
	root, err := ModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		have, err := os.ReadFile(filepath.Join(root, f.Path))
		if err != nil {
			t.Errorf("%s: %v; run go generate ./...", f.Path, err)
			continue
		}
		if !bytes.Equal(have, f.Content) {
			t.Errorf("%s is not what the declaration in app/portal generates; run go generate ./...", f.Path)
		}
	}
}
