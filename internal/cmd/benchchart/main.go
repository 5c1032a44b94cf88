// Command benchchart draws the benchmark charts BENCHMARKS.md shows
// (first-sync time and peak memory, one-file-change latency, against
// catalog size, Callboard beside its peer) from the results file
// scripts/bench.sh appends to, and keeps the points it drew beside them
// (results.jsonl, newest of each figure, system and size), so the charts
// can be drawn again from what is committed. `make bench-charts` runs it.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	in := flag.String("in", ".cache/bench/results.jsonl", "the results file (JSON lines) `make bench` writes")
	out := flag.String("out", "docs/bench", "the folder the SVG charts go to")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "benchchart:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := readResults(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, c := range charts {
		svg, err := render(c, res)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, c.file), svg, 0o644); err != nil {
			return err
		}
	}
	var drawn bytes.Buffer
	if err := res.write(&drawn); err != nil {
		return fmt.Errorf("points drawn: %w", err)
	}
	return os.WriteFile(filepath.Join(out, "results.jsonl"), drawn.Bytes(), 0o644)
}
