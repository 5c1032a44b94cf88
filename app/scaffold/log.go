package scaffold

import (
	"fmt"
	"sync"
	"unicode/utf8"
)

// Log budgets. A template is untrusted: a debug:log of megabytes in an
// each loop must neither fill the app's memory nor outgrow the run's
// stored record, so each line, each step and the whole run keep at most
// these many bytes (a line also costs lineCost, so floods of empty lines
// are bounded too).
const (
	MaxLogLine = 16 << 10
	maxStepLog = 256 << 10
	maxRunLog  = 1 << 20
	lineCost   = 32
)

// Log is a run's log within budgets: every step keeps the head and the
// tail of its lines (maxStepLog), the run keeps the head and the tail of
// what its steps kept (maxRunLog), and one line stands where lines were
// cut, saying how many. Lines are added already cut to MaxLogLine. Safe
// for concurrent use.
type Log struct {
	mu      sync.Mutex
	run     keeper
	step    keeper
	current int
}

// NewLog returns an empty log.
func NewLog() *Log {
	return &Log{run: keeper{budget: maxRunLog}, step: keeper{budget: maxStepLog}, current: -1}
}

// Add appends a line to step i (steps are numbered from 0 in the order
// they start); a line of a new step ends the one before.
func (l *Log) Add(i int, line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.switchTo(i)
	l.step.add(i, line)
}

// EndStep hands step i's kept lines over to the run's budget.
func (l *Log) EndStep(i int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.switchTo(i)
	l.flush()
}

func (l *Log) switchTo(i int) {
	if i != l.current {
		l.flush()
		l.current = i
	}
}

func (l *Log) flush() {
	for _, e := range l.step.lines("of this step's log") {
		l.run.add(e.step, e.text)
	}
	l.step = keeper{budget: maxStepLog}
}

// Steps returns the kept lines of steps 0 to n-1, the step under way
// included; a step without lines gets an empty list.
func (l *Log) Steps(n int) [][]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([][]string, n)
	for i := range out {
		out[i] = []string{}
	}
	put := func(lines []logLine) {
		for _, e := range lines {
			if e.step >= 0 && e.step < n {
				out[e.step] = append(out[e.step], e.text)
			}
		}
	}
	put(l.run.lines("of the run's log"))
	put(l.step.lines("of this step's log"))
	return out
}

type logLine struct {
	step int
	text string
}

// keeper keeps the first half of its budget of lines and the latest lines
// that fit the other half; those between are counted, not kept.
type keeper struct {
	budget    int
	head      []logLine
	headBytes int
	tail      []logLine
	tailBytes int
	cutLines  int
	cutBytes  int64
	// cutStep is the step of the first line cut, where the note goes.
	cutStep int
}

func (k *keeper) add(step int, text string) {
	cost := len(text) + lineCost
	if k.cutLines == 0 && len(k.tail) == 0 && k.headBytes+cost <= k.budget/2 {
		k.head = append(k.head, logLine{step, text})
		k.headBytes += cost
		return
	}
	k.tail = append(k.tail, logLine{step, text})
	k.tailBytes += cost
	for k.tailBytes > k.budget/2 && len(k.tail) > 0 {
		first := k.tail[0]
		if k.cutLines == 0 {
			k.cutStep = first.step
		}
		k.cutLines++
		k.cutBytes += int64(len(first.text))
		k.tailBytes -= len(first.text) + lineCost
		// Cleared so the array behind the slice does not keep it alive.
		k.tail[0] = logLine{}
		k.tail = k.tail[1:]
	}
}

// lines is the head, a note saying what was cut (of what), the tail.
func (k *keeper) lines(of string) []logLine {
	out := make([]logLine, 0, len(k.head)+1+len(k.tail))
	out = append(out, k.head...)
	if k.cutLines > 0 {
		out = append(out, logLine{k.cutStep, fmt.Sprintf("… %d lines (%d bytes) %s cut here …", k.cutLines, k.cutBytes, of)})
	}
	return append(out, k.tail...)
}

// cutLine redacts a line and keeps at most MaxLogLine bytes of it, saying
// how long it was. Only a prefix of a long line is redacted, so a line of
// megabytes is not copied; longest is the longest secret, and the
// prefix's last longest-1 bytes are dropped, since a secret cut there
// would escape redaction.
func cutLine(s string, redact func(string) string, longest int) string {
	total := len(s)
	if total > MaxLogLine+longest {
		s = redact(s[:MaxLogLine+longest])
		if longest > 1 {
			s = s[:len(s)-(longest-1)]
		}
	} else {
		s = redact(s)
	}
	if len(s) <= MaxLogLine && total <= MaxLogLine+longest {
		return s
	}
	return cutText(s, total)
}

// cutText cuts s to MaxLogLine bytes on a character boundary and says how
// long the whole was.
func cutText(s string, total int) string {
	if len(s) > MaxLogLine {
		i := MaxLogLine
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
	}
	return fmt.Sprintf("%s … [cut: %d bytes in all]", s, total)
}
