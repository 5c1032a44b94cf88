package questions

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

	"github.com/callboard/callboard/app/catalog"
)

// Dir is the folder of a repository that holds questions, one folder each.
const Dir = "questions"

// Bounds on what a question or answer file may hold. Files are synced from
// anywhere, so every one is checked before it is read.
const (
	MaxFileSize    = 256 << 10 // a question or an answer, front matter and body
	MaxFrontMatter = 16 << 10
	MaxTitle       = 300
	MaxName        = 100 // an author's free name, a tag
	MaxTags        = 20
	MaxEntityRefs  = 50
	MaxVotes       = 1_000_000_000
	// MaxAnswers is how many answers of one question are read; the rest are
	// reported and left out.
	MaxAnswers = 500
)

// Question is a question.md file with the answers of its folder.
type Question struct {
	Slug       string
	File       string // questions/<slug>/question.md
	Title      string
	Author     string // a User's entity ref, or a free name
	Date       time.Time
	Tags       []string
	EntityRefs []string // canonical, lower-cased
	Accepted   string   // an answer's file name, or ""
	Votes      int
	Body       string
	Answers    []Answer
}

// Answer is one file of a question's answers/ folder.
type Answer struct {
	Name   string // the file name, e.g. 2026-05-02-jane.md
	File   string
	Author string
	Date   time.Time
	Votes  int
	Body   string
}

var (
	slugPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,99}$`)
	answerPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,115}\.md$`)
)

// Kind of a path under Dir.
const (
	KindNone     = iota
	KindQuestion // questions/<slug>/question.md
	KindAnswer   // questions/<slug>/answers/<name>.md
)

// Classify says whether p is a question or an answer file, and of which
// question. Other files under Dir (images, a README) are not read.
func Classify(p string) (kind int, slug, answer string) {
	parts := strings.Split(p, "/")
	if len(parts) < 3 || parts[0] != Dir || !slugPattern.MatchString(parts[1]) {
		return KindNone, "", ""
	}
	switch {
	case len(parts) == 3 && parts[2] == "question.md":
		return KindQuestion, parts[1], ""
	case len(parts) == 4 && parts[2] == "answers" && answerPattern.MatchString(parts[3]):
		return KindAnswer, parts[1], parts[3]
	}
	return KindNone, "", ""
}

// IsFile says whether p is a question or answer file: such files are read
// by Callboard but are not catalog files.
func IsFile(p string) bool {
	k, _, _ := Classify(p)
	return k != KindNone
}

// QuestionFile is the path of the question slug.
func QuestionFile(slug string) string { return path.Join(Dir, slug, "question.md") }

// AnswerFile is the path of answer name of the question slug.
func AnswerFile(slug, name string) string { return path.Join(Dir, slug, "answers", name) }

// ValidSlug says whether slug can name a question's folder.
func ValidSlug(slug string) bool { return slugPattern.MatchString(slug) }

// ValidAnswerName says whether name can name an answer file.
func ValidAnswerName(name string) bool { return answerPattern.MatchString(name) }

// ParseQuestion reads a question.md file.
func ParseQuestion(file string, data []byte) (Question, error) {
	fm, body, err := split(file, data)
	if err != nil {
		return Question{}, err
	}
	q := Question{File: file, Body: body}
	if _, slug, _ := Classify(file); slug != "" {
		q.Slug = slug
	}
	seen := map[string]bool{}
	for key, val := range fm.fields() {
		if seen[key.Value] {
			return Question{}, fieldErr(file, key, key.Value, "is given twice")
		}
		seen[key.Value] = true
		switch key.Value {
		case "title":
			q.Title, err = text(file, key, val, MaxTitle)
		case "author":
			q.Author, err = author(file, key, val)
		case "date":
			q.Date, err = date(file, key, val)
		case "tags":
			q.Tags, err = list(file, key, val, MaxTags, func(s string) (string, error) {
				if s == "" || len(s) > MaxName || strings.ContainsAny(s, "\n\r\t") {
					return "", fmt.Errorf("tag %q is empty, too long or has a line break", s)
				}
				return strings.ToLower(s), nil
			})
		case "entityRefs":
			q.EntityRefs, err = list(file, key, val, MaxEntityRefs, func(s string) (string, error) {
				r, err := catalog.ParseRef(s, "", "")
				if err != nil {
					return "", err
				}
				return r.String(), nil
			})
		case "accepted":
			q.Accepted, err = text(file, key, val, 120)
			if err == nil && q.Accepted != "" && !answerPattern.MatchString(q.Accepted) {
				err = fieldErr(file, val, "accepted", "must name an answer file of answers/, e.g. 2026-05-02-jane.md")
			}
		case "votes":
			q.Votes, err = votes(file, key, val)
		default:
			err = fieldErr(file, key, key.Value, "is not a question field (title, author, date, tags, entityRefs, accepted, votes)")
		}
		if err != nil {
			return Question{}, err
		}
	}
	switch {
	case q.Title == "":
		return Question{}, &Error{File: file, Line: fm.line, Field: "title", Msg: "is required"}
	case q.Author == "":
		return Question{}, &Error{File: file, Line: fm.line, Field: "author", Msg: "is required"}
	case q.Date.IsZero():
		return Question{}, &Error{File: file, Line: fm.line, Field: "date", Msg: "is required"}
	}
	return q, nil
}

