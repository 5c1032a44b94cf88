package fakehost

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"syscall"
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

// Run is a fake server command's life: start sets up its servers on a
// host of the command name and returns; they serve until SIGINT or
// SIGTERM, then the host is closed. It returns the exit code: 1 when
// start failed through the host's Fatal, else 0.
func Run(name string, start func(h *Host)) (code int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h := New(name)
	defer h.Close()
	defer func() {
		if p := recover(); p != nil {
			if _, failed := p.(Failed); !failed {
				panic(p)
			}
			code = 1
		}
	}()
	start(h)
	<-ctx.Done()
	return 0
}
