package techradar

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
)

// Limits on a radar file, which comes from a synced repository and so is
// untrusted.
const (
	MaxFileSize = 1 << 20
	maxEntries  = 500
	maxRings    = 8
	maxText     = 4000
	maxLinks    = 20
)

// Radar is a radar file read and checked.
type Radar struct {
	Title     string
	Quadrants []Quadrant
	// Rings go from the centre out.
	Rings   []Ring
	Entries []Entry
}

// Quadrant is one of the four.
type Quadrant struct{ ID, Name string }

// Ring is one ring.
type Ring struct{ ID, Name, Color string }

// Entry is one blip, as of its latest change.
type Entry struct {
	ID, Title, Quadrant, Ring string
	// Moved is 1 when it moved in (towards the centre), -1 out, 2 new on the
	// radar, 0 not at all.
	Moved       int
	Description string
	URL         string
	Links       []Link
	// Entities are the canonical refs of the entities it is about.
	Entities []string
	// Date is when it last changed (zero when the file does not say).
	Date time.Time
}

// Link is a link of an entry: a web address or an app route.
type Link struct{ Title, URL string }

// ErrInvalid is wrapped by every error about a radar file's content.
var ErrInvalid = errors.New("invalid radar file")

// Error is a problem at a line of a radar file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

func (e *Error) Unwrap() error { return ErrInvalid }

// The file as written: Callboard's shape (ring, moved, date, entities on
// the entry) or Backstage's (key, timeline, links), or a mix.
type rawFile struct {
	Title     string        `yaml:"title"`
	Quadrants []rawQuadrant `yaml:"quadrants"`
	Rings     []rawRing     `yaml:"rings"`
	Entries   []yaml.Node   `yaml:"entries"`
}

type rawQuadrant struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
}

type rawRing struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Color       string `yaml:"color"`
	Description string `yaml:"description"`
}

type rawEntry struct {
	Key         string        `yaml:"key"`
	ID          string        `yaml:"id"`
	Title       string        `yaml:"title"`
	Quadrant    string        `yaml:"quadrant"`
	Ring        string        `yaml:"ring"`
	Moved       *int          `yaml:"moved"`
	Date        string        `yaml:"date"`
	Description string        `yaml:"description"`
	URL         string        `yaml:"url"`
	Timeline    []rawSnapshot `yaml:"timeline"`
	Links       []rawLink     `yaml:"links"`
	Entities    []string      `yaml:"entities"`
	Docs        []string      `yaml:"docs"`
}

type rawSnapshot struct {
	RingID      string `yaml:"ringId"`
	Date        string `yaml:"date"`
	Moved       int    `yaml:"moved"`
	Description string `yaml:"description"`
}

type rawLink struct {
	Title string `yaml:"title"`
	URL   string `yaml:"url"`
}

// Parse reads a radar file (YAML or JSON; name is for its errors). Every
// problem found is reported, each as an *Error with its line.
func Parse(name string, data []byte) (*Radar, error) {
	if len(data) > MaxFileSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("%d bytes, at most %d", len(data), MaxFileSize)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: name, Line: yamlLine(err), Msg: yamlMessage(err)}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: 1, Msg: "want a mapping with quadrants, rings and entries"}
	}
	var raw rawFile
	if err := doc.Content[0].Decode(&raw); err != nil {
		return nil, &Error{File: name, Line: yamlLine(err), Msg: yamlMessage(err)}
	}
	p := parser{file: name, root: doc.Content[0]}
	r := &Radar{Title: raw.Title}
	p.quadrants(r, raw.Quadrants)
	p.rings(r, raw.Rings)
	if len(raw.Entries) > maxEntries {
		p.fail(p.line("entries"), "%d entries, at most %d", len(raw.Entries), maxEntries)
		raw.Entries = raw.Entries[:maxEntries]
	}
	ids := map[string]int{}
	for i := range raw.Entries {
		if e, ok := p.entry(r, &raw.Entries[i]); ok {
			if first, dup := ids[e.ID]; dup {
				p.fail(raw.Entries[i].Line, "entry %q: the id of the entry at line %d too", e.ID, first)
				continue
			}
			ids[e.ID] = raw.Entries[i].Line
			r.Entries = append(r.Entries, e)
		}
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return r, nil
}

