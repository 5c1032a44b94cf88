package host

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// A plugin's log is bounded by bytes, not lines alone: a plugin writing
// long lines without end costs at most logBytes of memory, and the
// Settings page receives no more.
const (
	logBytes = 256 << 10 // kept in all; the oldest lines go first
	logLine  = 4 << 10   // kept of one line
	logLines = 500
)

// ring keeps a plugin's last lines of stderr and the host's notes.
type ring struct {
	mu      sync.Mutex
	buf     []string
	size    int // bytes in buf
	dropped int // lines dropped for room
	// partial is the line being written, at most logLine bytes; long is
	// how many bytes that line has had in all.
	partial []byte
	long    int
	last    string
	crash   string
}

func newRing() *ring { return &ring{} }

// Write takes the plugin's stderr, split into lines. Of a line longer than
// logLine only its start is kept, so no line costs more than that.
func (r *ring) Write(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		chunk := b
		if i >= 0 {
			chunk = b[:i]
		}
		r.long += len(chunk)
		if room := logLine - len(r.partial); room > 0 {
			r.partial = append(r.partial, chunk[:min(room, len(chunk))]...)
		}
		if i < 0 {
			break
		}
		r.endLineLocked()
		b = b[i+1:]
	}
	return n, nil
}

// endLineLocked files the line in partial.
func (r *ring) endLineLocked() {
	text := strings.TrimRight(string(r.partial), "\r")
	total := r.long
	r.partial, r.long = r.partial[:0], 0
	line, debug := readable(text)
	if strings.TrimSpace(line) == "" || debug {
		return
	}
	if total > logLine {
		line = clip(line, logLine-64) + fmt.Sprintf(" … [line of %d bytes clipped]", total)
	}
	r.last = line
	if strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") {
		// A Go crash's first line says why; the stack follows.
		r.crash = line
	}
	r.addLocked(line)
}

// clip is s cut to at most n bytes, at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// readable turns a line of hclog JSON (what go-plugin and plugins that log
// through hclog write) into "level: message key=value…"; debug and trace
// lines are go-plugin's chatter and are dropped.
func readable(line string) (string, bool) {
	if !strings.HasPrefix(line, "{") {
		return line, false
	}
	var entry map[string]any
	if json.Unmarshal([]byte(line), &entry) != nil {
		return line, false
	}
	msg, ok := entry["@message"].(string)
	if !ok {
		return line, false
	}
	level, _ := entry["@level"].(string)
	if level == "debug" || level == "trace" {
		return "", true
	}
	var b strings.Builder
	b.WriteString(cmp.Or(level, "info") + ": " + msg)
	keys := make([]string, 0, len(entry))
	for k := range entry {
		if !strings.HasPrefix(k, "@") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, entry[k])
	}
	return b.String(), false
}

func (r *ring) note(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.crash, r.last = "", ""
	r.addLocked("[callboard " + time.Now().Format(time.TimeOnly) + "] " + s)
}

// addLocked keeps line (clipped to logLine) and drops the oldest lines
// until the log is within logLines and logBytes again.
func (r *ring) addLocked(line string) {
	line = clip(line, logLine)
	r.buf = append(r.buf, line)
	r.size += len(line)
	for len(r.buf) > logLines || r.size > logBytes {
		r.size -= len(r.buf[0])
		r.buf[0] = "" // the backing array must not keep it
		r.buf = r.buf[1:]
		r.dropped++
	}
}

// lines is the log, with a first line saying how many older lines were
// dropped, if any.
func (r *ring) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.buf)+1)
	if r.dropped > 0 {
		out = append(out, fmt.Sprintf("[callboard] %d earlier lines dropped: the log keeps the last %d lines or %d KB", r.dropped, logLines, logBytes>>10))
	}
	return append(out, r.buf...)
}

func (r *ring) lastOutput() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return cmp.Or(r.crash, r.last)
}
