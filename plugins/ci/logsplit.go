package ci

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// Bounds on a log as shown: below the host's (10,000 lines, 1 MiB), so a
// log never makes the whole answer refused.
const (
	maxShownLines = 9000
	maxShownBytes = 900 << 10
	// maxLineBytes clips a line: a minified bundle printed whole is not
	// worth a screen of its own.
	maxLineBytes = 4 << 10
	// maxTitleBytes clips a section's title.
	maxTitleBytes = 200
)

// logSection is a folded part of a job's log: a step (GitHub) or a
// section (GitLab).
type logSection struct {
	Title    string
	Lines    []string
	Status   pluginv1.Status
	Open     bool
	Duration string
}

// step is one step of a job, as GitHub lists it.
type step struct {
	Number      int       `json:"number"`
	Name        string    `json:"name"`
	Status      string    `json:"status"`
	Conclusion  string    `json:"conclusion"`
	StartedAt   time.Time `json:"started_at"`
	CompletedAt time.Time `json:"completed_at"`
}

// ansi matches a terminal escape sequence (colours, erase line).
var ansi = regexp.MustCompile("\x1b\\[[0-9;?]*[ -/]*[@-~]")

// clean is a line as shown: valid UTF-8 without terminal escapes, at most
// maxLineBytes.
// A carriage return within a line is a terminal's progress display: what
// follows the last one overwrote what came before.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, '\r') >= 0 {
		parts := strings.Split(s, "\r")
		s = ""
		for i := len(parts) - 1; i >= 0; i-- {
			if strings.TrimSpace(ansi.ReplaceAllString(parts[i], "")) != "" {
				s = parts[i]
				break
			}
		}
	}
	if strings.IndexByte(s, 0x1b) >= 0 {
		s = strings.ReplaceAll(ansi.ReplaceAllString(s, ""), "\x1b", "")
	}
	return clip(s, maxLineBytes)
}

// clip cuts s to at most n bytes on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n - len("…")
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// splitLines splits text into lines without their line ends; a last empty
// line (text ending in a newline) is none.
func splitLines(text string) []string {
	text = strings.TrimPrefix(text, "\uFEFF")
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// lastLines is the last n lines of text; cut says there were more. Only
// the newest lines can be shown (fitLog), so the rest is not split.
func lastLines(text string, n int) (_ string, cut bool) {
	text = strings.TrimSuffix(text, "\n")
	for i := len(text) - 1; i >= 0; i-- {
		if text[i] == '\n' {
			if n--; n == 0 {
				return text[i+1:], true
			}
		}
	}
	return text, false
}

// cutTimestamp splits a GitHub log line into the time it starts with and
// the rest; ok is false for a line without one.
func cutTimestamp(line string) (t time.Time, rest string, ok bool) {
	if len(line) < 20 || line[4] != '-' || line[10] != 'T' {
		return time.Time{}, line, false
	}
	stamp, rest, found := strings.Cut(line, " ")
	if !found && !strings.HasSuffix(line, "Z") {
		return time.Time{}, line, false
	}
	t, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return time.Time{}, line, false
	}
	return t, rest, true
}

// githubLine is a GitHub log line as shown, its workflow command markers
// made words; drop is a line that only closes a group.
func githubLine(rest string) (text string, isError, drop bool) {
	if !strings.HasPrefix(rest, "##[") {
		return clean(rest), false, false
	}
	cmd, msg, ok := strings.Cut(rest[3:], "]")
	if !ok {
		return clean(rest), false, false
	}
	switch cmd {
	case "endgroup":
		return "", false, true
	case "group":
		return clean("▸ " + msg), false, false
	case "error":
		return clean("Error: " + msg), true, false
	case "warning":
		return clean("Warning: " + msg), false, false
	case "notice":
		return clean("Notice: " + msg), false, false
	case "debug":
		return clean("Debug: " + msg), false, false
	case "command":
		return clean("$ " + msg), false, false
	}
	return clean(rest), false, false
}

