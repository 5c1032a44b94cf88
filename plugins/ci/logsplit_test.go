package ci

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/callboard/callboard/plugins/pluginv1"
)

const (
	failed = pluginv1.Status_STATUS_ERROR
	passed = pluginv1.Status_STATUS_OK
)

// testdataJobs are the jobs of testdata/jobs.json.
func testdataJobs(t testing.TB) []job {
	t.Helper()
	data, err := os.ReadFile("testdata/jobs.json")
	if err != nil {
		t.Fatal(err)
	}
	var gh ghJobs
	if err := json.Unmarshal(data, &gh); err != nil {
		t.Fatal(err)
	}
	return gh.Jobs
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestSplitGitHubLog(t *testing.T) {
	t.Parallel()
	log := readTestdata(t, "job.log")
	steps := testdataJobs(t)[0].Steps
	pre, secs := splitGitHubLog(log, steps)
	want := []logSection{
		{Title: "Set up job", Status: passed, Duration: "1s", Lines: []string{"Current runner version: '2.321.0'", "▸ Operating System", "Ubuntu"}},
		{Title: "Run actions/checkout@v4", Status: passed, Duration: "1s", Lines: []string{"▸ Run actions/checkout@v4", "with:", "  repository: acme/payments", "Syncing repository: acme/payments"}},
		{Title: "Run go test ./... (failure)", Status: failed, Open: true, Duration: "13m 35s", Lines: []string{"▸ Run go test ./...", "go test ./...", "--- FAIL: TestCharge (0.01s)", "    charge_test.go:42: got 41, want 42", "Error: Process completed with exit code 1."}},
		{Title: "Run make lint (skipped)", Status: pluginv1.Status_STATUS_WARNING},
		{Title: "Complete job", Status: passed, Duration: "2s", Lines: []string{"Post job cleanup.", "Cleaning up orphan processes"}},
	}
	if len(pre) != 0 {
		t.Errorf("lines before the first step: %q", pre)
	}
	if d := cmp.Diff(want, secs, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("sections (-want +got):\n%s", d)
	}

	// Without steps (the job's steps could not be read), top-level groups
	// are the sections.
	pre, secs = splitGitHubLog(log, nil)
	if d := cmp.Diff([]string{"Current runner version: '2.321.0'"}, pre); d != "" {
		t.Errorf("lines before the first group (-want +got):\n%s", d)
	}
	var titles []string
	for _, s := range secs {
		titles = append(titles, s.Title)
	}
	if d := cmp.Diff([]string{"Operating System", "Run actions/checkout@v4", "Run go test ./..."}, titles); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
	if last := secs[2]; !last.Open || last.Status != failed || len(last.Lines) != 7 {
		t.Errorf("the group holding the error: %+v", last)
	}
}

func TestSplitGitLabTrace(t *testing.T) {
	t.Parallel()
	pre, secs := splitGitLabTrace(readTestdata(t, "trace.txt"), true)
	if d := cmp.Diff([]string{"Running with gitlab-runner 17.0.0 (abc)", "  on runner-1 xyz"}, pre); d != "" {
		t.Errorf("lines before the first section (-want +got):\n%s", d)
	}
	want := []logSection{
		{Title: `Preparing the "docker" executor`, Duration: "4s", Lines: []string{"Using Docker executor with image golang:1.26 ..."}},
		{Title: "Getting source from Git repository", Duration: "2s", Lines: []string{"Fetching changes with git depth set to 20..."}},
		{Title: `Executing "step_script" stage of the job script`, Duration: "1m 04s", Status: failed, Open: true,
			Lines: []string{"$ go test ./...", "Downloading modules", "go: downloading example.com/x v1.0.0", "--- FAIL: TestCharge (0.01s)", "downloading 100%"}},
		{Title: "Cleaning up project directory and file based variables", Duration: "1s"},
		{Title: "Job output", Status: failed, Open: true, Lines: []string{"ERROR: Job failed: exit code 1", ""}},
	}
	if d := cmp.Diff(want, secs, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("sections (-want +got):\n%s", d)
	}
}

func TestFitLog(t *testing.T) {
	t.Parallel()
	pre := []string{"a", "b"}
	secs := []logSection{{Title: "one", Lines: make([]string, maxShownLines)}, {Title: "two", Lines: []string{"last"}}}
	pre, secs, cut := fitLog(pre, secs)
	if !cut || len(pre) != 0 || len(secs[0].Lines) != maxShownLines-1 || secs[1].Lines[0] != "last" {
		t.Errorf("fitLog kept %d, %d, %d lines, cut %v", len(pre), len(secs[0].Lines), len(secs[1].Lines), cut)
	}
	if text, cut := lastLines("a\nb\nc\n", 2); text != "b\nc" || !cut {
		t.Errorf("lastLines(3 lines, 2) = %q, %v", text, cut)
	}
	if text, cut := lastLines("a\nb\n", 2); text != "a\nb" || cut {
		t.Errorf("lastLines(2 lines, 2) = %q, %v", text, cut)
	}
	long := strings.Repeat("é", maxLineBytes)
	if got := clean(long); len(got) > maxLineBytes || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Errorf("clean(a long line) = %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

// FuzzSplitLogs checks both splitters on any text: they never panic, and
// every line and title is valid UTF-8 without escapes or line ends, within
// its bounds, and no more lines come out than went in.
func FuzzSplitLogs(f *testing.F) {
	f.Add(readTestdata(f, "job.log"))
	f.Add(readTestdata(f, "trace.txt"))
	f.Add("section_start:1:a\r\x1b[0Ksection_start:2:a\nx\nsection_end:3:a\nsection_end:0:a\ny\n")
	f.Add("2026-03-01T03:00:21Z ##[group]\n##[endgroup]\n##[error\n\xff\xfe\n")
	steps := testdataJobs(f)[0].Steps
	f.Fuzz(func(t *testing.T, text string) {
		in := len(splitLines(text))
		check := func(name string, pre []string, secs []logSection) {
			n := len(pre)
			lines := append([]string{}, pre...)
			for _, s := range secs {
				n += len(s.Lines)
				lines = append(lines, s.Lines...)
				if !utf8.ValidString(s.Title) || len(s.Title) > maxTitleBytes || strings.ContainsAny(s.Title, "\n\r\x1b") {
					t.Fatalf("%s: title %q", name, s.Title)
				}
			}
			if n > in {
				t.Fatalf("%s: %d lines out of %d", name, n, in)
			}
			for _, l := range lines {
				if !utf8.ValidString(l) || len(l) > maxLineBytes || strings.ContainsAny(l, "\n\r\x1b") {
					t.Fatalf("%s: line %q", name, l)
				}
			}
		}
		pre, secs := splitGitHubLog(text, steps)
		check("github", pre, secs)
		pre, secs = splitGitHubLog(text, nil)
		check("github groups", pre, secs)
		pre, secs = splitGitLabTrace(text, true)
		check("gitlab", pre, secs)
	})
}
