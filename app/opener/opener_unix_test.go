//go:build unix

package opener

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/callboard/callboard/internal/testbin"
)

// Start really starts the program, and does not wait for it: the editor
// writes into a FIFO, so it cannot finish before the test reads it.
func TestOpenStarts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mark := filepath.Join(dir, "opened")
	if err := syscall.Mkfifo(mark, 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "editor.sh")
	if err := testbin.Write(script, []byte("#!/bin/sh\necho \"$1\" > "+mark+"\n")); err != nil {
		t.Fatal(err)
	}
	cmd, err := (Opener{Editor: script}).Command(context.Background(), Editor, script)
	if err != nil {
		t.Fatal(err)
	}
	if err := Start(cmd); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(mark) // blocks until the editor opens it
		got <- b
	}()
	select {
	case b := <-got:
		if string(b) != script+"\n" {
			t.Errorf("the editor got %q", b)
		}
	case <-time.After(time.Minute):
		t.Fatal("the editor never ran")
	}
}
