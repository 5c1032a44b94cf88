package questions

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const sampleQuestion = `---
title: How do I rotate the payments API key?
author: user:Default/Jane
date: 2026-05-01
tags: [Payments, security]
entityRefs:
  - component:payments
accepted: 2026-05-02-bob.md
votes: 3
---

We rotate it **every quarter**.
`

func TestParseQuestion(t *testing.T) {
	t.Parallel()
	q, err := ParseQuestion("questions/rotate-key/question.md", []byte(sampleQuestion))
	if err != nil {
		t.Fatal(err)
	}
	want := Question{Slug: "rotate-key", File: "questions/rotate-key/question.md", Title: "How do I rotate the payments API key?",
		Author: "user:default/jane", Date: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Tags: []string{"payments", "security"},
		EntityRefs: []string{"component:default/payments"}, Accepted: "2026-05-02-bob.md", Votes: 3, Body: "\nWe rotate it **every quarter**.\n"}
	if d := cmp.Diff(want, q); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, data, want string
		large            bool
	}{
		{"no front matter", "# hello\n", "q.md:1: has no front matter", false},
		{"unclosed", "---\ntitle: x\n", "q.md:1: has no front matter", false},
		{"not yaml", "---\ntitle: x\n  bad: [\n---\n", "q.md:3: front matter is not YAML", false},
		{"not a mapping", "---\n- a\n---\n", "q.md:2: front matter must be a mapping", false},
		{"unknown field", "---\ntitle: x\nauthor: a\ndate: 2026-01-01\nvote: 1\n---\n", "q.md:5: vote: is not a question field", false},
		{"twice", "---\ntitle: x\ntitle: y\n---\n", "q.md:3: title: is given twice", false},
		{"missing title", "---\nauthor: a\ndate: 2026-01-01\n---\n", "q.md:1: title: is required", false},
		{"bad date", "---\ntitle: x\nauthor: a\ndate: yesterday\n---\n", `q.md:4: date: "yesterday" is not a date`, false},
		{"bad votes", "---\ntitle: x\nauthor: a\ndate: 2026-01-01\nvotes: -1\n---\n", "q.md:5: votes: must be a whole number", false},
		{"bad ref", "---\ntitle: x\nauthor: a\ndate: 2026-01-01\nentityRefs: [payments]\n---\n", "q.md:5: entityRefs[0]: entity reference \"payments\" has no kind", false},
		{"bad accepted", "---\ntitle: x\nauthor: a\ndate: 2026-01-01\naccepted: ../x\n---\n", "q.md:5: accepted: must name an answer file", false},
		{"title list", "---\ntitle: [x]\n---\n", "q.md:2: title: must be text", false},
		{"long title", "---\ntitle: " + strings.Repeat("x", MaxTitle+1) + "\n---\n", "q.md:2: title: is longer than 300", true},
		{"too many tags", "---\ntitle: x\ntags: [" + strings.Repeat("a,", MaxTags) + "a]\n---\n", "q.md:3: tags: lists 21 items", true},
		{"huge file", "---\ntitle: x\n---\n" + strings.Repeat("x", MaxFileSize), "q.md: is 262161 bytes", true},
		{"not utf-8", "---\ntitle: \xff\n---\n", "q.md: is not UTF-8", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseQuestion("q.md", []byte(tc.data))
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("got %v, want an *Error starting %q", err, tc.want)
			}
			if errors.Is(err, ErrTooLarge) != tc.large {
				t.Errorf("errors.Is(ErrTooLarge) = %v, want %v", !tc.large, tc.large)
			}
		})
	}
}

