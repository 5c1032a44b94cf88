// Command testcheck reads `go test -json` on its standard input and prints
// it as `go test` does — each package's summary line and the output of the
// tests that failed — then every test that skipped, with why. It exits 1
// when a test or a build failed, or when the run breaks policy.txt: a
// test skipped that no skip line allows, or no test a run line names ran. So a machine missing what a suite
// needs fails `make test` instead of passing it untested.
//
//	go test -json ./... | go run ./internal/testcheck
//
// With -partial the run is a selection (`go test -run`) and run lines are
// not checked; -v prints every test's output as it comes.
package main

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// module is the import path the policy's package names are relative to.
const module = "github.com/callboard/callboard"

//go:embed policy.txt
var policy string

func main() {
	partial := flag.Bool("partial", false, "the tests are a selection: do not require the run lines' tests")
	verbose := flag.Bool("v", false, "print every test's output, as go test -v")
	flag.Parse()
	rules, err := parsePolicy(policy)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testcheck: policy.txt: %v\n", err)
		os.Exit(2)
	}
	ok, err := run(os.Stdin, os.Stdout, rules, *partial, *verbose)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testcheck: %v\n", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// run reads the stream from in, reports on out, and says whether the
// tests passed within the rules.
func run(in io.Reader, out io.Writer, rules []rule, partial, verbose bool) (bool, error) {
	r := newReport(out, verbose)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			// Not test2json's: the go command's own words.
			fmt.Fprintln(out, sc.Text())
			continue
		}
		r.handle(e)
	}
	if err := sc.Err(); err != nil {
		return false, fmt.Errorf("read the test stream: %w", err)
	}
	return summarize(out, r, check(rules, r.outcomes, partial)), nil
}

// summarize lists the skips, the failed tests and the broken rules, and
// says whether all is well.
func summarize(w io.Writer, r *report, broken []string) bool {
	var skipped, failed []outcome
	passed := 0
	for _, o := range r.outcomes {
		switch o.Action {
		case "skip":
			skipped = append(skipped, o)
		case "fail":
			failed = append(failed, o)
		case "pass":
			passed++
		}
	}
	byName := func(a, b outcome) int {
		return strings.Compare(a.Package+" "+a.Test, b.Package+" "+b.Test)
	}
	slices.SortFunc(skipped, byName)
	slices.SortFunc(failed, byName)
	if len(skipped) > 0 {
		fmt.Fprintf(w, "\n%d skipped:\n", len(skipped))
		for _, o := range skipped {
			fmt.Fprintf(w, "  %s %s: %s\n", short(o.Package), o.Test, o.Reason)
		}
	}
	// A parent fails with its subtest: name the subtest only.
	var leaves []outcome
	for _, o := range failed {
		if !slices.ContainsFunc(failed, func(sub outcome) bool {
			return sub.Package == o.Package && strings.HasPrefix(sub.Test, o.Test+"/")
		}) {
			leaves = append(leaves, o)
		}
	}
	if len(leaves) > 0 {
		fmt.Fprintf(w, "\n%d failed (their output is above):\n", len(leaves))
		for _, o := range leaves {
			fmt.Fprintf(w, "  %s %s\n", short(o.Package), o.Test)
		}
	}
	if len(broken) > 0 {
		fmt.Fprintf(w, "\nthe tests that ran break internal/testcheck/policy.txt:\n")
		for _, b := range broken {
			fmt.Fprintf(w, "  %s\n", b)
		}
	}
	switch {
	case len(r.outcomes) == 0:
		fmt.Fprintln(w, "testcheck: FAIL: no test ran")
		return false
	case r.failed || len(broken) > 0:
		fmt.Fprintf(w, "testcheck: FAIL: %d passed, %d failed, %d skipped, %d against the policy\n", passed, len(leaves), len(skipped), len(broken))
		return false
	}
	fmt.Fprintf(w, "testcheck: ok: %d passed, %d skipped as the policy allows\n", passed, len(skipped))
	return true
}
