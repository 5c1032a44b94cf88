package questions

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// FormatQuestion writes q as a question.md file: front matter a forge
// shows as a table, then the body.
func FormatQuestion(q Question) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	field(&b, "title", q.Title)
	field(&b, "author", q.Author)
	b.WriteString("date: " + q.Date.UTC().Format(time.RFC3339) + "\n")
	if len(q.Tags) > 0 {
		seq(&b, "tags", q.Tags)
	}
	if len(q.EntityRefs) > 0 {
		seq(&b, "entityRefs", q.EntityRefs)
	}
	b.WriteString("votes: " + strconv.Itoa(q.Votes) + "\n---\n\n")
	b.WriteString(strings.TrimSpace(q.Body) + "\n")
	return b.Bytes()
}

// FormatAnswer writes a as an answer file.
func FormatAnswer(a Answer) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	field(&b, "author", a.Author)
	b.WriteString("date: " + a.Date.UTC().Format(time.RFC3339) + "\n")
	b.WriteString("votes: " + strconv.Itoa(a.Votes) + "\n---\n\n")
	b.WriteString(strings.TrimSpace(a.Body) + "\n")
	return b.Bytes()
}

// field writes key: value, quoted as YAML needs.
func field(b *bytes.Buffer, key, value string) {
	b.WriteString(key + ": " + scalar(value) + "\n")
}

func seq(b *bytes.Buffer, key string, values []string) {
	b.WriteString(key + ":\n")
	for _, v := range values {
		b.WriteString("  - " + scalar(v) + "\n")
	}
}

// scalar is value as a one-line YAML scalar.
func scalar(value string) string {
	out, err := yaml.Marshal(value)
	if err != nil {
		return strconv.Quote(value)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// Vote adds one to the votes of a question or answer file, changing that
// line only, so a vote is a one-line diff and votes on other fields merge.
func Vote(file string, data []byte) ([]byte, error) {
	fm, _, err := split(file, data)
	if err != nil {
		return nil, err
	}
	n := 0
	for key, val := range fm.fields() {
		if key.Value == "votes" {
			if n, err = votes(file, key, val); err != nil {
				return nil, err
			}
		}
	}
	if n >= MaxVotes {
		return nil, &Error{File: file, Field: "votes", Msg: "has as many votes as it may hold", Err: ErrTooLarge}
	}
	return setField(file, data, fm, "votes", strconv.Itoa(n+1))
}

// Accept names answer as the accepted one of a question.md file.
func Accept(file string, data []byte, answer string) ([]byte, error) {
	if !ValidAnswerName(answer) {
		return nil, &Error{File: file, Field: "accepted", Msg: fmt.Sprintf("%q is not an answer file name", answer)}
	}
	fm, _, err := split(file, data)
	if err != nil {
		return nil, err
	}
	return setField(file, data, fm, "accepted", answer)
}

// setField replaces the line of a top-level key of the front matter, or
// adds one before its closing fence. The key's value must fit on its line
// (votes and accepted do); one written over several lines is refused.
func setField(file string, data []byte, fm frontMatter, key, value string) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	lines := strings.SplitAfter(string(data), "\n")
	line := -1
	for k, v := range fm.fields() {
		if k.Value != key {
			continue
		}
		if v.Line != k.Line || v.Kind != yaml.ScalarNode {
			return nil, fieldErr(file, k, key, "must be on one line to be changed")
		}
		line = k.Line - 1
	}
	newLine := key + ": " + value + "\n"
	if line >= 0 {
		if strings.HasSuffix(lines[line], "\r\n") {
			newLine = strings.TrimSuffix(newLine, "\n") + "\r\n"
		}
		lines[line] = newLine
		return []byte(strings.Join(lines, "")), nil
	}
	_, end, _, _ := bounds(data)
	return append([]byte(string(data[:end])+newLine), data[end:]...), nil
}

// Slug makes a folder name of a title: lower-case words joined by hyphens,
// at most 60 characters; taken says which names are in use, and a number
// is added until one is free.
func Slug(title string, taken func(string) bool) string {
	return unique(words(title, 60, "question"), "", taken)
}

// AnswerName is the file name of an answer by author on date:
// <date>-<author>.md, with a number added until free, so answers written
// at once by different people are different files and merge.
func AnswerName(date time.Time, author string, taken func(string) bool) string {
	if i := strings.LastIndexAny(author, ":/"); i >= 0 {
		author = author[i+1:]
	}
	return unique(date.UTC().Format("2006-01-02")+"-"+words(author, 40, "anonymous"), ".md", taken)
}

func words(s string, limit int, empty string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		ok := r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		switch {
		case ok:
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= limit {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return empty
	}
	return out
}

func unique(base, ext string, taken func(string) bool) string {
	name := base + ext
	for i := 2; taken != nil && taken(name); i++ {
		name = base + "-" + strconv.Itoa(i) + ext
	}
	return name
}
