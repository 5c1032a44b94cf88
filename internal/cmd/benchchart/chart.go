package main

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// A chart draws one figure of the results against catalog size.
type chart struct {
	file   string // in the output folder
	figure string // the points' figure
	unit   string // every point's unit
	// title says what is measured and in what: the y axis has no label,
	// as gonum/plot centres one on the axis's arithmetic middle, near the
	// top of a logarithmic axis, which pushes the plot down.
	title string
}

var charts = []chart{
	{"first-sync-time.svg", "first-sync-time", "s", "First sync (clone, process, store): wall time, seconds"},
	{"first-sync-memory.svg", "first-sync-peak-rss", "MiB", "First sync: peak resident memory, MiB"},
	{"one-file-change.svg", "one-file-change", "s", "One file changed upstream until visible: wall time, seconds"},
}

// sans is the text of every chart: Liberation Sans, which gonum/plot
// carries, so text is measured the same on every machine and the SVG is
// the same bytes for the same results. The SVG names the font without
// embedding it (half a megabyte); Liberation Sans has Arial's metrics, so
// viewers without it lay the text out alike.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// render draws chart c of res as an SVG.
func render(c chart, res results) ([]byte, error) {
	all := res.figure(c.figure)
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: no points of figure %q", c.file, c.figure)
	}
	var sizes []int
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range all {
		for _, p := range s.points {
			if p.Unit != c.unit {
				return nil, fmt.Errorf("%s: %s at %d is in %q, want %q", c.file, s.system, p.Size, p.Unit, c.unit)
			}
			if !slices.Contains(sizes, p.Size) {
				sizes = append(sizes, p.Size)
			}
			lo, hi = min(lo, p.Value), max(hi, p.Value)
		}
	}
	slices.Sort(sizes)

	p := plot.New()
	p.Title.Text = c.title + loads(all)
	p.Title.TextStyle.Font = font.From(sans, 12)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 10)
		a.Tick.Label.Font = font.From(sans, 9)
		a.Scale = plot.LogScale{}
	}
	p.X.Label.Text = "catalog size, entities (both axes logarithmic)"
	p.X.Tick.Marker = atSizes(sizes)
	p.X.Min, p.X.Max = float64(sizes[0])/2, float64(sizes[len(sizes)-1])*2
	p.Y.Tick.Marker = logTicks{}
	// From a power of ten to one, with room for the legend over the
	// highest point.
	p.Y.Min, p.Y.Max = math.Pow10(int(math.Floor(math.Log10(lo)))), math.Pow10(int(math.Ceil(math.Log10(hi*4))))
	p.Legend.TextStyle.Font = font.From(sans, 9)
	// Top left: every line rises to the right, so that corner is free.
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(10), -vg.Points(4)

	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 220}
	grid.Horizontal.Color = color.Gray{Y: 220}
	p.Add(grid)

	systems := res.systems()
	// The values at each size: a point's label goes below it when another
	// system's point is just above (within 3×), else above, so points
	// close together keep their labels apart.
	at := map[int][]float64{}
	for _, s := range all {
		for _, pt := range s.points {
			at[pt.Size] = append(at[pt.Size], pt.Value)
		}
	}
	for _, s := range all {
		// A system's index among all the results' systems: the same
		// colour and marker on every chart.
		i := slices.Index(systems, s.system)
		xys := make(plotter.XYs, len(s.points))
		labels := make([]string, len(s.points))
		for j, pt := range s.points {
			xys[j] = plotter.XY{X: float64(pt.Size), Y: pt.Value}
			labels[j] = value(pt.Value) + " " + pt.Unit
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", c.file, s.system, err)
		}
		line.Color = plotutil.Color(i)
		line.Width = vg.Points(1.5)
		points.Color = plotutil.Color(i)
		points.Shape = plotutil.Shape(i)
		values, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", c.file, s.system, err)
		}
		for j, pt := range s.points {
			values.TextStyle[j].Font = font.From(sans, 8)
			values.TextStyle[j].Color = plotutil.Color(i)
			// A third of the text's height clear of the point.
			values.TextStyle[j].YAlign = 0.3
			if slices.ContainsFunc(at[pt.Size], func(v float64) bool { return v > pt.Value && v < 3*pt.Value }) {
				values.TextStyle[j].YAlign = -1.3
			}
		}
		values.Offset = vg.Point{X: vg.Points(5)}
		p.Add(line, points, values)
		p.Legend.Add(s.system+missing(s, sizes), line, points)
	}

	canvas := vgsvg.New(7*vg.Inch, 4.5*vg.Inch)
	p.Draw(draw.New(canvas))
	var out bytes.Buffer
	if _, err := canvas.WriteTo(&out); err != nil {
		return nil, fmt.Errorf("%s: %w", c.file, err)
	}
	return out.Bytes(), nil
}

// loads says what load average the points were measured at, when they
// say: on a shared machine it explains more of a figure than anything.
func loads(all []series) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range all {
		for _, p := range s.points {
			first, _, _ := strings.Cut(p.Load, " ")
			if l, err := strconv.ParseFloat(first, 64); err == nil {
				lo, hi = min(lo, l), max(hi, l)
			}
		}
	}
	switch {
	case math.IsInf(lo, 0):
		return ""
	case lo == hi:
		return fmt.Sprintf("\nmeasured at a load average of %.1f", lo)
	}
	return fmt.Sprintf("\nmeasured at load averages of %.1f to %.1f", lo, hi)
}

// missing says which of sizes s has no point at, for its legend entry.
func missing(s series, sizes []int) string {
	var not []string
	for _, n := range sizes {
		if !slices.ContainsFunc(s.points, func(p point) bool { return p.Size == n }) {
			not = append(not, thousands(n))
		}
	}
	if len(not) == 0 {
		return ""
	}
	return " (not run at " + strings.Join(not, ", ") + ")"
}

// atSizes ticks the catalog sizes measured, and only those.
type atSizes []int

func (t atSizes) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, n := range t {
		if v := float64(n); v >= lo && v <= hi {
			out = append(out, plot.Tick{Value: v, Label: thousands(n)})
		}
	}
	return out
}

// logTicks labels 1, 2 and 5 times each power of ten, with minor ticks
// between: plot.LogTicks labels powers of ten only, which leaves a range
// within one decade unlabelled.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for m := 1; m < 10; m++ {
			v := float64(m) * math.Pow10(int(e))
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = decimal(v)
			}
			out = append(out, t)
		}
	}
	return out
}

// value writes a measured value to three significant digits, or whole
// from 100 on.
func value(v float64) string {
	if v >= 100 {
		return thousands(int(math.Round(v)))
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// decimal writes v as a tick label: whole numbers with thousands
// separators, fractions as they are.
func decimal(v float64) string {
	if v >= 1 {
		return thousands(int(math.Round(v)))
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
