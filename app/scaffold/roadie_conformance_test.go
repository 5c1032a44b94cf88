package scaffold

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/nunjucks"
)

// The differential test of Roadie's actions: every case of roadieCases
// runs through our action and through the npm package's handler
// (conformance/roadie/oracle.cjs) on a fresh workspace, and the files left
// and the outputs must match byte for byte (a zip by its entries and their
// contents: adm-zip stamps times and compresses its own way). Where a case
// sets sameError, the error messages must match too; otherwise both must
// fail; ours may name the input in front. `make conformance-roadie` installs the package and sets
// CALLBOARD_ROADIE_ORACLE; without it the test compares with its answers
// recorded in testdata/roadie/oracle.json (-update rewrites them from the
// package); with it, recorded answers that differ from the package's fail.

// roadieCase is one case as oracle.cjs reads it.
type roadieCase struct {
	Name   string            `json:"name"`
	Action string            `json:"action"`
	Input  json.RawMessage   `json:"input"`
	Files  map[string]string `json:"files,omitempty"`
	// Links are symbolic links to make; "<outside>" in a target is a
	// folder beside the workspace holding secret.txt.
	Links map[string]string `json:"links,omitempty"`
	// SameError: the error messages must be the same.
	SameError bool `json:"-"`
	// Refuse, when set, says why we refuse what the npm package does: our
	// action must fail or leave the outside alone, whatever it does.
	Refuse string `json:"-"`
	// Invalid: Backstage's task runner refuses the input against the
	// action's schema before the handler sees it, so we must fail.
	Invalid bool `json:"-"`
}

// roadieResult is one run's outcome.
type roadieResult struct {
	// Files are the workspace's files after the action, readably (readableFiles).
	Files   map[string]string `json:"files"`
	Outputs json.RawMessage   `json:"outputs"`
	Error   string            `json:"error,omitempty"`
	Escaped bool              `json:"escaped,omitempty"`
}

func TestAgainstRoadie(t *testing.T) {
	cases := roadieCases()
	recorded := filepath.Join("testdata", "roadie", "oracle.json")
	var want []roadieResult
	if dir := os.Getenv("CALLBOARD_ROADIE_ORACLE"); dir != "" {
		want = runRoadieOracle(t, dir, cases)
		if !*update {
			b, err := os.ReadFile(recorded)
			if err != nil {
				t.Fatal(err)
			}
			var was []roadieResult
			if err := json.Unmarshal(b, &was); err != nil {
				t.Fatal(err)
			}
			for i := range min(len(was), len(want)) {
				a, _ := json.Marshal(was[i])
				b, _ := json.Marshal(want[i])
				if !bytes.Equal(a, b) {
					t.Errorf("case %s: the recorded answer is stale (run `make conformance-roadie UPDATE=1`):\n%s\n%s", cases[i].Name, a, b)
				}
			}
			if len(was) != len(want) {
				t.Errorf("%d recorded answers for %d cases (run `make conformance-roadie UPDATE=1`)", len(was), len(want))
			}
		}
		if *update {
			b, err := json.MarshalIndent(want, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(recorded, append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	} else {
		if *update {
			t.Fatal("-update records the package's answers: run `make conformance-roadie UPDATE=1`, which installs it")
		}
		t.Log("CALLBOARD_ROADIE_ORACLE is not set: comparing with the answers recorded in testdata/roadie/oracle.json (`make conformance-roadie` asks the npm package itself)")
		b, err := os.ReadFile(recorded)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
	}
	if len(want) != len(cases) {
		t.Fatalf("%d answers for %d cases (run `make conformance-roadie UPDATE=1`)", len(want), len(cases))
	}
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			got := runRoadieGo(t, c)
			w := want[i]
			if c.Refuse != "" {
				if got.Escaped {
					t.Fatalf("reached outside the workspace (%s)", c.Refuse)
				}
				t.Logf("refused where the npm package (escaped=%v, error %q) does not: %s", w.Escaped, w.Error, c.Refuse)
				return
			}
			if c.Invalid {
				if got.Error == "" {
					t.Fatal("accepted an input the action's schema refuses")
				}
				return
			}
			// Our message may say more in front (which input).
			if (got.Error != "") != (w.Error != "") || (c.SameError && !strings.HasSuffix(got.Error, w.Error)) {
				t.Fatalf("error: got %q, the npm package %q", got.Error, w.Error)
			}
			if d := cmp.Diff(normalOutputs(t, w.Outputs), normalOutputs(t, got.Outputs)); d != "" {
				t.Errorf("outputs differ (-npm +ours):\n%s", d)
			}
			if d := cmp.Diff(w.Files, got.Files); d != "" {
				t.Errorf("files differ (-npm +ours):\n%s", d)
			}
		})
	}
}

