package treediff

import (
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// Kind is how a file differs.
type Kind string

const (
	// Missing is a file expected and not rendered.
	Missing Kind = "missing"
	// Extra is a file rendered and not expected.
	Extra Kind = "extra"
	// Changed is a file whose content (or link target) differs.
	Changed Kind = "changed"
	// Mode is a file whose executable bit differs (git keeps no other).
	Mode Kind = "mode"
)

// maxDiffLines caps one file's diff in a report; the rest is counted.
const maxDiffLines = 400

// Difference is one file that differs.
type Difference struct {
	Path string `json:"path"`
	Kind Kind   `json:"kind"`
	// Diff is a unified diff of a text file's lines (expected → rendered),
	// else a line saying how it differs (hashes, link targets, modes).
	Diff string `json:"diff"`
}

// Compare lists how got differs from want, by path.
func Compare(want, got *Tree) []Difference {
	var out []Difference
	paths := slices.Sorted(maps.Keys(want.Files))
	for p := range got.Files {
		if _, ok := want.Files[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	for _, p := range paths {
		w, inWant := want.Files[p]
		g, inGot := got.Files[p]
		switch {
		case !inGot:
			out = append(out, Difference{Path: p, Kind: Missing, Diff: fileDiff(p, &w, nil)})
		case !inWant:
			out = append(out, Difference{Path: p, Kind: Extra, Diff: fileDiff(p, nil, &g)})
		case w.Hash != g.Hash || (w.Link == "") != (g.Link == ""):
			out = append(out, Difference{Path: p, Kind: Changed, Diff: fileDiff(p, &w, &g)})
		case w.Exec != g.Exec:
			out = append(out, Difference{Path: p, Kind: Mode, Diff: fmt.Sprintf("mode of %s: expected %s, rendered %s\n", p, modeName(w.Exec), modeName(g.Exec))})
		}
	}
	return out
}

func modeName(exec bool) string {
	if exec {
		return "100755 (executable)"
	}
	return "100644"
}

// fileDiff is a unified diff of two versions of a file (nil: absent), or
// a line saying how they differ when either is not text kept in memory.
func fileDiff(p string, want, got *File) string {
	a, b := "expected/"+p, "rendered/"+p
	text := func(f *File) (string, bool) {
		if f == nil {
			return "", true
		}
		if f.Link != "" || f.Data == nil && f.Size > 0 || f.Binary() {
			return "", false
		}
		return string(f.Data), true
	}
	wl, wok := text(want)
	gl, gok := text(got)
	if !wok || !gok {
		return fmt.Sprintf("%s differs: expected %s, rendered %s\n", p, describe(want), describe(got))
	}
	if want == nil {
		a = "/dev/null"
	}
	if got == nil {
		b = "/dev/null"
	}
	return capLines(udiff.Unified(a, b, wl, gl), maxDiffLines)
}

func describe(f *File) string {
	switch {
	case f == nil:
		return "no file"
	case f.Link != "":
		return "a symbolic link to " + f.Link
	}
	return fmt.Sprintf("%d bytes, sha256 %s", f.Size, hex.EncodeToString(f.Hash[:8]))
}

func capLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) <= n+1 {
		return s
	}
	return strings.Join(lines[:n], "") + fmt.Sprintf("… %d more lines of diff\n", len(lines)-n-1)
}

// Print writes the differences as one unified diff, a header per file.
func Print(w io.Writer, diffs []Difference) error {
	for _, d := range diffs {
		if _, err := fmt.Fprintf(w, "%s %s\n%s", d.Kind, d.Path, d.Diff); err != nil {
			return err
		}
		if !strings.HasSuffix(d.Diff, "\n") {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
	}
	return nil
}
