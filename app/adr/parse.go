package adr

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Bounds on what is read. Files are synced from anywhere, so each is
// checked before it is parsed.
const (
	MaxFileSize    = 256 << 10 // one record, front matter and body
	MaxFrontMatter = 16 << 10
	MaxTitle       = 300
	MaxStatus      = 300 // the status text as written
	MaxName        = 100 // a decider, a tag
	MaxNames       = 50  // deciders or tags of one record
	// MaxFiles is how many records of one folder are read; the rest are
	// reported and left out.
	MaxFiles = 5000
)

// Status is a record's status, normalised from the text written.
type Status string

// The statuses MADR and Nygard's template name; anything else, or none,
// is StatusUnknown.
const (
	StatusProposed   Status = "proposed"
	StatusAccepted   Status = "accepted"
	StatusRejected   Status = "rejected"
	StatusDeprecated Status = "deprecated"
	StatusSuperseded Status = "superseded"
	StatusUnknown    Status = "unknown"
)

// Format says where a record's status came from.
type Format string

// The formats recognised, by where the status was found.
const (
	FormatFrontMatter Format = "madr"    // MADR 3 and 4: YAML front matter
	FormatMADRList    Format = "madr-2"  // MADR 2: "* Status: …" in the first list
	FormatNygard      Format = "nygard"  // a "## Status" section
	FormatPlain       Format = "unknown" // no status anywhere
)

// Record is one decision record.
type Record struct {
	File       string // path within the folder, e.g. 0001-use-go.md
	Number     int    // from the file name's four digits
	Title      string // the first level-1 heading, else the file name
	Status     Status
	StatusText string // as written, e.g. "Superseded by [ADR-0005](0005-x.md)"
	Format     Format
	Date       string // YYYY-MM-DD, or "" when none or not a date
	// SupersededBy is the successor as the status names it: a link's
	// target or "ADR-0005"; Successor is that record's File once Link
	// found it in the folder.
	SupersededBy string
	Successor    string
	Deciders     []string
	Tags         []string
	Body         string // Markdown, without the front matter
}

// fileRE is the ADR plugin's madrFilePathFilter: a file named NNNN-*.md
// anywhere under the folder.
var fileRE = regexp.MustCompile(`^(?:.*/)?(\d{4})-.+\.md$`)

// IsFile says whether p, a path within an ADR folder, names a decision
// record, as Backstage's ADR plugin filters them.
func IsFile(p string) bool { return fileRE.MatchString(p) }

