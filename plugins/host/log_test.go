package host

import (
	"fmt"
	"strings"
	"testing"
)

// kept is what a log holds: its lines and the line being written.
func kept(r *ring) int {
	n := cap(r.partial)
	for _, l := range r.lines() {
		n += len(l)
	}
	return n
}

// A plugin's log stays within its byte budget however the plugin writes:
// long lines are clipped, the oldest lines go first, and the log says so.
func TestLogBudget(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 128<<10)
	tests := []struct {
		name  string
		write func(r *ring)
		// first and last are the log's first and last lines' beginnings.
		first, last string
		lines       int
	}{
		{"500 lines of 128 KB, as go-plugin hands them over", func(r *ring) {
			for i := range 500 {
				r.Write([]byte(fmt.Sprintf("%03d ", i) + long))
				r.Write([]byte{'\n'})
			}
		}, "[callboard] 436 earlier lines dropped", "499 xxx", 65},
		{"10 MB without a line end, then one", func(r *ring) {
			chunk := []byte(strings.Repeat("y", 64<<10))
			for range 160 {
				r.Write(chunk)
			}
			r.Write([]byte("\nafter\n"))
		}, "yyy", "after", 2},
		{"many short lines", func(r *ring) {
			for i := range 100_000 {
				fmt.Fprintf(r, "line %d\n", i)
			}
		}, "[callboard] 99500 earlier lines dropped", "line 99999", 501},
		{"a panic on a long line is still the crash", func(r *ring) {
			r.Write([]byte("panic: " + long + "\n"))
			r.Write([]byte("goroutine 1 [running]:\n"))
		}, "panic: xxx", "goroutine 1", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRing()
			tt.write(r)
			if n := kept(r); n > logBytes+logLine {
				t.Errorf("the log keeps %d bytes, over %d", n, logBytes+logLine)
			}
			lines := r.lines()
			if len(lines) != tt.lines {
				t.Errorf("%d lines, want %d", len(lines), tt.lines)
			}
			for _, l := range lines {
				if len(l) > logLine {
					t.Errorf("a line of %d bytes", len(l))
				}
			}
			if len(lines) == 0 || !strings.HasPrefix(lines[0], tt.first) || !strings.HasPrefix(lines[len(lines)-1], tt.last) {
				t.Errorf("first %.60q, last %.60q; want %q … %q", lines[0], lines[len(lines)-1], tt.first, tt.last)
			}
		})
	}
	r := newRing()
	r.Write([]byte("panic: " + long + "\ngoroutine 1 [running]:\n"))
	if got := r.lastOutput(); !strings.HasPrefix(got, "panic: xxx") || !strings.HasSuffix(got, fmt.Sprintf("[line of %d bytes clipped]", len(long)+7)) || len(got) > logLine {
		t.Errorf("the crash line is %d bytes: %.40q…%.40q", len(got), got, got[max(0, len(got)-40):])
	}
}