// normalOutputs re-encodes outputs as JSON.stringify would, keeping order.
func normalOutputs(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	if len(raw) == 0 {
		return "{}"
	}
	v, err := nunjucks.DecodeJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := jsonStringify(v, nil, " ")
	return s
}

// readableFiles decodes each file from base64: text as is, a zip as its
// entries, so answers compare and record without the zip's times.
func readableFiles(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, b64 := range files {
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(name, ".zip") {
			out[name] = string(data)
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			out[name] = "not a zip: " + err.Error()
			continue
		}
		var entries []string
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			entries = append(entries, fmt.Sprintf("%s=%q", f.Name, b))
		}
		out[name] = "zip: " + strings.Join(entries, " ")
	}
	return out
}

func runRoadieOracle(t *testing.T, dir string, cases []roadieCase) []roadieResult {
	t.Helper()
	results := runNodeOracle[roadieResult](t, dir, "../../conformance/roadie/oracle.cjs", cases)
	for i := range results {
		results[i].Files = readableFiles(t, results[i].Files)
		results[i].Outputs = json.RawMessage(normalOutputs(t, results[i].Outputs))
	}
	return results
}

// runRoadieGo runs a case through our action as oracle.cjs runs it.
func runRoadieGo(t *testing.T, c roadieCase) roadieResult {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "ws")
	outside := filepath.Join(root, "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := openWorkspace(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.close()
	for p, text := range c.Files {
		if err := ws.WriteFile(p, []byte(text), 0); err != nil {
			t.Fatal(err)
		}
	}
	for p, target := range c.Links {
		if err := os.Symlink(strings.ReplaceAll(target, "<outside>", outside), filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	input, err := nunjucks.DecodeJSON(c.Input)
	if err != nil {
		t.Fatal(err)
	}
	outputs := nunjucks.NewObject()
	ctx := &Context{
		Input: input, Workspace: ws, Logf: func(string, ...any) {},
		output: func(name string, v any) { outputs.Set(name, v) },
	}
	var run func(context.Context, *Context) error
	for _, a := range builtins() {
		if a.ID == c.Action {
			run = a.Run
		}
	}
	if run == nil {
		t.Fatalf("no action %s", c.Action)
	}
	hide := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, dir, "<ws>"), root, "<root>")
	}
	res := roadieResult{Files: map[string]string{}}
	if err := run(context.Background(), ctx); err != nil {
		res.Error = hide(err.Error())
	}
	out, _ := jsonStringify(outputs, nil, "")
	res.Outputs = json.RawMessage(hide(out))
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		res.Files[filepath.ToSlash(rel)] = base64.StdEncoding.EncodeToString(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	res.Files = readableFiles(t, res.Files)
	if b, err := os.ReadFile(secret); err != nil || string(b) != "secret\n" {
		res.Escaped = true
	}
	if names, _ := os.ReadDir(outside); len(names) != 1 {
		res.Escaped = true
	}
	return res
}

// TestRoadieSchemas checks that every Roadie action has its description
// and JSON Schemas.
func TestRoadieSchemas(t *testing.T) {
	t.Parallel()
	var ids []string
	for _, a := range roadieActions() {
		ids = append(ids, a.ID)
		if a.Description == "" || !json.Valid([]byte(a.InputSchema)) {
			t.Errorf("%s: no description or input schema", a.ID)
		}
	}
	for _, want := range []string{"roadiehq:utils:fs:write", "roadiehq:utils:fs:append", "roadiehq:utils:fs:parse",
		"roadiehq:utils:fs:replace", "roadiehq:utils:merge", "roadiehq:utils:jsonata", "roadiehq:utils:jsonata:yaml:transform",
		"roadiehq:utils:jsonata:json:transform", "roadiehq:utils:serialize:yaml", "roadiehq:utils:serialize:json",
		"roadiehq:utils:zip", "roadiehq:utils:sleep"} {
		if !slices.Contains(ids, want) {
			t.Errorf("%s is not built in", want)
		}
	}
}
