package scaffold

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/nunjucks"
)

// roadieContext is a Context for one Roadie action over a new workspace.
func roadieContext(t *testing.T, input string) *Context {
	t.Helper()
	ws, err := openWorkspace(filepath.Join(t.TempDir(), "ws"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.close() })
	in, err := nunjucks.DecodeJSON([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	return &Context{Input: in, Workspace: ws, Logf: func(string, ...any) {}, output: func(string, any) {}}
}

func TestRoadieBounds(t *testing.T) {
	t.Parallel()
	t.Run("a file over the read budget", func(t *testing.T) {
		t.Parallel()
		c := roadieContext(t, `{"path":"big.txt","parser":"yaml"}`)
		// Sparse: no disk is spent on it.
		if err := os.Truncate(mustCreate(t, filepath.Join(c.Workspace.Dir, "big.txt")), maxRoadieRead+1); err != nil {
			t.Fatal(err)
		}
		if err := roadieParse(context.Background(), c); err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Fatalf("got %v, want a refusal of the file's size", err)
		}
	})
	t.Run("a zip over its budget", func(t *testing.T) {
		t.Parallel()
		w := &limitWriter{w: new(strings.Builder), left: 4}
		if _, err := w.Write([]byte("12345")); err == nil {
			t.Fatal("wrote past the limit")
		}
	})
	t.Run("sleep ends with the run", func(t *testing.T) {
		t.Parallel()
		c := roadieContext(t, `{"amount":600}`)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := roadieSleep(ctx, c); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want the run's cancellation", err)
		}
	})
	t.Run("an alias bomb", func(t *testing.T) {
		t.Parallel()
		bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		for i, prev := 0, "a"; i < 8; i++ {
			name := string(rune('b' + i))
			bomb += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
			prev = name
		}
		if _, err := parseYAML([]byte(bomb)); err == nil || !strings.Contains(err.Error(), "aliases repeat") {
			t.Fatalf("got %v, want the aliases refused", err)
		}
	})
}

func mustCreate(t *testing.T, p string) string {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// A template that uses Roadie's actions runs, each step reading what the
// one before it wrote and output.
func TestRoadieActionsInATemplate(t *testing.T) {
	t.Parallel()
	steps := `    - id: write
      action: roadiehq:utils:fs:write
      input:
        path: catalog-info.yaml
        content: "kind: Component\nmetadata:\n  name: ${{ parameters.name }}\n"
    - id: merge
      action: roadiehq:utils:merge
      input:
        path: catalog-info.yaml
        content:
          spec: {owner: team-a}
    - id: parse
      action: roadiehq:utils:fs:parse
      input: {path: catalog-info.yaml, parser: yaml}
    - id: query
      action: roadiehq:utils:jsonata
      input:
        data: ${{ steps.parse.output.content }}
        expression: '$uppercase(metadata.name) & "/" & spec.owner'
    - id: log
      action: debug:log
      input: {message: '${{ steps.query.output.result }}'}
`
	target := filepath.Join(t.TempDir(), "out")
	res, _ := run(t, tmpl(steps), "t/template.yaml", Request{Values: values(t, `{"name":"svc"}`), Target: target})
	if res.Status != Completed {
		t.Fatalf("run: %s %s", res.Status, res.Error)
	}
	got, err := os.ReadFile(filepath.Join(target, "catalog-info.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "kind: Component\nmetadata:\n  name: svc\nspec:\n  owner: team-a\n"; string(got) != want {
		t.Errorf("catalog-info.yaml:\n%s\nwant:\n%s", got, want)
	}
	last := res.Steps[len(res.Steps)-1]
	if len(last.Log) == 0 || last.Log[0] != "SVC/team-a" {
		t.Errorf("log: %q", last.Log)
	}
}

func TestJSONataRecursionRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		expr      string
		recursive bool
	}{
		{`($f := function($x){ $x > 10 ? $x : $f($x + 1) }; $f(0))`, true},
		{`($f := function($x){ $g($x) }; $g := function($x){ $f($x) }; $f(1))`, true},
		{`($f := function($x){ $map([$x], $f) }; $f(1))`, true},
		{`(function($h){ $h($h) })(function($h){ $h($h) })`, true},
		{`($g := function($h, $x){ $h($h, $x + 1) }; $g($g, 0))`, true},
		{`($f := function($x){ $x * 2 }; $map([1, 2], $f))`, false},
		{`$map(items, function($v, $i){ {"name": $v.name, "i": $i} })`, false},
		{`($prefix := "a-"; $map(names, function($n){ $prefix & $n }))`, false},
		{`$sort(l, function($a, $b){ $a.n > $b.n })`, false},
		{`$sum(items.price)`, false},
	} {
		err := checkRecursion(tc.expr)
		if (err != nil) != tc.recursive {
			t.Errorf("%s: got %v, want recursive=%v", tc.expr, err, tc.recursive)
		}
	}
}
