package merge3

import (
	"bytes"
	"errors"
	"strings"
)

// ErrBinary is a text holding a NUL byte in its first 8000 bytes, which
// git does not merge line by line.
var ErrBinary = errors.New("cannot merge binary files")

// markerSize is git's default conflict marker length.
const markerSize = 7

// Result is a merge: the text, with conflicts between markers, and how
// many conflicts it holds.
type Result struct {
	Text      []byte
	Conflicts int
}

// Merge merges ours and theirs, two versions of base, as `git merge-file
// -p -L ourName -L base -L theirName ours base theirs` does: the same
// text and the same number of conflicts, each conflict as
//
//	<<<<<<< ourName
//	our lines
//	=======
//	their lines
//	>>>>>>> theirName
//
// Where ours and theirs change the same lines alike, the change is taken
// once; conflicting changes are narrowed to the lines that differ, and
// conflicts apart by three lines or fewer, or by lines without a letter
// or digit, are joined (git's "zealous alnum" level).
func Merge(base, ours, theirs []byte, ourName, theirName string) (Result, error) {
	for _, t := range [][]byte{base, ours, theirs} {
		if bytes.IndexByte(t[:min(len(t), 8000)], 0) >= 0 {
			return Result{}, ErrBinary
		}
	}
	o, a, b := lines(base), lines(ours), lines(theirs)
	x1, y1 := diff(o, a)
	compact(x1, y1)
	compact(y1, x1)
	s1 := script(x1, y1)
	x2, y2 := diff(o, b)
	compact(x2, y2)
	compact(y2, x2)
	s2 := script(x2, y2)
	switch {
	case len(s1) == 0:
		return Result{Text: bytes.Clone(theirs)}, nil
	case len(s2) == 0:
		return Result{Text: bytes.Clone(ours)}, nil
	}
	m := &merger{base: o, ours: a, theirs: b}
	hunks := m.hunks(s1, s2)
	hunks = m.refine(hunks)
	hunks = m.simplify(hunks)
	return m.fill(hunks, ourName, theirName), nil
}

