package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustParse(t *testing.T, text string) []rule {
	t.Helper()
	rules, err := parsePolicy(text)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

// The fixture's tests, run for real by go test -json, come out as go test
// prints them: failed tests with their failed subtests under them, passing
// tests' logs left out; then the skips with why, the failures, and what
// breaks the policy.
func TestReportOfARealRun(t *testing.T) {
	t.Parallel()
	stream, err := exec.Command("go", "test", "-count=1", "-json", "./testdata/fixture").Output()
	if len(stream) == 0 {
		t.Fatalf("go test -json printed nothing: %v", err)
	}
	rules := mustParse(t, `
skip testdata/fixture TestFails/skips   may skip
run  testdata/fixture TestPasses        must run
run  testdata/fixture TestGone          renamed since
`)
	var out bytes.Buffer
	ok, err := run(bytes.NewReader(stream), &out, rules, false, false)
	if err != nil || ok {
		t.Fatalf("run = %v, %v; want a failure\n%s", ok, err, &out)
	}
	got := out.String()
	for _, want := range []string{
		"--- FAIL: TestFails (",
		"    fixture_test.go:10: the parent's log\n    --- FAIL: TestFails/fails (",
		"        fixture_test.go:12: boom\n",
		"FAIL\tgithub.com/callboard/callboard/internal/testcheck/testdata/fixture\t",
		"2 skipped:\n" +
			"  internal/testcheck/testdata/fixture TestFails/skips: allowed to skip (fixture_test.go:13)\n" +
			"  internal/testcheck/testdata/fixture TestSkips: no tool here second line (fixture_test.go:18)\n",
		"1 failed (their output is above):\n  internal/testcheck/testdata/fixture TestFails/fails\n",
		"  internal/testcheck/testdata/fixture TestSkips skipped, and no skip line allows it: no tool here",
		"  no test ran that policy line 4: run testdata/fixture TestGone names (renamed since)\n",
		"testcheck: FAIL: 2 passed, 1 failed, 2 skipped, 2 against the policy\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	for _, notWant := range []string{"not shown", "=== RUN", "TestFails/skips skipped, and no skip line"} {
		if strings.Contains(got, notWant) {
			t.Errorf("the report has %q:\n%s", notWant, got)
		}
	}
}

// A build that fails prints the compiler's words and fails the run, though
// no test failed.
func TestBuildFailure(t *testing.T) {
	t.Parallel()
	stream := `{"ImportPath":"x [x.test]","Action":"build-output","Output":"# x [x.test]\n"}
{"ImportPath":"x [x.test]","Action":"build-output","Output":"./x.go:2:12: undefined: y\n"}
{"ImportPath":"x [x.test]","Action":"build-fail"}
{"Action":"start","Package":"x"}
{"Action":"output","Package":"x","Output":"FAIL\tx [build failed]\n"}
{"Action":"fail","Package":"x","FailedBuild":"x [x.test]"}
{"Action":"run","Package":"y","Test":"TestY"}
{"Action":"pass","Package":"y","Test":"TestY"}
`
	var out bytes.Buffer
	ok, err := run(strings.NewReader(stream), &out, nil, false, false)
	if err != nil || ok {
		t.Fatalf("run = %v, %v; want a failure", ok, err)
	}
	if got := out.String(); !strings.Contains(got, "./x.go:2:12: undefined: y\nFAIL\tx [build failed]\n") || !strings.Contains(got, "testcheck: FAIL") {
		t.Errorf("report:\n%s", got)
	}
}

// A test binary that dies mid-test (a timeout, os.Exit) has its unended
// tests printed with what they wrote.
func TestUnendedTestIsPrinted(t *testing.T) {
	t.Parallel()
	stream := `{"Action":"run","Package":"x","Test":"TestHangs"}
{"Action":"output","Package":"x","Test":"TestHangs","Output":"=== RUN   TestHangs\n"}
{"Action":"output","Package":"x","Test":"TestHangs","Output":"    x_test.go:9: waiting\n"}
{"Action":"output","Package":"x","Output":"panic: test timed out after 10m0s\n"}
{"Action":"output","Package":"x","Output":"FAIL\tx\t600.1s\n"}
{"Action":"fail","Package":"x"}
`
	var out bytes.Buffer
	if ok, _ := run(strings.NewReader(stream), &out, nil, false, false); ok {
		t.Fatal("a timed-out run passed")
	}
	if got := out.String(); !strings.Contains(got, "panic: test timed out after 10m0s\nFAIL\tx\t600.1s\n    x_test.go:9: waiting\n") || !strings.Contains(got, "1 failed (their output is above):\n  x TestHangs\n") {
		t.Errorf("report:\n%s", got)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	rules := mustParse(t, `
# a comment
skip ...        TestHelper.*       child processes
skip app/scaffold TestGolden/corpus  no corpus
run  app/store  .*                 Badger
run  app/scaffold TestGolden/demo-.*  the demo
`)
	const mod = module + "/"
	tests := []struct {
		name     string
		outcomes []outcome
		partial  bool
		want     []string
	}{
		{"all ran", []outcome{
			{Package: mod + "app/store", Test: "TestOpen", Action: "pass"},
			{Package: mod + "app/scaffold", Test: "TestGolden/demo-a", Action: "pass"},
			{Package: mod + "app/scaffold", Test: "TestGolden/corpus", Action: "skip", Reason: "r"},
			{Package: mod + "sync/syncer", Test: "TestHelperSync", Action: "skip", Reason: "r"},
		}, false, nil},
		{"a failure is not the policy's business", []outcome{
			{Package: mod + "app/store", Test: "TestOpen", Action: "fail"},
			{Package: mod + "app/scaffold", Test: "TestGolden/demo-a", Action: "pass"},
		}, false, nil},
		{"a skip no line allows", []outcome{
			{Package: mod + "app/store", Test: "TestOpen", Action: "pass"},
			{Package: mod + "app/store", Test: "TestClose", Action: "skip", Reason: "no disk (x_test.go:3)"},
			{Package: mod + "app/scaffold", Test: "TestGolden/demo-a", Action: "pass"},
			{Package: mod + "app/catalog", Test: "TestGolden/corpus", Action: "skip", Reason: "no corpus"},
		}, false, []string{
			"app/store TestClose skipped, and no skip line allows it: no disk (x_test.go:3)",
			"app/catalog TestGolden/corpus skipped, and no skip line allows it: no corpus",
		}},
		{"a suite that skipped or never ran", []outcome{
			{Package: mod + "app/store", Test: "TestOpen", Action: "skip", Reason: "no disk"},
		}, false, []string{
			"app/store TestOpen skipped, and no skip line allows it: no disk",
			"no test ran that policy line 5: run app/store .* names (Badger)",
			"no test ran that policy line 6: run app/scaffold TestGolden/demo-.* names (the demo)",
		}},
		{"a selection need not run every suite", []outcome{
			{Package: mod + "app/store", Test: "TestOpen", Action: "pass"},
		}, true, nil},
		{"a package is matched by whole path elements", []outcome{
			{Package: mod + "app/store", Test: "TestOpen", Action: "pass"},
			{Package: mod + "app/scaffold", Test: "TestGolden/demo-a", Action: "pass"},
			{Package: mod + "myapp/scaffold", Test: "TestGolden/corpus", Action: "skip", Reason: "r"},
		}, false, []string{"myapp/scaffold TestGolden/corpus skipped, and no skip line allows it: r"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, check(rules, tt.outcomes, tt.partial)); diff != "" {
				t.Errorf("check (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePolicy(t *testing.T) {
	t.Parallel()
	if _, err := parsePolicy(policy); err != nil {
		t.Errorf("policy.txt: %v", err)
	}
	for _, bad := range []string{
		"skip app/store TestX",              // no why
		"allow app/store TestX because",     // no such kind
		"run app/store TestX( unbalanced x", // no regexp
	} {
		if _, err := parsePolicy(bad); err == nil {
			t.Errorf("parsePolicy(%q) accepted it", bad)
		}
	}
}

func TestSkipReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"    a_test.go:3: why\n"}, "why (a_test.go:3)"},
		{[]string{"    a_test.go:2: a log\n", "    a_test.go:3: why\n", "        and more\n"}, "why and more (a_test.go:3)"},
		{nil, "(no reason given)"},
	}
	for _, tt := range tests {
		if got := skipReason(tt.lines); got != tt.want {
			t.Errorf("skipReason(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}
