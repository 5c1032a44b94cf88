package launch

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/callboard/callboard/internal/testbin"
)

// A program held by hold still starts after its file was replaced, as an
// upgrade replaces /usr/bin/callboard under a running window.
func TestHoldOutlivesReplacement(t *testing.T) {
	t.Parallel()
	real, err := exec.LookPath("true")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(real)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "callboard")
	if err := testbin.Write(path, data); err != nil {
		t.Fatal(err)
	}
	held, err := hold(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := testbin.Write(path, []byte("#!/bin/sh\nexit 3\n")); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(held).Run(); err != nil {
		t.Errorf("the held program, its file replaced: %v", err)
	}
}
