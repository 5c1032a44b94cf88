package merge3

// The line diff git's merge uses: xdiff's Myers diff with its
// preparation (ends trimmed, lines without a match set aside before the
// search) and its compaction of change groups, with no indent heuristic
// (`git merge-file` sets none). Any other diff, however minimal, aligns
// some texts differently and so merges them differently.

const (
	maxEqLimit    = 1024 // xdiff's XDL_MAX_EQLIMIT
	simscanWindow = 100  // XDL_SIMSCAN_WINDOW
	kpdisRun      = 4    // XDL_KPDIS_RUN
	maxCostMin    = 256  // XDL_MAX_COST_MIN
	heurMinCost   = 256  // XDL_HEUR_MIN_COST
	snakeCount    = 20   // XDL_SNAKE_CNT
	kHeur         = 4    // XDL_K_HEUR
	lineMax       = int(^uint(0) >> 1)
)

// side is one of the two texts a diff compares.
type side struct {
	lines []string // each with its line end, the last maybe without
	class []int    // equal lines share a class
	// changed is indexed from -1 to len(lines): changed[i+1] says line i
	// is not in the common subsequence; both ends stay false.
	changed []bool
	// rindex and ha are the lines kept for the search (rindex: where in
	// lines; ha: their classes).
	rindex []int
	ha     []int
	dstart int
	dend   int
}

func (s *side) isChanged(i int) bool {
	if i < -1 || i > len(s.lines) {
		return false
	}
	return s.changed[i+1]
}

func (s *side) setChanged(i int, v bool) { s.changed[i+1] = v }

// change is one hunk of an edit script: chg1 lines at i1 of the first
// text become chg2 lines at i2 of the second.
type change struct {
	i1, i2, chg1, chg2 int
}

// diff compares a and b and returns both sides with their changed lines
// marked, as xdl_do_diff leaves them.
func diff(a, b []string) (*side, *side) {
	classes := map[string]int{}
	mk := func(lines []string) *side {
		s := &side{lines: lines, class: make([]int, len(lines)), changed: make([]bool, len(lines)+2)}
		for i, l := range lines {
			c, ok := classes[l]
			if !ok {
				c = len(classes)
				classes[l] = c
			}
			s.class[i] = c
		}
		return s
	}
	x, y := mk(a), mk(b)
	trimEnds(x, y)
	cleanupRecords(x, y)
	ndiags := len(x.ha) + len(y.ha) + 3
	kv := make([]int, 2*ndiags+2)
	e := &search{x: x, y: y, kv: kv, fbase: len(y.ha) + 1, bbase: ndiags + len(y.ha) + 1,
		mxcost: max(bogosqrt(ndiags), maxCostMin)}
	e.recsCmp(0, len(x.ha), 0, len(y.ha), false)
	return x, y
}

// bogosqrt is xdiff's rough square root.
func bogosqrt(n int) int {
	i := 1
	for ; n > 0; n >>= 2 {
		i <<= 1
	}
	return i
}

// trimEnds sets aside the lines both texts begin and end with.
func trimEnds(x, y *side) {
	lim := min(len(x.lines), len(y.lines))
	i := 0
	for ; i < lim && x.class[i] == y.class[i]; i++ {
	}
	x.dstart, y.dstart = i, i
	lim -= i
	j := 0
	for ; j < lim && x.class[len(x.lines)-1-j] == y.class[len(y.lines)-1-j]; j++ {
	}
	x.dend = len(x.lines) - j - 1
	y.dend = len(y.lines) - j - 1
}

