package adr

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/internal/jsonl"
)

// The differential test against Backstage's ADR plugin
// (conformance/adr/oracle.cjs): its file filter (madrFilePathFilter of
// @backstage/plugin-adr-common 0.2.22) and its backend's MADR parser
// (createMadrParser of @backstage/plugin-adr-backend 0.4.15, the last
// versions the registry serves: the @backstage-community packages are
// not there). `make conformance-adr` installs them and sets
// CALLBOARD_ADR_ORACLE to their folder; without it the test compares
// with their answers recorded in recordedAnswers (-update with the oracle
// rewrites them).

var update = flag.Bool("update", false, "record the ADR plugin's answers in testdata/oracle (needs CALLBOARD_ADR_ORACLE)")

const (
	recordedAnswers = "testdata/oracle/adr-plugin.jsonl"
	casesDir        = "testdata/records"
)

type pluginCase struct {
	Path    string `json:"path"`
	Content string `json:"content"`
	Answer  *struct {
		Filter bool   `json:"filter"`
		Title  string `json:"title,omitempty"`
		Status string `json:"status,omitempty"`
		Date   string `json:"date,omitempty"`
		Error  string `json:"error,omitempty"`
	} `json:"answer,omitempty"`
}

// filterPaths are paths for the file filter alone.
var filterPaths = []string{
	"0001-a.md", "docs/adr/0001-a.md", "001-a.md", "00001-a.md", "0001a.md", "0001-.md",
	"0001-a.MD", "0001-a.markdown", "template.md", "index.md", "README.md", "adr-template.md",
	"0000-template.md", "a0001-x.md", "0001-a/b.md", "sub/dir/9999-last.md", "0001-a.md.bak",
	".0001-a.md", "0001 -a.md", "ADR-0001-a.md",
}

func pluginCases(t *testing.T) []pluginCase {
	t.Helper()
	var cases []pluginCase
	err := filepath.WalkDir(casesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(casesDir, p)
		cases = append(cases, pluginCase{Path: filepath.ToSlash(rel), Content: string(b)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range filterPaths {
		cases = append(cases, pluginCase{Path: p, Content: "# Filter only\n"})
	}
	return cases
}

// differs are the cases where Callboard reads more than the plugin, by
// design, and what differs.
var differs = map[string]string{
	"edge/0001-empty.md":             "listed with its file name as title; the plugin throws",
	"edge/0002-only-front-matter.md": "listed with its file name as title; the plugin throws",
	"edge/0012-bom.md":               "the byte order mark is dropped; the plugin's marked sees no heading",
}

func TestAgainstADRPlugin(t *testing.T) {
	cases := pluginCases(t)
	dir := os.Getenv("CALLBOARD_ADR_ORACLE")
	var want []pluginCase
	if dir == "" {
		t.Log("CALLBOARD_ADR_ORACLE is not set: comparing with the ADR plugin's answers recorded in " + recordedAnswers + " (`make conformance-adr` asks the plugin itself)")
		recorded, err := jsonl.Read[pluginCase](recordedAnswers)
		if err != nil {
			t.Fatal(err)
		}
		inputs := func(cs []pluginCase) []pluginCase {
			out := slices.Clone(cs)
			for i := range out {
				out[i].Answer = nil
			}
			return out
		}
		if d := gocmp.Diff(inputs(cases), inputs(recorded)); d != "" {
			t.Fatalf("the recording is stale: run `make conformance-adr UPDATE=1` (-cases +recorded):\n%s", d)
		}
		want = recorded
	} else {
		want = askPlugin(t, dir, cases)
		if *update {
			if err := jsonl.Write(recordedAnswers, want); err != nil {
				t.Fatal(err)
			}
		} else if recorded, err := jsonl.Read[pluginCase](recordedAnswers); err != nil || !gocmp.Equal(recorded, want) {
			t.Errorf("the recorded answers differ from the ADR plugin's (%v): run `make conformance-adr UPDATE=1`", err)
		}
	}
	for _, c := range want {
		t.Run(c.Path, func(t *testing.T) {
			a := c.Answer
			if got := IsFile(c.Path); got != a.Filter {
				t.Errorf("IsFile = %v, the plugin's filter says %v", got, a.Filter)
			}
			r, err := Parse(c.Path, []byte(c.Content))
			if err != nil {
				t.Fatalf("Parse: %v (the plugin: %+v)", err, *a)
			}
			if why, ok := differs[c.Path]; ok {
				t.Logf("differs by design: %s (the plugin: %+v)", why, *a)
				return
			}
			if a.Error != "" {
				t.Fatalf("the plugin throws %q; Parse gives %+v", a.Error, r)
			}
			wantTitle := a.Title
			if wantTitle == strings.TrimSuffix(c.Path, ".md") {
				wantTitle = strings.TrimSuffix(path.Base(c.Path), ".md") // the plugin falls back on the path, Callboard on the name
			}
			if r.Title != wantTitle {
				t.Errorf("title %q, the plugin says %q", r.Title, a.Title)
			}
			var status string
			switch r.Format {
			case FormatFrontMatter:
				status = r.StatusText
			case FormatMADRList:
				status = strings.ToLower(r.StatusText)
			}
			if status != a.Status {
				t.Errorf("status %q (%s), the plugin says %q", status, r.Format, a.Status)
			}
			// A Nygard record's "Date:" line is Callboard's reading.
			if r.Date != a.Date && (r.Format != FormatNygard || a.Date != "") {
				t.Errorf("date %q, the plugin says %q", r.Date, a.Date)
			}
		})
	}
}

func askPlugin(t *testing.T, dir string, cases []pluginCase) []pluginCase {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("../../conformance/adr/oracle.cjs")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script)
	// The plugin reads a front matter's date in the local time zone.
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"),
		"ADR_BACKEND="+filepath.Join(dir, "package", "dist", "index.cjs.js"), "TZ=UTC")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var answers []json.RawMessage
	if err := json.Unmarshal(out, &answers); err != nil || len(answers) != len(cases) {
		t.Fatalf("oracle output: %v (%d answers for %d cases)", err, len(answers), len(cases))
	}
	want := slices.Clone(cases)
	for i := range want {
		if err := json.Unmarshal(answers[i], &want[i].Answer); err != nil {
			t.Fatal(err)
		}
	}
	return want
}
