package adr

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no file makes Parse panic, that every refusal is
// an *Error naming the file, and that what it reads stays in its bounds.
func FuzzParse(f *testing.F) {
	f.Add([]byte("---\nstatus: accepted\ndate: 2024-01-01\n---\n# T\n"))
	f.Add([]byte("# 1. T\n\nDate: 2016-01-01\n\n## Status\n\nSuperseded by [2. U](0002-u.md)\n"))
	f.Add([]byte("# T\n\n* Status: superseded by ADR-0002\n* Date: 2020-01-01\n* Deciders: a, b\n"))
	f.Add([]byte("```\n# x\n```\nT\n===\n"))
	f.Add([]byte("---\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("0001-x.md", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "0001-x.md" {
				t.Fatalf("error %v is not an *Error with the file", err)
			}
			return
		}
		if r.Status == "" || r.Number != 1 || r.Title == "" {
			t.Fatalf("record without status, number or title: %+v", r)
		}
		if utf8.RuneCountInString(r.Title) > MaxTitle || len(r.StatusText) > MaxStatus || len(r.Deciders) > MaxNames || len(r.Tags) > MaxNames {
			t.Fatalf("record past its bounds: %+v", r)
		}
		if !utf8.ValidString(r.StatusText) || !utf8.ValidString(r.Title) {
			t.Fatalf("record is not UTF-8: %+v", r)
		}
		if r.Date != "" && len(r.Date) != len("2006-01-02") {
			t.Fatalf("date %q", r.Date)
		}
	})
}
