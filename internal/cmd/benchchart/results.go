package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// A point is one measured figure, a line of the results file that
// scripts/bench.sh appends to as it measures:
//
//	{"figure":"first-sync-time","system":"Callboard","size":10000,"value":3.2,"unit":"s","load":"3.1 2.9 2.5","date":"2026-12-06T13:19:10Z"}
//
// The load average and the date are for people reading the points.
type point struct {
	Figure string  `json:"figure"`
	System string  `json:"system"`
	Size   int     `json:"size"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Load   string  `json:"load,omitempty"`
	Date   string  `json:"date,omitempty"`
}

// maxLine bounds a line of the results file; a point takes under 200 bytes.
const maxLine = 4096

// key names what a point measures; a later point with the same key
// replaces an earlier one, so appending runs keeps the newest figures.
type key struct {
	figure, system string
	size           int
}

// results holds the newest point of each figure, system and size.
type results struct {
	points map[key]point
}

// readResults reads a results file. Every line must be a point whose size
// and value a logarithmic axis can show; a blank line is skipped.
func readResults(r io.Reader) (results, error) {
	res := results{points: map[key]point{}}
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 0, maxLine), maxLine)
	for n := 1; s.Scan(); n++ {
		line := strings.TrimSpace(s.Text())
		if line == "" {
			continue
		}
		var p point
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			return results{}, fmt.Errorf("line %d: %w", n, err)
		}
		if err := p.check(); err != nil {
			return results{}, fmt.Errorf("line %d: %w", n, err)
		}
		res.points[key{p.Figure, p.System, p.Size}] = p
	}
	if err := s.Err(); err != nil {
		return results{}, fmt.Errorf("read results: %w", err)
	}
	return res, nil
}

func (p point) check() error {
	switch {
	case p.Figure == "" || p.System == "":
		return fmt.Errorf("a point needs a figure and a system")
	case p.Size <= 0:
		return fmt.Errorf("%s of %s: size %d is not positive", p.Figure, p.System, p.Size)
	case p.Value <= 0 || math.IsInf(p.Value, 0) || math.IsNaN(p.Value):
		return fmt.Errorf("%s of %s at %d: value %v is not a positive number", p.Figure, p.System, p.Size, p.Value)
	}
	return nil
}

// series is one system's points of one figure, by size.
type series struct {
	system string
	points []point
}

// figure returns the series of figure, sorted by system name.
func (r results) figure(figure string) []series {
	by := map[string][]point{}
	for k, p := range r.points {
		if k.figure == figure {
			by[k.system] = append(by[k.system], p)
		}
	}
	out := make([]series, 0, len(by))
	for system, ps := range by {
		slices.SortFunc(ps, func(a, b point) int { return a.Size - b.Size })
		out = append(out, series{system, ps})
	}
	slices.SortFunc(out, func(a, b series) int { return strings.Compare(a.system, b.system) })
	return out
}

// write writes the points drawn, one a line, sorted by figure, system
// and size: the data behind the charts, kept beside them.
func (r results) write(w io.Writer) error {
	ps := make([]point, 0, len(r.points))
	for _, p := range r.points {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b point) int {
		return cmp.Or(strings.Compare(a.Figure, b.Figure), strings.Compare(a.System, b.System), a.Size-b.Size)
	})
	enc := json.NewEncoder(w)
	for _, p := range ps {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return nil
}

// systems lists every system in the results, sorted.
func (r results) systems() []string {
	seen := map[string]bool{}
	for k := range r.points {
		seen[k.system] = true
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}
