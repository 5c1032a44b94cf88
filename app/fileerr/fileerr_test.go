package fileerr

import (
	"errors"
	"testing"
)

func TestError(t *testing.T) {
	t.Parallel()
	tooLarge := errors.New("too large")
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{File: "docs/adr/0001.md", Msg: "is not UTF-8 text"}, "docs/adr/0001.md: is not UTF-8 text"},
		{&Error{File: "questions/q.md", Line: 3, Msg: "front matter must be a mapping of fields"}, "questions/q.md:3: front matter must be a mapping of fields"},
		{&Error{File: "questions/q.md", Line: 2, Field: "title", Msg: "is required"}, "questions/q.md:2: title: is required"},
		{&Error{File: "q.md", Field: "votes", Msg: "is full", Err: tooLarge}, "q.md: votes: is full"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v: %q, want %q", tt.err, got, tt.want)
		}
		if errors.Is(tt.err, tooLarge) != (tt.err.Err != nil) {
			t.Errorf("%q: errors.Is(too large) = %v", tt.want, errors.Is(tt.err, tooLarge))
		}
	}
}
