package fakehost

import (
	"fmt"
	"os"
	"slices"
	"testing"
)

// Host is a testing.TB for a process: temporary folders removed and
// cleanups run at Close, a failure printed to stderr, prefixed with the
// command's name, and ending the server (Failed). Only the methods the
// fake servers call are implemented; the embedded interface is nil.
type Host struct {
	testing.TB
	name     string
	dirs     []string
	cleanups []func()
}

// Failed is the panic a Fatal raises, recovered in main.
type Failed struct{}

// New returns the host of the command name.
func New(name string) *Host { return &Host{name: name} }

func (h *Host) Helper()                   {}
func (h *Host) Cleanup(f func())          { h.cleanups = append(h.cleanups, f) }
func (h *Host) Logf(f string, a ...any)   { fmt.Fprintf(os.Stderr, h.name+": "+f+"\n", a...) }
func (h *Host) Errorf(f string, a ...any) { h.Logf(f, a...) }

func (h *Host) Fatal(a ...any) {
	fmt.Fprintln(os.Stderr, append([]any{h.name + ":"}, a...)...)
	panic(Failed{})
}

func (h *Host) Fatalf(f string, a ...any) {
	h.Logf(f, a...)
	panic(Failed{})
}

func (h *Host) Skipf(f string, a ...any) { h.Fatalf(f, a...) }

func (h *Host) TempDir() string {
	dir, err := os.MkdirTemp("", h.name+"-")
	if err != nil {
		h.Fatal(err)
	}
	h.dirs = append(h.dirs, dir)
	return dir
}

// Close runs the cleanups, newest first, and removes the folders.
func (h *Host) Close() {
	for _, f := range slices.Backward(h.cleanups) {
		f()
	}
	for _, d := range h.dirs {
		os.RemoveAll(d)
	}
}