type parser struct {
	file string
	root *yaml.Node
	errs []error
}

func (p *parser) fail(line int, format string, args ...any) {
	if len(p.errs) < 20 {
		p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
}

// line is the line of key in the top mapping, or 1.
func (p *parser) line(key string) int {
	for i := 0; i+1 < len(p.root.Content); i += 2 {
		if p.root.Content[i].Value == key {
			return p.root.Content[i].Line
		}
	}
	return 1
}

// item is the line of the i-th item of the top-level list key.
func (p *parser) item(key string, i int) int {
	for j := 0; j+1 < len(p.root.Content); j += 2 {
		if p.root.Content[j].Value == key && i < len(p.root.Content[j+1].Content) {
			return p.root.Content[j+1].Content[i].Line
		}
	}
	return p.line(key)
}

func (p *parser) quadrants(r *Radar, qs []rawQuadrant) {
	if len(qs) != 4 {
		p.fail(p.line("quadrants"), "%d quadrants, want 4", len(qs))
	}
	seen := map[string]bool{}
	for i, q := range qs {
		switch {
		case q.ID == "":
			p.fail(p.item("quadrants", i), "quadrant %d: no id", i+1)
		case seen[q.ID]:
			p.fail(p.item("quadrants", i), "quadrant %q: twice", q.ID)
		default:
			seen[q.ID] = true
			r.Quadrants = append(r.Quadrants, Quadrant{ID: q.ID, Name: clip(cmp.Or(q.Name, q.ID), 100)})
		}
	}
}

func (p *parser) rings(r *Radar, rs []rawRing) {
	if len(rs) < 1 || len(rs) > maxRings {
		p.fail(p.line("rings"), "%d rings, want 1 to %d", len(rs), maxRings)
	}
	seen := map[string]bool{}
	for i, g := range rs {
		switch {
		case g.ID == "":
			p.fail(p.item("rings", i), "ring %d: no id", i+1)
		case seen[g.ID]:
			p.fail(p.item("rings", i), "ring %q: twice", g.ID)
		case g.Color != "" && !validColor(g.Color):
			p.fail(p.item("rings", i), "ring %q: color %q: want #rgb or #rrggbb", g.ID, g.Color)
		default:
			seen[g.ID] = true
			r.Rings = append(r.Rings, Ring{ID: g.ID, Name: clip(cmp.Or(g.Name, g.ID), 100), Color: g.Color})
		}
	}
}

func (p *parser) entry(r *Radar, n *yaml.Node) (Entry, bool) {
	var raw rawEntry
	if err := n.Decode(&raw); err != nil {
		p.fail(cmp.Or(yamlLine(err), n.Line), "entry: %s", yamlMessage(err))
		return Entry{}, false
	}
	e := Entry{ID: cmp.Or(raw.ID, raw.Key), Title: clip(raw.Title, 200), Quadrant: raw.Quadrant, Ring: raw.Ring,
		Description: clip(raw.Description, maxText), URL: raw.URL}
	if e.URL == "#" {
		// Backstage's way of saying "no address".
		e.URL = ""
	}
	what := fmt.Sprintf("entry %q", cmp.Or(e.ID, e.Title))
	errs := len(p.errs)
	if e.ID == "" || e.Title == "" {
		p.fail(n.Line, "%s: want an id (or key) and a title", what)
	}
	if !slices.ContainsFunc(r.Quadrants, func(q Quadrant) bool { return q.ID == e.Quadrant }) {
		p.fail(n.Line, "%s: quadrant %q is none of the radar's", what, e.Quadrant)
	}
	// Backstage's current state is the newest snapshot of the timeline.
	if len(raw.Timeline) > 0 {
		latest := raw.Timeline[0]
		for _, s := range raw.Timeline[1:] {
			if parseDate(s.Date).After(parseDate(latest.Date)) {
				latest = s
			}
		}
		e.Ring = cmp.Or(e.Ring, latest.RingID)
		if raw.Moved == nil {
			raw.Moved = &latest.Moved
		}
		raw.Date = cmp.Or(raw.Date, latest.Date)
		e.Description = cmp.Or(e.Description, clip(latest.Description, maxText))
	}
	if !slices.ContainsFunc(r.Rings, func(g Ring) bool { return g.ID == e.Ring }) {
		p.fail(n.Line, "%s: ring %q is none of the radar's", what, e.Ring)
	}
	if raw.Moved != nil {
		if *raw.Moved < -1 || *raw.Moved > 2 {
			p.fail(n.Line, "%s: moved %d: want 1 (in), -1 (out), 0 or 2 (new)", what, *raw.Moved)
		}
		e.Moved = *raw.Moved
	}
	if raw.Date != "" {
		if e.Date = parseDate(raw.Date); e.Date.IsZero() {
			p.fail(n.Line, "%s: date %q: want YYYY-MM-DD or RFC 3339", what, raw.Date)
		}
	}
	if e.URL != "" && !safeURL(e.URL) {
		p.fail(n.Line, "%s: url %q: want https, http or an app path", what, e.URL)
	}
	if len(raw.Links)+len(raw.Docs) > maxLinks || len(raw.Entities) > maxLinks {
		p.fail(n.Line, "%s: more than %d links or entities", what, maxLinks)
	}
	for _, l := range raw.Links {
		if !safeURL(l.URL) {
			p.fail(n.Line, "%s: link %q: want https, http or an app path", what, l.URL)
			continue
		}
		e.Links = append(e.Links, Link{Title: clip(cmp.Or(l.Title, l.URL), 200), URL: l.URL})
	}
	for _, d := range raw.Docs {
		ref, err := catalog.ParseRef(d, "component", catalog.DefaultNamespace)
		if err != nil {
			p.fail(n.Line, "%s: docs %q: %v", what, d, err)
			continue
		}
		e.Links = append(e.Links, Link{Title: "Docs: " + ref.Name, URL: EntityPath(ref.String()) + "?tab=docs"})
	}
	for _, s := range raw.Entities {
		ref, err := catalog.ParseRef(s, "component", catalog.DefaultNamespace)
		if err != nil {
			p.fail(n.Line, "%s: entity %q: %v", what, s, err)
			continue
		}
		e.Entities = append(e.Entities, ref.String())
	}
	return e, len(p.errs) == errs
}

// EntityPath is the app route of the entity of a canonical ref.
func EntityPath(ref string) string {
	kind, rest, _ := strings.Cut(ref, ":")
	ns, name, _ := strings.Cut(rest, "/")
	return "/catalog/" + url.PathEscape(kind) + "/" + url.PathEscape(ns) + "/" + url.PathEscape(name)
}

var yamlLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+): ?`) })

// yamlLine is the line a yaml.v3 error names, or 0.
func yamlLine(err error) int {
	if m := yamlLineRE().FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// yamlMessage is a yaml.v3 error without its "yaml: " prefixes and, for a
// type error, its first problem only.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg, _, _ = strings.Cut(strings.TrimSpace(msg), "\n")
	return yamlLineRE().ReplaceAllString(msg, "")
}

func parseDate(s string) time.Time {
	for _, layout := range []string{time.RFC3339, "2006-01-02", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// safeURL allows web addresses and the app's own routes, never
// javascript: or another scheme a click would run.
func safeURL(s string) bool {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func validColor(s string) bool {
	if len(s) != 4 && len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, c := range s[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
