package nunjucks

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The differential test: every case is rendered by this package and by the
// real engines (nunjitsu, which Backstage's scaffolder uses, and nunjucks
// 3.2.4, which it used before), run by conformance/nunjucks/oracle.cjs.
// Outputs must match nunjitsu byte for byte, and where nunjitsu fails we must
// fail too. Where nunjucks 3.2.4 differs from nunjitsu we follow nunjitsu;
// the test logs those cases. `make conformance-nunjucks` installs the oracle
// and sets CALLBOARD_NUNJUCKS_ORACLE to its folder; without it the tests
// compare with nunjitsu's answers recorded in testdata/oracle
// (recording_test.go).

// oracleCase is one case as oracle.cjs reads it.
type oracleCase struct {
	Template any           `json:"template"`
	Data     any           `json:"data"`
	Options  oracleOptions `json:"options"`
	Mode     string        `json:"mode,omitempty"`
	Engine   string        `json:"engine,omitempty"`
}

type oracleOptions struct {
	CookiecutterCompat bool `json:"cookiecutterCompat,omitempty"`
	TrimBlocks         bool `json:"trimBlocks,omitempty"`
	LstripBlocks       bool `json:"lstripBlocks,omitempty"`
}

// result is one render's outcome, comparable across engines.
type result struct {
	Output    *string `json:"output,omitempty"`
	Value     *string `json:"value,omitempty"`
	Undefined bool    `json:"undefined,omitempty"`
	Error     string  `json:"error,omitempty"`
}

func (r result) String() string {
	switch {
	case r.Error != "":
		return "error: " + r.Error
	case r.Undefined:
		return "undefined"
	case r.Value != nil:
		return "value " + *r.Value
	case r.Output != nil:
		return fmt.Sprintf("%q", *r.Output)
	}
	return "nothing"
}

// agrees compares outcomes: same output, or both failed.
func (r result) agrees(o result) bool {
	if (r.Error != "") != (o.Error != "") {
		return false
	}
	if r.Error != "" {
		return true
	}
	return r.Undefined == o.Undefined && eqPtr(r.Output, o.Output) && eqPtr(r.Value, o.Value)
}