// ParseAnswer reads an answer file.
func ParseAnswer(file string, data []byte) (Answer, error) {
	fm, body, err := split(file, data)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Name: path.Base(file), File: file, Body: body}
	seen := map[string]bool{}
	for key, val := range fm.fields() {
		if seen[key.Value] {
			return Answer{}, fieldErr(file, key, key.Value, "is given twice")
		}
		seen[key.Value] = true
		switch key.Value {
		case "author":
			a.Author, err = author(file, key, val)
		case "date":
			a.Date, err = date(file, key, val)
		case "votes":
			a.Votes, err = votes(file, key, val)
		default:
			err = fieldErr(file, key, key.Value, "is not an answer field (author, date, votes)")
		}
		if err != nil {
			return Answer{}, err
		}
	}
	switch {
	case a.Author == "":
		return Answer{}, &Error{File: file, Line: fm.line, Field: "author", Msg: "is required"}
	case a.Date.IsZero():
		return Answer{}, &Error{File: file, Line: fm.line, Field: "date", Msg: "is required"}
	}
	return a, nil
}

// frontMatter is a file's front matter as a YAML mapping; line is the
// line of its opening "---".
type frontMatter struct {
	node *yaml.Node
	line int
}

// fields yields the mapping's keys and values in order.
func (f frontMatter) fields() func(yield func(*yaml.Node, *yaml.Node) bool) {
	return func(yield func(*yaml.Node, *yaml.Node) bool) {
		if f.node == nil {
			return
		}
		for i := 0; i+1 < len(f.node.Content); i += 2 {
			if !yield(f.node.Content[i], f.node.Content[i+1]) {
				return
			}
		}
	}
}

// bounds gives the byte offsets of the front matter's text (between the
// fences) and of the body, or ok false when the file has none.
func bounds(data []byte) (fmStart, fmEnd, bodyStart int, ok bool) {
	first, rest, found := bytes.Cut(data, []byte("\n"))
	if !found || string(bytes.TrimRight(first, "\r")) != "---" {
		return 0, 0, 0, false
	}
	fmStart = len(first) + 1
	off := fmStart
	for len(rest) > 0 {
		line, next, more := bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(line, "\r")) == "---" {
			bodyStart = off + len(line)
			if more {
				bodyStart++
			}
			return fmStart, off, bodyStart, true
		}
		off += len(line) + 1
		rest = next
		if !more {
			break
		}
	}
	return 0, 0, 0, false
}

