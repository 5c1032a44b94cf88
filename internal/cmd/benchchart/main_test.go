package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden charts in testdata")

// The charts of a fixture results file are the golden SVGs, byte for
// byte, and the same bytes every time.
func TestCharts(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	if err := run(filepath.Join("testdata", "results.jsonl"), out); err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		t.Run(c.file, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(out, c.file))
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", c.file+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (go test -update rewrites it)", c.file, golden)
			}
		})
	}
	again := t.TempDir()
	if err := run(filepath.Join("testdata", "results.jsonl"), again); err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		a, _ := os.ReadFile(filepath.Join(out, c.file))
		b, _ := os.ReadFile(filepath.Join(again, c.file))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs on the same results wrote different bytes", c.file)
		}
	}
	// The points kept beside the charts draw the same charts.
	third := t.TempDir()
	if err := run(filepath.Join(out, "results.jsonl"), third); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{charts[0].file, charts[1].file, charts[2].file, "results.jsonl"} {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, _ := os.ReadFile(filepath.Join(third, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: drawn again from the points kept, it differs", f)
		}
	}
}

func TestReadResults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     map[key]float64
		err      string
	}{
		{
			name: "the newest point wins",
			in: `{"figure":"f","system":"a","size":10,"value":1,"unit":"s"}
{"figure":"f","system":"a","size":10,"value":2,"unit":"s","load":"3.5"}

{"figure":"f","system":"b","size":10,"value":3,"unit":"s"}`,
			want: map[key]float64{{"f", "a", 10}: 2, {"f", "b", 10}: 3},
		},
		{name: "empty", in: "", want: map[key]float64{}},
		{name: "not JSON", in: "BenchmarkFirstSync 1 2 ns/op", err: "line 1: invalid character"},
		{name: "no system", in: `{"figure":"f","size":10,"value":1}`, err: "line 1: a point needs"},
		{name: "zero size", in: `{"figure":"f","system":"a","size":0,"value":1}`, err: "size 0 is not positive"},
		{name: "zero value", in: "\n" + `{"figure":"f","system":"a","size":1,"value":0}`, err: "line 2: f of a at 1: value 0"},
		{name: "negative value", in: `{"figure":"f","system":"a","size":1,"value":-3}`, err: "value -3"},
		{name: "line too long", in: strings.Repeat(" ", maxLine+1), err: "token too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := readResults(strings.NewReader(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[key]float64{}
			for k, p := range res.points {
				got[k] = p.Value
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(key{})); diff != "" {
				t.Errorf("points (-want +got):\n%s", diff)
			}
		})
	}
}

// A chart refuses what it cannot draw truthfully.
func TestRenderRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, err string }{
		{"no points", `{"figure":"other","system":"a","size":1,"value":1,"unit":"s"}`, "no points"},
		{"another unit", `{"figure":"first-sync-time","system":"a","size":1,"value":1,"unit":"ms"}`, `in "ms", want "s"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := readResults(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := render(charts[0], res); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("err = %v, want one saying %q", err, tc.err)
			}
		})
	}
}

// Whatever the file holds, reading it fails or gives points every chart
// can draw.
func FuzzReadResults(f *testing.F) {
	f.Add([]byte(`{"figure":"first-sync-time","system":"a","size":10,"value":1.5,"unit":"s"}`))
	f.Add([]byte(`{"figure":"one-file-change","system":"a","size":1,"value":1e-300,"unit":"s"}` + "\n" + `{"figure":"one-file-change","system":"b","size":9223372036854775807,"value":1e300,"unit":"s"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := readResults(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, c := range charts {
			render(c, res) // must not panic; an error is an answer
		}
	})
}