// splitGitHubLog splits a GitHub Actions job log into its steps: a line
// belongs to the last step started by its timestamp, or to a later step
// whose "Run <name>" group it opens (steps started within the same second).
// Without steps, each top-level ##[group] starts a section. pre are the
// lines before the first section. A failed step is open; without steps,
// a section with an error line is.
func splitGitHubLog(text string, steps []step) (pre []string, secs []logSection) {
	lines := splitLines(text)
	if len(steps) == 0 {
		return splitGitHubGroups(lines)
	}
	secs = make([]logSection, len(steps))
	for i, s := range steps {
		text, st := statusOf(s.Status, s.Conclusion)
		secs[i] = logSection{Title: clip(clean(s.Name), maxTitleBytes), Status: st, Open: st == pluginv1.Status_STATUS_ERROR, Duration: spanText(s.StartedAt, s.CompletedAt)}
		if text != "" && st != pluginv1.Status_STATUS_OK {
			secs[i].Title = clip(clean(s.Name)+" ("+text+")", maxTitleBytes)
		}
	}
	cur := -1
	// Lines come many to a second: parse each second once.
	var lastStamp string
	var last time.Time
	for _, line := range lines {
		rest, ok := line, false
		if stamp, r, found := strings.Cut(line, " "); found && len(stamp) > 19 && stamp[:19] == lastStamp {
			rest, ok = r, true
		} else if t, r, parsed := cutTimestamp(line); parsed {
			rest, ok, last = r, true, t.Truncate(time.Second)
			if len(line) > 19 {
				lastStamp = line[:19]
			}
		}
		if ok {
			cur = stepAt(steps, cur, last, rest)
		}
		shown, _, drop := githubLine(rest)
		if drop {
			continue
		}
		if cur < 0 {
			pre = append(pre, shown)
		} else {
			secs[cur].Lines = append(secs[cur].Lines, shown)
		}
	}
	return pre, secs
}

// stepAt is the step a line at t with text rest is in, the line before
// it being in cur (-1 before any). Steps only move forward. A group
// line "Run <name>" enters the later step of that name; otherwise a line
// enters the last step started in an earlier second, or the next one
// started in its very second when it opens a group (GitHub's step times
// are whole seconds, several steps may start in one).
func stepAt(steps []step, cur int, t time.Time, rest string) int {
	name, isGroup := strings.CutPrefix(rest, "##[group]")
	if isGroup {
		for i := cur + 1; i < len(steps); i++ {
			if steps[i].Name == name {
				return i
			}
		}
	}
	sec := t.Truncate(time.Second)
	next := cur
	for i := cur + 1; i < len(steps); i++ {
		st := steps[i].StartedAt
		switch {
		case st.IsZero():
		case st.Before(sec):
			next = i
		case st.Equal(sec) && (isGroup || cur < 0) && next == cur && i == firstStarted(steps, cur):
			next = i
		}
	}
	return next
}

// firstStarted is the first step after cur that has started, or -1.
func firstStarted(steps []step, cur int) int {
	for i := cur + 1; i < len(steps); i++ {
		if !steps[i].StartedAt.IsZero() {
			return i
		}
	}
	return -1
}

// splitGitHubGroups is splitGitHubLog without steps.
func splitGitHubGroups(lines []string) (pre []string, secs []logSection) {
	depth := 0
	for _, line := range lines {
		_, rest, _ := cutTimestamp(line)
		if title, ok := strings.CutPrefix(rest, "##[group]"); ok && depth == 0 {
			secs = append(secs, logSection{Title: clip(clean(title), maxTitleBytes)})
		}
		switch {
		case strings.HasPrefix(rest, "##[group]"):
			depth++
		case strings.HasPrefix(rest, "##[endgroup]"):
			depth = max(depth-1, 0)
		}
		shown, isError, drop := githubLine(rest)
		if drop {
			continue
		}
		if len(secs) == 0 {
			pre = append(pre, shown)
			continue
		}
		s := &secs[len(secs)-1]
		s.Lines = append(s.Lines, shown)
		if isError {
			s.Status, s.Open = pluginv1.Status_STATUS_ERROR, true
		}
	}
	return pre, secs
}