// split checks a file's size and encoding and parses its front matter.
func split(file string, data []byte) (frontMatter, string, error) {
	if len(data) > MaxFileSize {
		return frontMatter{}, "", &Error{File: file, Msg: fmt.Sprintf("is %d bytes; question and answer files may have %d", len(data), MaxFileSize), Err: ErrTooLarge}
	}
	if !utf8.Valid(data) {
		return frontMatter{}, "", &Error{File: file, Msg: "is not UTF-8 text"}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	start, end, body, ok := bounds(data)
	if !ok {
		return frontMatter{}, "", &Error{File: file, Line: 1, Msg: "has no front matter: start the file with a line \"---\", the fields, and another \"---\""}
	}
	if end-start > MaxFrontMatter {
		return frontMatter{}, "", &Error{File: file, Line: 2, Msg: fmt.Sprintf("front matter is %d bytes; at most %d", end-start, MaxFrontMatter), Err: ErrTooLarge}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data[start:end], &doc); err != nil {
		return frontMatter{}, "", &Error{File: file, Line: yamlLine(err) + 1, Msg: "front matter is not YAML: " + yamlMsg(err)}
	}
	fm := frontMatter{line: 1}
	if len(doc.Content) == 1 {
		n := doc.Content[0]
		if n.Kind != yaml.MappingNode {
			return frontMatter{}, "", &Error{File: file, Line: n.Line + 1, Msg: "front matter must be a mapping of fields"}
		}
		shift(n, 1)
		fm.node = n
	}
	return fm, string(data[body:]), nil
}

// shift moves the nodes' lines from the front matter's to the file's.
func shift(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shift(c, by)
	}
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

func yamlMsg(err error) string {
	return strings.TrimPrefix(yamlLineRE.ReplaceAllString(err.Error(), ""), "yaml: ")
}

func fieldErr(file string, n *yaml.Node, field, msg string) *Error {
	return &Error{File: file, Line: n.Line, Field: field, Msg: msg}
}

func text(file string, key, val *yaml.Node, limit int) (string, error) {
	if val.Kind != yaml.ScalarNode || val.Tag == "!!null" {
		return "", fieldErr(file, val, key.Value, "must be text")
	}
	s := strings.TrimSpace(val.Value)
	if utf8.RuneCountInString(s) > limit {
		return "", &Error{File: file, Line: val.Line, Field: key.Value, Msg: fmt.Sprintf("is longer than %d characters", limit), Err: ErrTooLarge}
	}
	if strings.ContainsAny(s, "\n\r") {
		return "", fieldErr(file, val, key.Value, "must be one line")
	}
	return s, nil
}

// author is a User's entity ref (user:[namespace/]name, kept canonical)
// or a free name.
func author(file string, key, val *yaml.Node) (string, error) {
	s, err := text(file, key, val, MaxName)
	if err != nil || !strings.HasPrefix(strings.ToLower(s), "user:") {
		return s, err
	}
	r, err := catalog.ParseRef(s, "user", "")
	if err != nil {
		return "", fieldErr(file, val, key.Value, err.Error())
	}
	return r.String(), nil
}

// date reads 2026-05-01 or an RFC 3339 time.
func date(file string, key, val *yaml.Node) (time.Time, error) {
	if val.Kind != yaml.ScalarNode {
		return time.Time{}, fieldErr(file, val, key.Value, "must be a date, e.g. 2026-05-01 or 2026-05-01T10:00:00Z")
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, val.Value); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fieldErr(file, val, key.Value, fmt.Sprintf("%q is not a date, e.g. 2026-05-01 or 2026-05-01T10:00:00Z", val.Value))
}

func votes(file string, key, val *yaml.Node) (int, error) {
	n, err := strconv.Atoi(val.Value)
	if val.Kind != yaml.ScalarNode || err != nil || n < 0 || n > MaxVotes {
		return 0, fieldErr(file, val, key.Value, fmt.Sprintf("must be a whole number from 0 to %d", MaxVotes))
	}
	return n, nil
}

// list reads a sequence of text (or one text) through check.
func list(file string, key, val *yaml.Node, limit int, check func(string) (string, error)) ([]string, error) {
	items := []*yaml.Node{val}
	switch {
	case val.Kind == yaml.SequenceNode:
		items = val.Content
	case val.Kind == yaml.ScalarNode && val.Tag == "!!null":
		return nil, nil
	}
	if len(items) > limit {
		return nil, &Error{File: file, Line: val.Line, Field: key.Value, Msg: fmt.Sprintf("lists %d items; at most %d", len(items), limit), Err: ErrTooLarge}
	}
	var out []string
	for i, it := range items {
		field := fmt.Sprintf("%s[%d]", key.Value, i)
		if it.Kind != yaml.ScalarNode {
			return nil, fieldErr(file, it, field, "must be text")
		}
		s, err := check(strings.TrimSpace(it.Value))
		if err != nil {
			return nil, fieldErr(file, it, field, err.Error())
		}
		out = append(out, s)
	}
	return out, nil
}