// lines splits t after each line end; the last line may have none.
func lines(t []byte) []string {
	var out []string
	s := string(t)
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// Modes of a hunk.
const (
	conflict  = 0
	takeOurs  = 1
	takeTheir = 2
	identical = 4 // a conflict whose sides turned out equal
)

// hunk is a region of the merge: chg0 lines at i0 of the base, chg1 at
// i1 of ours and chg2 at i2 of theirs.
type hunk struct {
	mode             int
	i0, chg0         int
	i1, chg1, i2, ch int
}

type merger struct {
	base, ours, theirs []string
}

// add appends a hunk, joining it to the last one when they touch
// (xdl_append_merge).
func add(hs []hunk, mode, i0, chg0, i1, chg1, i2, chg2 int) []hunk {
	if n := len(hs); n > 0 {
		m := &hs[n-1]
		if i1 <= m.i1+m.chg1 || i2 <= m.i2+m.ch {
			if mode != m.mode {
				m.mode = conflict
			}
			m.chg0 = i0 + chg0 - m.i0
			m.chg1 = i1 + chg1 - m.i1
			m.ch = i2 + chg2 - m.i2
			return hs
		}
	}
	return append(hs, hunk{mode: mode, i0: i0, chg0: chg0, i1: i1, chg1: chg1, i2: i2, ch: chg2})
}

// hunks walks both edit scripts against the base (xdl_do_merge).
func (m *merger) hunks(s1, s2 []change) []hunk {
	var hs []hunk
	for len(s1) > 0 && len(s2) > 0 {
		x, y := s1[0], s2[0]
		if x.i1+x.chg1 < y.i1 {
			hs = add(hs, takeOurs, x.i1, x.chg1, x.i2, x.chg2, y.i2-y.i1+x.i1, x.chg1)
			s1 = s1[1:]
			continue
		}
		if y.i1+y.chg1 < x.i1 {
			hs = add(hs, takeTheir, y.i1, y.chg1, x.i2-x.i1+y.i1, y.chg1, y.i2, y.chg2)
			s2 = s2[1:]
			continue
		}
		if x.i1 != y.i1 || x.chg1 != y.chg1 || x.chg2 != y.chg2 || !equalLines(m.ours[x.i2:x.i2+x.chg2], m.theirs[y.i2:y.i2+y.chg2]) {
			off := x.i1 - y.i1
			ffo := off + x.chg1 - y.chg1
			i0, i1, i2 := x.i1, x.i2, y.i2
			if off > 0 {
				i0 -= off
				i1 -= off
			} else {
				i2 += off
			}
			chg0 := x.i1 + x.chg1 - i0
			chg1 := x.i2 + x.chg2 - i1
			chg2 := y.i2 + y.chg2 - i2
			if ffo < 0 {
				chg0 -= ffo
				chg1 -= ffo
			} else {
				chg2 += ffo
			}
			hs = add(hs, conflict, i0, chg0, i1, chg1, i2, chg2)
		}
		e1, e2 := x.i1+x.chg1, y.i1+y.chg1
		if e1 >= e2 {
			s2 = s2[1:]
		}
		if e2 >= e1 {
			s1 = s1[1:]
		}
	}
	for _, x := range s1 {
		hs = add(hs, takeOurs, x.i1, x.chg1, x.i2, x.chg2, x.i1+len(m.theirs)-len(m.base), x.chg1)
	}
	for _, y := range s2 {
		hs = add(hs, takeTheir, y.i1, y.chg1, y.i1+len(m.ours)-len(m.base), y.chg1, y.i2, y.chg2)
	}
	return hs
}

func equalLines(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// refine diffs the two sides of each conflict and keeps as conflicts only
// the lines where they differ (xdl_refine_conflicts).
func (m *merger) refine(hs []hunk) []hunk {
	var out []hunk
	for _, h := range hs {
		if h.mode != conflict || h.chg1 == 0 || h.ch == 0 {
			out = append(out, h)
			continue
		}
		sc := editScript(m.ours[h.i1:h.i1+h.chg1], m.theirs[h.i2:h.i2+h.ch])
		if len(sc) == 0 {
			h.mode = identical
			out = append(out, h)
			continue
		}
		for k, c := range sc {
			r := hunk{mode: conflict, i1: c.i1 + h.i1, chg1: c.chg1, i2: c.i2 + h.i2, ch: c.chg2}
			if k == 0 {
				r.i0, r.chg0 = h.i0, h.chg0
			}
			out = append(out, r)
		}
	}
	return out
}

// simplify joins conflicts with three lines or fewer between them, or
// only lines without a letter or digit (xdl_simplify_non_conflicts).
func (m *merger) simplify(hs []hunk) []hunk {
	out := hs[:0:0]
	for i := 0; i < len(hs); i++ {
		h := hs[i]
		for i+1 < len(hs) {
			n := hs[i+1]
			begin, end := h.i1+h.chg1, n.i1
			if h.mode != conflict || n.mode != conflict || (end-begin > 3 && containAlnum(m.ours[begin:end])) {
				break
			}
			h.chg1 = n.i1 + n.chg1 - h.i1
			h.ch = n.i2 + n.ch - h.i2
			i++
		}
		out = append(out, h)
	}
	return out
}

func containAlnum(ls []string) bool {
	for _, l := range ls {
		for i := 0; i < len(l); i++ {
			c := l[i]
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				return true
			}
		}
	}
	return false
}

// fill writes the merged text (xdl_fill_merge_buffer).
func (m *merger) fill(hs []hunk, ourName, theirName string) Result {
	var out bytes.Buffer
	var n int
	i := 0
	for _, h := range hs {
		switch h.mode {
		case conflict:
			n++
			copyLines(&out, m.ours, i, h.i1-i, "")
			eol := "\n"
			if m.needsCR(h) {
				eol = "\r\n"
			}
			out.WriteString(strings.Repeat("<", markerSize))
			if ourName != "" {
				out.WriteString(" " + ourName)
			}
			out.WriteString(eol)
			copyLines(&out, m.ours, h.i1, h.chg1, eol)
			out.WriteString(strings.Repeat("=", markerSize) + eol)
			copyLines(&out, m.theirs, h.i2, h.ch, eol)
			out.WriteString(strings.Repeat(">", markerSize))
			if theirName != "" {
				out.WriteString(" " + theirName)
			}
			out.WriteString(eol)
		case takeOurs:
			copyLines(&out, m.ours, i, h.i1+h.chg1-i, "")
		case takeTheir:
			copyLines(&out, m.theirs, h.i2-h.i1+i, h.i1+h.ch-i, "")
		default:
			continue
		}
		i = h.i1 + h.chg1
	}
	copyLines(&out, m.ours, i, len(m.ours)-i, "")
	return Result{Text: out.Bytes(), Conflicts: n}
}

// copyLines writes count lines from i; with eol set, a last line without
// a line end gets one.
func copyLines(out *bytes.Buffer, ls []string, i, count int, eol string) {
	if count < 1 {
		return
	}
	for _, l := range ls[i : i+count] {
		out.WriteString(l)
	}
	if last := ls[i+count-1]; eol != "" && !strings.HasSuffix(last, "\n") {
		out.WriteString(eol)
	}
}

// needsCR says whether a conflict's markers end in CRLF: when the lines
// before it on both sides and the base's first line do (is_cr_needed).
func (m *merger) needsCR(h hunk) bool {
	at := func(i int) int {
		if i > 0 {
			return i - 1
		}
		return 0
	}
	cr := crlf(m.ours, at(h.i1))
	if cr != 0 {
		cr = crlf(m.theirs, at(h.i2))
	}
	if cr != 0 {
		cr = crlf(m.base, 0)
	}
	return cr > 0
}

// crlf says whether line i of ls ends in CRLF: 1 yes, 0 no, -1 cannot
// tell (is_eol_crlf).
func crlf(ls []string, i int) int {
	ends := func(l string) int {
		if len(l) > 1 && l[len(l)-2] == '\r' {
			return 1
		}
		return 0
	}
	if i < len(ls)-1 {
		return ends(ls[i])
	}
	if len(ls) == 0 {
		return -1
	}
	if l := ls[i]; strings.HasSuffix(l, "\n") {
		return ends(l)
	}
	if i == 0 {
		return -1
	}
	return ends(ls[i-1])
}