func TestParseAnswer(t *testing.T) {
	t.Parallel()
	a, err := ParseAnswer("questions/x/answers/2026-05-02-bob.md", []byte("---\r\nauthor: Bob Smith\r\ndate: 2026-05-02T10:00:00+02:00\r\nvotes: 2\r\n---\r\nUse the vault.\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Answer{Name: "2026-05-02-bob.md", File: "questions/x/answers/2026-05-02-bob.md", Author: "Bob Smith",
		Date: time.Date(2026, 5, 2, 8, 0, 0, 0, time.UTC), Votes: 2, Body: "Use the vault.\r\n"}
	if d := cmp.Diff(want, a); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if _, err := ParseAnswer("a.md", []byte("---\nauthor: x\ndate: 2026-01-01\ntitle: no\n---\n")); err == nil || !strings.Contains(err.Error(), "a.md:4: title: is not an answer field") {
		t.Errorf("got %v", err)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path         string
		kind         int
		slug, answer string
	}{
		{"questions/rotate-key/question.md", KindQuestion, "rotate-key", ""},
		{"questions/rotate-key/answers/2026-05-02-bob.md", KindAnswer, "rotate-key", "2026-05-02-bob.md"},
		{"questions/rotate-key/answers/notes.txt", KindNone, "", ""},
		{"questions/Rotate/question.md", KindNone, "", ""},
		{"questions/README.md", KindNone, "", ""},
		{"docs/questions/x/question.md", KindNone, "", ""},
		{"questions/x/answers/.hidden.md", KindNone, "", ""},
	} {
		k, s, a := Classify(tc.path)
		if k != tc.kind || s != tc.slug || a != tc.answer {
			t.Errorf("Classify(%q) = %d %q %q, want %d %q %q", tc.path, k, s, a, tc.kind, tc.slug, tc.answer)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	t.Parallel()
	q := Question{Slug: "x", File: "questions/x/question.md", Title: "Why: does [this] # break?", Author: "user:default/jane",
		Date: time.Date(2026, 5, 1, 9, 30, 0, 0, time.UTC), Tags: []string{"yes", "no"}, EntityRefs: []string{"component:default/a"}, Body: "Body\n"}
	got, err := ParseQuestion(q.File, FormatQuestion(q))
	if err != nil {
		t.Fatal(err)
	}
	got.Body = strings.TrimSpace(got.Body) + "\n"
	if d := cmp.Diff(q, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	a := Answer{Name: "2026-05-01-jane.md", File: "questions/x/answers/2026-05-01-jane.md", Author: "Jane", Date: q.Date, Body: "Do it.\n"}
	gotA, err := ParseAnswer(a.File, FormatAnswer(a))
	if err != nil {
		t.Fatal(err)
	}
	gotA.Body = strings.TrimSpace(gotA.Body) + "\n"
	if d := cmp.Diff(a, gotA); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestVoteAndAccept(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"existing", "---\nauthor: a\nvotes: 3\ndate: 2026-01-01\n---\nx\n", "---\nauthor: a\nvotes: 4\ndate: 2026-01-01\n---\nx\n"},
		{"absent", "---\nauthor: a\ndate: 2026-01-01\n---\nx\n", "---\nauthor: a\ndate: 2026-01-01\nvotes: 1\n---\nx\n"},
		{"crlf", "---\r\nvotes: 0\r\n---\r\n", "---\r\nvotes: 1\r\n---\r\n"},
	} {
		got, err := Vote("a.md", []byte(tc.in))
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: Vote = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := Vote("a.md", []byte("---\nvotes:\n  - 1\n---\n")); err == nil {
		t.Error("Vote of a list of votes: no error")
	}
	got, err := Accept("q.md", []byte(sampleQuestion), "2026-05-03-carol.md")
	if err != nil {
		t.Fatal(err)
	}
	q, err := ParseQuestion("q.md", got)
	if err != nil || q.Accepted != "2026-05-03-carol.md" || q.Votes != 3 {
		t.Errorf("after Accept: %+v, %v", q, err)
	}
	if _, err := Accept("q.md", []byte(sampleQuestion), "../../etc.md"); err == nil {
		t.Error("Accept of a path: no error")
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	taken := map[string]bool{"how-do-i-rotate-keys": true, "2026-05-02-jane.md": true}
	if got := Slug("How do I rotate keys?", func(s string) bool { return taken[s] }); got != "how-do-i-rotate-keys-2" {
		t.Errorf("Slug = %q", got)
	}
	if got := Slug("???", nil); got != "question" {
		t.Errorf("Slug of punctuation = %q", got)
	}
	d := time.Date(2026, 5, 2, 23, 0, 0, 0, time.UTC)
	if got := AnswerName(d, "user:default/jane", func(s string) bool { return taken[s] }); got != "2026-05-02-jane-2.md" {
		t.Errorf("AnswerName = %q", got)
	}
	if !ValidAnswerName(AnswerName(d, "Zoë O'Brien", nil)) {
		t.Error("AnswerName made an invalid name")
	}
}
