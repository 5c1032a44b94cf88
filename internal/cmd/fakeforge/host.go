package main

import (
	"fmt"
	"os"
	"slices"
	"testing"
)

// host is the testing.TB forgetest and gittest are written against,
// for a process: temporary folders removed and cleanups run at close,
// a failure printed to stderr and ending the server (hostFailed).
// Only the methods those packages call are implemented; the embedded
// interface is nil.
type host struct {
	testing.TB
	dirs     []string
	cleanups []func()
}

// hostFailed is the panic a Fatal raises, recovered in main.
type hostFailed struct{}

func newHost() *host { return &host{} }

func (h *host) Helper()                   {}
func (h *host) Cleanup(f func())          { h.cleanups = append(h.cleanups, f) }
func (h *host) Logf(f string, a ...any)   { fmt.Fprintf(os.Stderr, "fakeforge: "+f+"\n", a...) }
func (h *host) Errorf(f string, a ...any) { h.Logf(f, a...) }

func (h *host) Fatal(a ...any) {
	fmt.Fprintln(os.Stderr, append([]any{"fakeforge:"}, a...)...)
	panic(hostFailed{})
}

func (h *host) Fatalf(f string, a ...any) {
	h.Logf(f, a...)
	panic(hostFailed{})
}

func (h *host) Skipf(f string, a ...any) { h.Fatalf(f, a...) }

func (h *host) TempDir() string {
	dir, err := os.MkdirTemp("", "fakeforge-")
	if err != nil {
		h.Fatal(err)
	}
	h.dirs = append(h.dirs, dir)
	return dir
}

// close runs the cleanups, newest first, and removes the folders.
func (h *host) close() {
	for _, f := range slices.Backward(h.cleanups) {
		f()
	}
	for _, d := range h.dirs {
		os.RemoveAll(d)
	}
}