func eqPtr(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// namedCase is a case with a name for test output.
type namedCase struct {
	name string
	c    oracleCase
}

// oracleDir is the oracle's folder, "" when it is not installed.
func oracleDir(t *testing.T) string {
	dir := os.Getenv("CALLBOARD_NUNJUCKS_ORACLE")
	if dir == "" {
		if *update {
			t.Fatal("-update records the oracle's answers: run `make conformance-nunjucks UPDATE=1`, which installs it")
		}
		t.Log("CALLBOARD_NUNJUCKS_ORACLE is not set: comparing with nunjitsu's answers recorded in testdata/oracle (`make conformance-nunjucks` asks nunjitsu itself)")
	}
	return dir
}

// runOracle renders all cases with one node process.
func runOracle(t *testing.T, dir string, cases []oracleCase) []result {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("../../conformance/nunjucks/oracle.cjs")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var results []result
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	if len(results) != len(cases) {
		t.Fatalf("oracle returned %d results for %d cases", len(results), len(cases))
	}
	return results
}

// oracleGlobals are the globals oracle.cjs gives both engines.
func oracleGlobals() map[string]any {
	return map[string]any{
		"greeting": "hello",
		"always":   Func(func(...any) (any, error) { return true, nil }),
		"failure":  Func(func(...any) (any, error) { return false, nil }),
		"twice":    Func(func(args ...any) (any, error) { return []any{arg(args, 0), arg(args, 0)}, nil }),
	}
}

// renderGo renders a case with this package as the oracle renders it with
// nunjitsu.
func renderGo(c oracleCase) result {
	opts := Options{Filters: ScaffolderFilters(nil), Globals: oracleGlobals()}
	if c.Mode != "value" {
		opts.CookiecutterCompat = c.Options.CookiecutterCompat
		opts.TrimBlocks = c.Options.TrimBlocks
		opts.LstripBlocks = c.Options.LstripBlocks
	}
	env, err := New(opts)
	if err != nil {
		return result{Error: err.Error()}
	}
	data, err := orderedData(c.Data)
	if err != nil {
		return result{Error: err.Error()}
	}
	ctx := context.Background()
	if c.Mode == "value" {
		tree, err := ordered(c.Template)
		if err != nil {
			return result{Error: err.Error()}
		}
		v, err := env.RenderValue(ctx, tree, data)
		if err != nil {
			return result{Error: err.Error()}
		}
		if v == Undefined {
			return result{Undefined: true}
		}
		cv, err := fromGo(v, 0)
		if err != nil {
			return result{Error: err.Error()}
		}
		s, _ := jsonStringify(cv, "")
		return result{Value: &s}
	}
	out, err := env.RenderString(ctx, "case", c.Template.(string), data)
	if err != nil {
		return result{Error: err.Error()}
	}
	return result{Output: &out}
}

// ordered re-decodes JSON-shaped test data keeping key order, as the oracle
// sees it.
func ordered(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return DecodeJSON(b)
}

func orderedData(v any) (map[string]any, error) {
	d, err := ordered(v)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if o, ok := d.(*Object); ok {
		for _, k := range o.keys {
			m[k] = o.vals[k]
		}
	}
	return m, nil
}

// loadCases reads testdata/cases/*.jsonl: one case a line, with t the
// template, d the data (default: testdata/cases/data.json), o the options
// (letters c, t, l for cookiecutterCompat, trimBlocks, lstripBlocks) and
// m "value" for RenderValue.
func loadCases(t *testing.T) []namedCase {
	t.Helper()
	var defaults any
	raw, err := os.ReadFile("testdata/cases/data.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &defaults); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("testdata/cases/*.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var cases []namedCase
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for line := 1; sc.Scan(); line++ {
			text := strings.TrimSpace(sc.Text())
			if text == "" || strings.HasPrefix(text, "//") {
				continue
			}
			var spec struct {
				T any    `json:"t"`
				D any    `json:"d"`
				O string `json:"o"`
				M string `json:"m"`
			}
			if err := json.Unmarshal([]byte(text), &spec); err != nil {
				t.Fatalf("%s:%d: %v", file, line, err)
			}
			c := oracleCase{Template: spec.T, Data: spec.D, Mode: spec.M}
			if c.Data == nil {
				c.Data = defaults
			}
			c.Options = oracleOptions{
				CookiecutterCompat: strings.Contains(spec.O, "c"),
				TrimBlocks:         strings.Contains(spec.O, "t"),
				LstripBlocks:       strings.Contains(spec.O, "l"),
			}
			cases = append(cases, namedCase{fmt.Sprintf("%s:%d", filepath.Base(file), line), c})
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return append(cases, generatedCases(defaults)...)
}

// filterProbes are filter invocations tried on every probe input.
var filterProbes = []string{
	"abs", "batch(2)", "batch(2, 'x')", "capitalize", "center(12)", "default('dflt')", "d('dflt', true)",
	"dictsort", "dictsort(true, 'value')", "dump", "dump(2)", "dump('\\t')", "escape", "first", "float", "float(7)",
	"forceescape", "groupby('team')", "indent", "indent(2, true)", "int", "int(9)", "int(base=16)", "join", "join('-')",
	"join(', ', 'name')", "last", "length", "list", "lower", "nl2br", "reject", "rejectattr('age')",
	"replace('a', 'X')", "replace('', '-')", "replace(r/[aeiou]/g, '*')", "reverse", "round", "round(1, 'floor')",
	"safe", "select('odd')", "selectattr('team')", "slice(2)", "sort", "sort(true)", "sort(attribute='age')",
	"string", "striptags", "striptags(true)", "sum", "sum('age')", "title", "trim", "truncate(5)",
	"truncate(6, true, '…')", "upper", "urlencode", "urlize", "wordcount",
}

// probeInputs are the values filters are tried on.
var probeInputs = []string{
	"parameters.name", "parameters.description", "parameters.n", "parameters.f", "parameters.neg",
	"parameters.t", "parameters.nul", "parameters.missing", "parameters.empty", "parameters.list",
	"parameters.nums", "parameters.emptyList", "parameters.obj", "parameters.users", "parameters.multiline",
	"parameters.spaces", "parameters.unicode", "parameters.html", "parameters.str5", "'3.7abc'",
}

func generatedCases(data any) []namedCase {
	var cases []namedCase
	for _, f := range filterProbes {
		for _, in := range probeInputs {
			tpl := fmt.Sprintf("${{ %s | %s }}", in, f)
			cases = append(cases, namedCase{"filter " + tpl, oracleCase{Template: tpl, Data: data}})
		}
	}
	for _, in := range probeInputs {
		for _, op := range []string{"+ 1", "- 1", "* 2", "/ 2", "% 2", "** 2", "// 2", "~ '!'", "== 3", "=== 3", "!= '3'", "< 3", ">= 'b'", "in parameters.list", "and 'y'", "or 'n'"} {
			tpl := fmt.Sprintf("${{ %s %s }}", in, op)
			cases = append(cases, namedCase{"operator " + tpl, oracleCase{Template: tpl, Data: data}})
		}
		for _, v := range []string{"${{ %s }}", "${{ %s | dump }}", "{%% if %s %%}T{%% else %%}F{%% endif %%}", "${{ 'y' if %s else 'n' }}"} {
			tpl := fmt.Sprintf(v, in)
			cases = append(cases, namedCase{"render " + tpl, oracleCase{Template: tpl, Data: data}})
			cases = append(cases, namedCase{"value " + tpl, oracleCase{Template: tpl, Data: data, Mode: "value"}})
		}
	}
	return cases
}

// knownDifferences are the cases where we knowingly differ from nunjitsu,
// with the reason.
var knownDifferences = map[string]string{
	"${{ 'a' | replace(r/(?<=a)b/, 'x') }}": "Go's RE2 has no lookaround or backreferences: such a regex literal is a syntax error here, where nunjitsu runs it",
}

// comparesNunjucks says whether a case also goes to nunjucks 3.2.4, to record
// where it differs: not for step inputs, which it never rendered this way,
// nor for the error cases, some of which loop forever in nunjucks.
func comparesNunjucks(nc namedCase) bool {
	return nc.c.Mode != "value" && !strings.HasPrefix(nc.name, "errors.jsonl")
}

func TestAgainstNunjitsu(t *testing.T) {
	dir := oracleDir(t)
	cases := loadCases(t)
	// nunjitsu's results, and nunjucks 3.2.4's by case index.
	var live []result
	olds := map[int]result{}
	if dir != "" {
		var batch []oracleCase
		for _, nc := range cases {
			batch = append(batch, nc.c)
			if comparesNunjucks(nc) {
				old := nc.c
				old.Engine = "nunjucks"
				batch = append(batch, old)
			}
		}
		results := runOracle(t, dir, batch)
		i := 0
		for n, nc := range cases {
			live = append(live, results[i])
			i++
			if comparesNunjucks(nc) {
				olds[n] = results[i]
				i++
			}
		}
	}
	answers := nunjitsuAnswers(t, cases, live, recordedCases)
	differs := 0
	for n, nc := range cases {
		want := answers[n]
		if want == nil {
			continue // reported by nunjitsuAnswers
		}
		got := recordAs(nc, renderGo(nc.c))
		if why, known := knownDifferences[fmt.Sprint(nc.c.Template)]; known {
			if got.agrees(*want) {
				t.Errorf("%s: agrees with nunjitsu now; drop it from knownDifferences", nc.name)
			}
			t.Logf("known difference %q: %s", nc.c.Template, why)
		} else if !got.agrees(*want) {
			t.Errorf("%s: %v\n  template: %q\n  nunjitsu: %v\n  we:       %v", nc.name, nc.c.Options, nc.c.Template, want, got)
		}
		if old, ok := olds[n]; ok && !old.agrees(live[n]) {
			differs++
			if testing.Verbose() && differs <= 40 {
				t.Logf("nunjucks 3.2.4 differs (we follow nunjitsu): %q\n  nunjitsu: %v\n  nunjucks: %v", nc.c.Template, live[n], old)
			}
		}
	}
	if dir == "" {
		t.Logf("%d cases agree with nunjitsu's recorded answers", len(cases))
		return
	}
	t.Logf("%d cases agree with nunjitsu; nunjucks 3.2.4 differs from nunjitsu on %d of them", len(cases), differs)
}