// cleanupRecords leaves out of the search the lines with no match in the
// other text, and lines with many matches amid such lines; both are
// marked changed at once.
func cleanupRecords(x, y *side) {
	count := func(s *side) map[int]int {
		n := map[int]int{}
		for _, c := range s.class {
			n[c]++
		}
		return n
	}
	inX, inY := count(x), count(y)
	discard := func(s *side, other map[int]int) []byte {
		mlim := min(bogosqrt(len(s.lines)), maxEqLimit)
		dis := make([]byte, len(s.lines)+1)
		for i := s.dstart; i <= s.dend; i++ {
			switch nm := other[s.class[i]]; {
			case nm == 0:
				dis[i] = 0
			case nm >= mlim:
				dis[i] = 2
			default:
				dis[i] = 1
			}
		}
		return dis
	}
	keep := func(s *side, dis []byte) {
		for i := s.dstart; i <= s.dend; i++ {
			if dis[i] == 1 || (dis[i] == 2 && !cleanMatch(dis, i, s.dstart, s.dend)) {
				s.rindex = append(s.rindex, i)
				s.ha = append(s.ha, s.class[i])
			} else {
				s.setChanged(i, true)
			}
		}
	}
	dx, dy := discard(x, inY), discard(y, inX)
	keep(x, dx)
	keep(y, dy)
}

// cleanMatch says whether line i, which has many matches, sits in a run
// of lines without any and is better left out (xdl_clean_mmatch).
func cleanMatch(dis []byte, i, s, e int) bool {
	if i-s > simscanWindow {
		s = i - simscanWindow
	}
	if e-i > simscanWindow {
		e = i + simscanWindow
	}
	rdis0, rpdis0 := 0, 1
	for r := 1; i-r >= s; r++ {
		if dis[i-r] == 0 {
			rdis0++
		} else if dis[i-r] == 2 {
			rpdis0++
		} else {
			break
		}
	}
	if rdis0 == 0 {
		return false
	}
	rdis1, rpdis1 := 0, 1
	for r := 1; i+r <= e; r++ {
		if dis[i+r] == 0 {
			rdis1++
		} else if dis[i+r] == 2 {
			rpdis1++
		} else {
			break
		}
	}
	if rdis1 == 0 {
		return false
	}
	rdis1 += rdis0
	rpdis1 += rpdis0
	return rpdis1*kpdisRun < rpdis1+rdis1
}

// search is the state of one Myers search over the kept lines.
type search struct {
	x, y         *side
	kv           []int
	fbase, bbase int // where diagonal 0 is in kv, forward and backward
	mxcost       int
}

func (e *search) kf(d int) *int { return &e.kv[e.fbase+d] }
func (e *search) kb(d int) *int { return &e.kv[e.bbase+d] }

// recsCmp marks the changed lines between off and lim of both texts,
// splitting the box at a middle snake (xdl_recs_cmp).
func (e *search) recsCmp(off1, lim1, off2, lim2 int, needMin bool) {
	h1, h2 := e.x.ha, e.y.ha
	for off1 < lim1 && off2 < lim2 && h1[off1] == h2[off2] {
		off1++
		off2++
	}
	for off1 < lim1 && off2 < lim2 && h1[lim1-1] == h2[lim2-1] {
		lim1--
		lim2--
	}
	switch {
	case off1 == lim1:
		for ; off2 < lim2; off2++ {
			e.y.setChanged(e.y.rindex[off2], true)
		}
	case off2 == lim2:
		for ; off1 < lim1; off1++ {
			e.x.setChanged(e.x.rindex[off1], true)
		}
	default:
		s1, s2, minLo, minHi := e.split(off1, lim1, off2, lim2, needMin)
		e.recsCmp(off1, s1, off2, s2, minLo)
		e.recsCmp(s1, lim1, s2, lim2, minHi)
	}
}

