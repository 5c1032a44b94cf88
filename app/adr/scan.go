package adr

import (
	"regexp"
	"strings"
)

// scanned is what the Markdown body tells about a record, read line by
// line as Markdown blocks go: fenced and indented code and block quotes
// are skipped, so a "# " in a code sample is no title.
type scanned struct {
	title     string
	titleLine int
	// list is the items of the first list, each item's lines joined:
	// MADR 2 keeps "Status: …", "Date: …" and "Deciders: …" there.
	list []string
	// statusSection is the first paragraph under a "Status" heading
	// (Nygard); a "Superseded by" line in the section wins over it.
	statusSection string
	// dateLine is a "Date: …" line outside lists before the first
	// section, as adr-tools writes it.
	dateLine string
}

var (
	atxRE    = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	fenceRE  = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	itemRE   = regexp.MustCompile(`^ {0,3}([*+-]|\d{1,9}[.)])(?:[ \t]+(.*))?$`)
	hrRE     = regexp.MustCompile(`^ {0,3}([*_-])(?:[ \t]*([*_-]))*[ \t]*$`)
	setext1  = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	setext2  = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	dateRE   = regexp.MustCompile(`(?i)^date:\s*(.*)$`)
	markerRE = regexp.MustCompile(`^\s*(?:[*+-]|\d{1,9}[.)])\s+`)
)

// listField returns the text after "name:" of the first list's item that
// starts with it (case-insensitive), trimmed, or "".
func (s *scanned) listField(name string) string {
	for _, it := range s.list {
		if len(it) > len(name) && strings.EqualFold(it[:len(name)+1], name+":") {
			return strings.TrimSpace(it[len(name)+1:])
		}
	}
	return ""
}

func scan(body string) scanned {
	var s scanned
	lines := strings.Split(body, "\n")
	var (
		fence      string // the open fence's marker, or ""
		para       []string
		paraLine   int
		listState  int // 0 before the first list, 1 in it, 2 after it
		listMarker byte
		blank      bool
		section    string // the heading text of the current section, lower-cased
		statusDone bool
		sawSection bool
	)
	heading := func(level int, text string, line int) {
		if level == 1 && s.title == "" {
			s.title, s.titleLine = text, line
		}
		if level >= 2 {
			sawSection = true
		}
		section = strings.ToLower(strings.TrimSpace(strings.Trim(text, "*_:")))
		para = nil
		if listState == 1 {
			listState = 2
		}
	}
	for i, raw := range lines {
		line := strings.TrimRight(raw, "\r")
		n := i + 1
		if fence != "" {
			if m := fenceRE.FindStringSubmatch(line); m != nil && m[1][0] == fence[0] && len(m[1]) >= len(fence) && strings.TrimSpace(line[strings.Index(line, m[1])+len(m[1]):]) == "" {
				fence = ""
			}
			continue
		}
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			fence, para = m[1], nil
			continue
		}
		if strings.TrimSpace(line) == "" {
			blank, para = true, nil
			continue
		}
		wasBlank := blank
		blank = false
		if strings.HasPrefix(strings.TrimLeft(line, " "), ">") {
			para = nil
			continue
		}
		if m := atxRE.FindStringSubmatch(line); m != nil {
			heading(len(m[1]), strings.TrimSpace(m[2]), n)
			continue
		}
		if len(para) > 0 && listState != 1 && setext1.MatchString(line) {
			heading(1, strings.Join(para, "\n"), paraLine)
			continue
		}
		if len(para) > 0 && listState != 1 && setext2.MatchString(line) {
			heading(2, strings.Join(para, "\n"), paraLine)
			continue
		}
		if hrRE.MatchString(line) && strings.Count(strings.TrimSpace(line), string(strings.TrimSpace(line)[0])) >= 3 {
			para = nil
			if listState == 1 {
				listState = 2
			}
			continue
		}
		if m := itemRE.FindStringSubmatch(line); m != nil && len(para) == 0 {
			marker := m[1][len(m[1])-1]
			switch {
			case listState == 0:
				listState, listMarker = 1, marker
				s.list = append(s.list, strings.TrimSpace(m[2]))
			case listState == 1 && marker == listMarker:
				s.list = append(s.list, strings.TrimSpace(m[2]))
			case listState == 1:
				listState = 2
			}
			s.sectionLine(section, markerRE.ReplaceAllString(line, ""), &statusDone)
			continue
		}
		indented := strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t")
		if listState == 1 {
			if indented || !wasBlank {
				last := len(s.list) - 1
				s.list[last] += "\n" + strings.TrimSpace(line)
				continue
			}
			listState = 2
		}
		if indented && len(para) == 0 {
			continue
		}
		if len(para) == 0 {
			paraLine = n
		}
		para = append(para, strings.TrimSpace(line))
		if m := dateRE.FindStringSubmatch(strings.TrimSpace(line)); m != nil && !sawSection && s.dateLine == "" {
			s.dateLine = m[1]
		}
		s.sectionLine(section, strings.TrimSpace(line), &statusDone)
	}
	return s
}

// sectionLine takes a line of a "Status" section: the first paragraph's
// first line is the status, and a "Superseded by" line replaces it.
func (s *scanned) sectionLine(section, line string, done *bool) {
	if section != "status" {
		return
	}
	switch {
	case supersededRE.MatchString(line):
		s.statusSection, *done = line, true
	case !*done && s.statusSection == "":
		s.statusSection = line
	}
}