// gitlabMarker is a GitLab section marker: section_start:TS:NAME[opts] or
// section_end:TS:NAME.
var gitlabMarker = regexp.MustCompile(`^section_(start|end):(\d{1,19}):([A-Za-z0-9_.\-]+)(\[[^\]]*\])?`)

// splitGitLabTrace splits a GitLab job's trace by its top-level sections
// (section_start/section_end markers; nested ones stay in theirs). A
// section's title is the header after its start marker, else its name.
// Lines between sections go into one titled "Job output". A section with
// an "ERROR:" line is failed and open; when the job failed, so is its
// last script section.
func splitGitLabTrace(text string, failed bool) (pre []string, secs []logSection) {
	type opened struct {
		name  string
		start int64
	}
	var stack []opened
	top := -1          // the open top-level section's index in secs
	var names []string // each of secs' section names, "" for Job output
	for _, line := range splitLines(text) {
		var shown string
		hasText, markers, titled := false, false, false
		for part := range strings.SplitSeq(line, "\r") {
			part = strings.TrimPrefix(part, "\x1b[0K")
			m := gitlabMarker.FindStringSubmatch(part)
			if m == nil {
				t := clean(part)
				switch {
				case titled && t != "":
					secs[top].Title, titled = clip(t, maxTitleBytes), false
				case t != "" || !hasText:
					shown, hasText = t, t != "" || !markers
				}
				continue
			}
			markers, titled = true, false
			ts, _ := strconv.ParseInt(m[2], 10, 64)
			if m[1] == "start" {
				if len(stack) == 0 {
					secs = append(secs, logSection{Title: m[3]})
					names = append(names, m[3])
					top, titled = len(secs)-1, true
				}
				stack = append(stack, opened{m[3], ts})
				continue
			}
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].name != m[3] {
					continue
				}
				if i == 0 && top >= 0 && ts >= stack[0].start {
					secs[top].Duration = durationText(time.Duration(min(ts-stack[0].start, 1<<30)) * time.Second)
				}
				stack = stack[:i]
				break
			}
			if len(stack) == 0 {
				top = -1
			}
		}
		if !hasText {
			continue
		}
		if top < 0 && len(secs) > 0 {
			if names[len(names)-1] != "" {
				secs = append(secs, logSection{Title: "Job output"})
				names = append(names, "")
			}
			top = len(secs) - 1
		}
		if top < 0 {
			pre = append(pre, shown)
			continue
		}
		s := &secs[top]
		s.Lines = append(s.Lines, shown)
		if strings.HasPrefix(shown, "ERROR:") {
			s.Status, s.Open = pluginv1.Status_STATUS_ERROR, true
		}
		if len(stack) == 0 {
			top = -1
		}
	}
	if failed {
		for i := len(secs) - 1; i >= 0; i-- {
			if strings.HasPrefix(names[i], "step_") || names[i] == "build_script" {
				secs[i].Status, secs[i].Open = pluginv1.Status_STATUS_ERROR, true
				break
			}
		}
	}
	return pre, secs
}

// fitLog keeps the newest lines within maxShownLines and maxShownBytes,
// dropping the oldest first; cut says some were dropped.
func fitLog(pre []string, secs []logSection) (_ []string, _ []logSection, cut bool) {
	lines, size := len(pre), 0
	for _, l := range pre {
		size += len(l)
	}
	for _, s := range secs {
		lines += len(s.Lines)
		for _, l := range s.Lines {
			size += len(l)
		}
	}
	drop := func(ls []string) []string {
		n := 0
		for n < len(ls) && (lines > maxShownLines || size > maxShownBytes) {
			lines--
			size -= len(ls[n])
			n++
		}
		cut = cut || n > 0
		return ls[n:]
	}
	pre = drop(pre)
	for i := range secs {
		secs[i].Lines = drop(secs[i].Lines)
	}
	return pre, secs, cut
}

// spanText is how long from start to end took, "" when unknown.
func spanText(start, end time.Time) string {
	if start.IsZero() || end.IsZero() || end.Before(start) {
		return ""
	}
	return durationText(end.Sub(start))
}

// durationText is d as "42s", "4m 05s" or "6h 00m".
func durationText(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	default:
		return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}