// split finds where to divide the box (xdl_split): the middle snake, or,
// past the cost limits, a good enough point.
func (e *search) split(off1, lim1, off2, lim2 int, needMin bool) (int, int, bool, bool) {
	h1, h2 := e.x.ha, e.y.ha
	dmin, dmax := off1-lim2, lim1-off2
	fmid, bmid := off1-off2, lim1-lim2
	odd := (fmid-bmid)&1 != 0
	fmin, fmax := fmid, fmid
	bmin, bmax := bmid, bmid
	*e.kf(fmid) = off1
	*e.kb(bmid) = lim1
	for ec := 1; ; ec++ {
		gotSnake := false
		if fmin > dmin {
			fmin--
			*e.kf(fmin - 1) = -1
		} else {
			fmin++
		}
		if fmax < dmax {
			fmax++
			*e.kf(fmax + 1) = -1
		} else {
			fmax--
		}
		for d := fmax; d >= fmin; d -= 2 {
			var i1 int
			if *e.kf(d - 1) >= *e.kf(d + 1) {
				i1 = *e.kf(d - 1) + 1
			} else {
				i1 = *e.kf(d + 1)
			}
			prev1 := i1
			i2 := i1 - d
			for i1 < lim1 && i2 < lim2 && h1[i1] == h2[i2] {
				i1++
				i2++
			}
			if i1-prev1 > snakeCount {
				gotSnake = true
			}
			*e.kf(d) = i1
			if odd && bmin <= d && d <= bmax && *e.kb(d) <= i1 {
				return i1, i2, true, true
			}
		}
		if bmin > dmin {
			bmin--
			*e.kb(bmin - 1) = lineMax
		} else {
			bmin++
		}
		if bmax < dmax {
			bmax++
			*e.kb(bmax + 1) = lineMax
		} else {
			bmax--
		}
		for d := bmax; d >= bmin; d -= 2 {
			var i1 int
			if *e.kb(d - 1) < *e.kb(d + 1) {
				i1 = *e.kb(d - 1)
			} else {
				i1 = *e.kb(d + 1) - 1
			}
			prev1 := i1
			i2 := i1 - d
			for i1 > off1 && i2 > off2 && h1[i1-1] == h2[i2-1] {
				i1--
				i2--
			}
			if prev1-i1 > snakeCount {
				gotSnake = true
			}
			*e.kb(d) = i1
			if !odd && fmin <= d && d <= fmax && i1 <= *e.kf(d) {
				return i1, i2, true, true
			}
		}
		if needMin {
			continue
		}
		if gotSnake && ec > heurMinCost {
			best, s1, s2 := 0, 0, 0
			for d := fmax; d >= fmin; d -= 2 {
				dd := d - fmid
				if dd < 0 {
					dd = -dd
				}
				i1 := *e.kf(d)
				i2 := i1 - d
				v := (i1 - off1) + (i2 - off2) - dd
				if v > kHeur*ec && v > best && off1+snakeCount <= i1 && i1 < lim1 && off2+snakeCount <= i2 && i2 < lim2 {
					for k := 1; h1[i1-k] == h2[i2-k]; k++ {
						if k == snakeCount {
							best, s1, s2 = v, i1, i2
							break
						}
					}
				}
			}
			if best > 0 {
				return s1, s2, true, false
			}
			best = 0
			for d := bmax; d >= bmin; d -= 2 {
				dd := d - bmid
				if dd < 0 {
					dd = -dd
				}
				i1 := *e.kb(d)
				i2 := i1 - d
				v := (lim1 - i1) + (lim2 - i2) - dd
				if v > kHeur*ec && v > best && off1 < i1 && i1 <= lim1-snakeCount && off2 < i2 && i2 <= lim2-snakeCount {
					for k := 0; h1[i1+k] == h2[i2+k]; k++ {
						if k == snakeCount-1 {
							best, s1, s2 = v, i1, i2
							break
						}
					}
				}
			}
			if best > 0 {
				return s1, s2, false, true
			}
		}
		if ec >= e.mxcost {
			fbest, fbest1 := -1, -1
			for d := fmax; d >= fmin; d -= 2 {
				i1 := min(*e.kf(d), lim1)
				i2 := i1 - d
				if lim2 < i2 {
					i1, i2 = lim2+d, lim2
				}
				if fbest < i1+i2 {
					fbest, fbest1 = i1+i2, i1
				}
			}
			bbest, bbest1 := lineMax, lineMax
			for d := bmax; d >= bmin; d -= 2 {
				i1 := max(off1, *e.kb(d))
				i2 := i1 - d
				if i2 < off2 {
					i1, i2 = off2+d, off2
				}
				if i1+i2 < bbest {
					bbest, bbest1 = i1+i2, i1
				}
			}
			if (lim1+lim2)-bbest < fbest-(off1+off2) {
				return fbest1, fbest - fbest1, true, false
			}
			return bbest1, bbest - bbest1, false, true
		}
	}
}

