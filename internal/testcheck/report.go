package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json), build events
// included.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// outcome is how one test or subtest ended.
type outcome struct {
	Package, Test string
	Action        string // pass, fail or skip
	Reason        string // a skip's message
}

// node is a test whose output is kept until it ends: a failed test is
// printed with its failed subtests under it, as `go test` prints it.
type node struct {
	result   string // the "--- FAIL: …" line
	lines    []string
	children []*node
	failed   bool
}

// report prints a `go test -json` stream as plain `go test` prints it — the
// packages' summary lines and the output of failed tests — and records how
// every test ended.
type report struct {
	w       io.Writer
	verbose bool // print every line as it comes, as `go test -v`

	tests    map[string]*node // by package and test name, while it runs
	outcomes []outcome
	failed   bool // a test, a package or a build failed
}

func newReport(w io.Writer, verbose bool) *report {
	return &report{w: w, verbose: verbose, tests: map[string]*node{}}
}

// framing matches the lines test2json adds to say which test runs.
var framing = regexp.MustCompile(`^=== (RUN|PAUSE|CONT|NAME)\s`)

// resultLine matches a test's closing line.
var resultLine = regexp.MustCompile(`^\s*--- (PASS|FAIL|SKIP): `)

func (r *report) handle(e event) {
	switch {
	case e.Action == "build-output":
		fmt.Fprint(r.w, e.Output)
		return
	case e.Action == "build-fail":
		r.failed = true
		return
	case r.verbose && e.Action == "output":
		fmt.Fprint(r.w, e.Output)
	}
	if e.Test == "" {
		r.handlePackage(e)
		return
	}
	key := e.Package + " " + e.Test
	n := r.tests[key]
	if n == nil {
		n = &node{}
		r.tests[key] = n
		if i := strings.LastIndex(e.Test, "/"); i >= 0 {
			if p := r.tests[e.Package+" "+e.Test[:i]]; p != nil {
				p.children = append(p.children, n)
			}
		}
	}
	switch e.Action {
	case "output":
		switch {
		case framing.MatchString(e.Output):
		case resultLine.MatchString(e.Output):
			n.result = strings.TrimLeft(e.Output, " ")
		default:
			n.lines = append(n.lines, e.Output)
		}
	case "pass", "fail", "skip":
		o := outcome{Package: e.Package, Test: e.Test, Action: e.Action}
		if e.Action == "skip" {
			o.Reason = skipReason(n.lines)
		}
		r.outcomes = append(r.outcomes, o)
		n.failed = e.Action == "fail"
		if e.Action == "fail" {
			r.failed = true
		}
		// A subtest stays in its parent's tree; a test is printed if it
		// failed, and forgotten.
		if !strings.Contains(e.Test, "/") {
			if n.failed && !r.verbose {
				r.print(n, 0)
			}
			r.forget(e.Package, e.Test)
		}
	}
}

// handlePackage prints the package's own lines (`ok`, `FAIL`, `?`, a
// panic outside any test) and, when it failed, the tests it left unended:
// a timeout or an os.Exit ends the binary under them.
func (r *report) handlePackage(e event) {
	switch e.Action {
	case "output":
		if !r.verbose && e.Output != "PASS\n" {
			fmt.Fprint(r.w, e.Output)
		}
	case "fail":
		r.failed = true
		for key, n := range r.tests {
			pkg, test, _ := strings.Cut(key, " ")
			if pkg == e.Package && !strings.Contains(test, "/") {
				if !r.verbose {
					r.print(n, 0)
				}
				r.outcomes = append(r.outcomes, outcome{Package: pkg, Test: test, Action: "fail"})
			}
		}
		r.forget(e.Package, "")
	}
}

// print writes a failed test's result line, its output, and its failed
// subtests indented under it.
func (r *report) print(n *node, depth int) {
	indent := strings.Repeat("    ", depth)
	if n.result != "" {
		fmt.Fprint(r.w, indent+n.result)
	}
	for _, l := range n.lines {
		fmt.Fprint(r.w, indent+l)
	}
	for _, c := range n.children {
		if c.failed {
			r.print(c, depth+1)
		}
	}
}

// forget drops the nodes of a test and its subtests, or of every test of
// pkg when test is "".
func (r *report) forget(pkg, test string) {
	for key := range r.tests {
		p, t, _ := strings.Cut(key, " ")
		if p == pkg && (test == "" || t == test || strings.HasPrefix(t, test+"/")) {
			delete(r.tests, key)
		}
	}
}

// logLine matches the start of a t.Log or t.Skip message.
var logLine = regexp.MustCompile(`^\s+(\S+_test\.go:\d+): (.*)`)

// skipReason is the skip's message: the test's last logged message (t.Skip
// logs it last), with where it was called, on one line.
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		m := logLine.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		msg := []string{m[2]}
		for _, l := range lines[i+1:] {
			msg = append(msg, strings.TrimSpace(l))
		}
		return strings.Join(msg, " ") + " (" + m[1] + ")"
	}
	return "(no reason given)"
}