// Parse reads the decision record file (a path within its folder). A
// record with no status is not refused: its Status is StatusUnknown.
func Parse(file string, data []byte) (Record, error) {
	if len(data) > MaxFileSize {
		return Record{}, &Error{File: file, Msg: fmt.Sprintf("is %d bytes; a decision record may have %d", len(data), MaxFileSize), Err: ErrTooLarge}
	}
	if !utf8.Valid(data) {
		return Record{}, &Error{File: file, Msg: "is not UTF-8 text"}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := Record{File: file, Status: StatusUnknown, Format: FormatPlain}
	if m := fileRE.FindStringSubmatch(file); m != nil {
		r.Number, _ = strconv.Atoi(m[1])
	}
	body, fm, err := frontMatter(file, data)
	if err != nil {
		return Record{}, err
	}
	r.Body = body
	offset := 0 // lines before the body, for the scanner's line numbers
	if fm != nil {
		offset = strings.Count(string(data[:len(data)-len(body)]), "\n")
		if err := r.readFrontMatter(file, fm); err != nil {
			return Record{}, err
		}
	}
	s := scan(body)
	r.Title = s.title
	if utf8.RuneCountInString(r.Title) > MaxTitle {
		return Record{}, &Error{File: file, Line: s.titleLine + offset, Field: "title", Msg: fmt.Sprintf("is longer than %d characters", MaxTitle), Err: ErrTooLarge}
	}
	if r.Title == "" {
		r.Title = strings.TrimSuffix(path.Base(file), ".md")
	}
	if r.Format == FormatPlain {
		switch {
		case s.listField("status") != "":
			r.StatusText, r.Format = s.listField("status"), FormatMADRList
		case s.statusSection != "":
			r.StatusText, r.Format = s.statusSection, FormatNygard
		}
	}
	if r.Date == "" {
		r.Date = dateOf(s.listField("date"))
	}
	if r.Date == "" {
		r.Date = dateOf(s.dateLine)
	}
	if r.Deciders == nil {
		if d := s.listField("deciders"); d != "" {
			r.Deciders = names(strings.Split(d, ","))
		}
	}
	if len(r.StatusText) > MaxStatus {
		r.StatusText = r.StatusText[:MaxStatus]
		for !utf8.ValidString(r.StatusText) {
			r.StatusText = r.StatusText[:len(r.StatusText)-1]
		}
	}
	r.Status, r.SupersededBy = normalise(r.StatusText)
	return r, nil
}

// frontMatter splits a file into its body and its front matter's mapping,
// nil when it has none. Like the front-matter package the plugin uses, an
// opening "---" with no closing one is no front matter.
func frontMatter(file string, data []byte) (string, *yaml.Node, error) {
	first, rest, found := bytes.Cut(data, []byte("\n"))
	if !found || string(bytes.TrimRight(first, " \t\r")) != "---" {
		return string(data), nil, nil
	}
	start, off := len(first)+1, len(first)+1
	for len(rest) > 0 {
		line, next, more := bytes.Cut(rest, []byte("\n"))
		if t := string(bytes.TrimRight(line, " \t\r")); t == "---" || t == "..." {
			body := off + len(line)
			if more {
				body++
			}
			return parseFrontMatter(file, data[start:off], string(data[body:]))
		}
		off += len(line) + 1
		rest = next
		if !more {
			break
		}
	}
	return string(data), nil, nil
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func parseFrontMatter(file string, fm []byte, body string) (string, *yaml.Node, error) {
	if len(fm) > MaxFrontMatter {
		return "", nil, &Error{File: file, Line: 2, Msg: fmt.Sprintf("front matter is %d bytes; at most %d", len(fm), MaxFrontMatter), Err: ErrTooLarge}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(fm, &doc); err != nil {
		line := 1
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := strings.TrimLeft(strings.TrimPrefix(yamlLineRE.ReplaceAllString(err.Error(), ""), "yaml: "), ": ")
		return "", nil, &Error{File: file, Line: line + 1, Msg: "front matter is not YAML: " + msg}
	}
	if len(doc.Content) == 0 {
		return body, nil, nil
	}
	n := doc.Content[0]
	if n.Kind != yaml.MappingNode {
		return "", nil, &Error{File: file, Line: n.Line + 1, Msg: "front matter must be a mapping of fields"}
	}
	return body, n, nil
}

// readFrontMatter takes MADR 3/4's fields; others are the author's own
// and left alone.
func (r *Record) readFrontMatter(file string, m *yaml.Node) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := m.Content[i], m.Content[i+1]
		fieldErr := func(msg string) error {
			return &Error{File: file, Line: val.Line + 1, Field: key.Value, Msg: msg}
		}
		switch key.Value {
		case "status":
			if val.Kind != yaml.ScalarNode {
				return fieldErr("must be text, e.g. accepted")
			}
			if val.Tag != "!!null" && strings.TrimSpace(val.Value) != "" {
				r.StatusText, r.Format = strings.TrimSpace(val.Value), FormatFrontMatter
			}
		case "date":
			if val.Kind != yaml.ScalarNode {
				return fieldErr("must be a date, e.g. 2026-05-01")
			}
			r.Date = dateOf(val.Value)
		case "deciders", "decision-makers", "tags":
			list, err := nameList(val)
			if err != nil {
				return fieldErr(err.Error())
			}
			if key.Value == "tags" {
				r.Tags = list
			} else {
				r.Deciders = list
			}
		}
	}
	return nil
}

// nameList reads a sequence of names, or one comma-separated text.
func nameList(val *yaml.Node) ([]string, error) {
	var items []string
	switch val.Kind {
	case yaml.ScalarNode:
		if val.Tag == "!!null" {
			return nil, nil
		}
		items = strings.Split(val.Value, ",")
	case yaml.SequenceNode:
		for _, it := range val.Content {
			if it.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("must list names as text")
			}
			items = append(items, it.Value)
		}
	default:
		return nil, fmt.Errorf("must be a list of names")
	}
	if len(items) > MaxNames {
		return nil, fmt.Errorf("lists %d names; at most %d", len(items), MaxNames)
	}
	return names(items), nil
}

// names trims and bounds names, leaving out empty ones.
func names(items []string) []string {
	var out []string
	for _, s := range items[:min(len(items), MaxNames)] {
		s = strings.Join(strings.Fields(s), " ")
		if s == "" {
			continue
		}
		if utf8.RuneCountInString(s) > MaxName {
			s = string([]rune(s)[:MaxName])
		}
		out = append(out, s)
	}
	return out
}

// dateOf reads a date written as 2026-05-01 or as an RFC 3339 time.
func dateOf(s string) string {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("2006-01-02")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Format("2006-01-02")
	}
	return ""
}

var (
	supersededRE     = regexp.MustCompile(`(?i)^superseded\b`)
	supersededWordRE = regexp.MustCompile(`(?i)superseded(?:\s+by)?`)
	linkRE           = regexp.MustCompile(`\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)`)
	numberRE         = regexp.MustCompile(`(?i)\b(?:adr[- ]?)?(\d{1,4})\b`)
)

// normalise reads the status from its text: its first word names it
// ("Accepted", "superseded by [ADR-0005](0005-x.md)"); a superseded one
// also names its successor, by link or by number.
func normalise(text string) (Status, string) {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.TrimLeft(t, "*_[` ")
	var st Status
	switch {
	case t == "":
		return StatusUnknown, ""
	case strings.HasPrefix(t, "proposed"), strings.HasPrefix(t, "draft"):
		st = StatusProposed
	case strings.HasPrefix(t, "accepted"):
		st = StatusAccepted
	case strings.HasPrefix(t, "rejected"):
		st = StatusRejected
	case strings.HasPrefix(t, "deprecated"):
		st = StatusDeprecated
	case supersededRE.MatchString(t):
		st = StatusSuperseded
	default:
		return StatusUnknown, ""
	}
	if st != StatusSuperseded {
		return st, ""
	}
	if m := linkRE.FindStringSubmatch(text); m != nil {
		return st, m[1]
	}
	loc := supersededWordRE.FindStringIndex(text)
	if loc == nil {
		return st, ""
	}
	if m := numberRE.FindStringSubmatch(text[loc[1]:]); m != nil {
		n, _ := strconv.Atoi(m[1])
		return st, fmt.Sprintf("ADR-%04d", n)
	}
	return st, ""
}