// group is a run of changed lines [start, end) of one side.
type group struct{ start, end int }

func (s *side) firstGroup() group {
	g := group{}
	for s.isChanged(g.end) {
		g.end++
	}
	return g
}

func (s *side) next(g *group) bool {
	if g.end == len(s.lines) {
		return false
	}
	g.start = g.end + 1
	for g.end = g.start; s.isChanged(g.end); g.end++ {
	}
	return true
}

func (s *side) previous(g *group) bool {
	if g.start == 0 {
		return false
	}
	g.end = g.start - 1
	for g.start = g.end; s.isChanged(g.start - 1); g.start-- {
	}
	return true
}

func (s *side) slideDown(g *group) bool {
	if g.end < len(s.lines) && s.class[g.start] == s.class[g.end] {
		s.setChanged(g.start, false)
		g.start++
		s.setChanged(g.end, true)
		g.end++
		for s.isChanged(g.end) {
			g.end++
		}
		return true
	}
	return false
}

func (s *side) slideUp(g *group) bool {
	if g.start > 0 && s.class[g.start-1] == s.class[g.end-1] {
		g.start--
		s.setChanged(g.start, true)
		g.end--
		s.setChanged(g.end, false)
		for s.isChanged(g.start - 1) {
			g.start--
		}
		return true
	}
	return false
}

// compact slides each group of changed lines of s as far down as it goes,
// merging groups it meets, then back up to line up with a change of the
// other side where it can (xdl_change_compact without heuristics). The
// groups of s and o stay paired: the lines between them are equal.
func compact(s, o *side) {
	g, gOther := s.firstGroup(), o.firstGroup()
	for {
		if g.end != g.start {
			var earliestEnd, endMatchingOther int
			for {
				size := g.end - g.start
				endMatchingOther = -1
				for s.slideUp(&g) {
					o.previous(&gOther)
				}
				earliestEnd = g.end
				if gOther.end > gOther.start {
					endMatchingOther = g.end
				}
				for s.slideDown(&g) {
					o.next(&gOther)
					if gOther.end > gOther.start {
						endMatchingOther = g.end
					}
				}
				if size == g.end-g.start {
					break
				}
			}
			if g.end != earliestEnd && endMatchingOther != -1 {
				for gOther.end == gOther.start {
					s.slideUp(&g)
					o.previous(&gOther)
				}
			}
		}
		if !s.next(&g) {
			break
		}
		o.next(&gOther)
	}
}

// script is the edit script of a diff whose sides are compacted
// (xdl_build_script), first hunk first.
func script(x, y *side) []change {
	var rev []change
	for i1, i2 := len(x.lines), len(y.lines); i1 >= 0 || i2 >= 0; i1, i2 = i1-1, i2-1 {
		if x.isChanged(i1-1) || y.isChanged(i2-1) {
			l1, l2 := i1, i2
			for x.isChanged(i1 - 1) {
				i1--
			}
			for y.isChanged(i2 - 1) {
				i2--
			}
			rev = append(rev, change{i1: i1, i2: i2, chg1: l1 - i1, chg2: l2 - i2})
		}
	}
	out := make([]change, len(rev))
	for i, c := range rev {
		out[len(rev)-1-i] = c
	}
	return out
}

// editScript is diff, compacted both ways, as its edit script.
func editScript(a, b []string) []change {
	x, y := diff(a, b)
	compact(x, y)
	compact(y, x)
	return script(x, y)
}
