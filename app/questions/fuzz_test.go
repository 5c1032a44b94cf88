package questions

import (
	"errors"
	"testing"
)

// FuzzParse checks that no file makes the parsers panic, that every
// refusal is an *Error naming the file, and that a vote on a file that
// parses gives a file that parses with one more vote.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sampleQuestion))
	f.Add([]byte("---\nauthor: a\ndate: 2026-01-01\nvotes: 1\n---\nbody"))
	f.Add([]byte("---\r\ntitle: x\r\n---\r\n"))
	f.Add([]byte("---\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) (int, error){
			func(b []byte) (int, error) { q, err := ParseQuestion("q.md", b); return q.Votes, err },
			func(b []byte) (int, error) { a, err := ParseAnswer("a.md", b); return a.Votes, err },
		} {
			n, err := parse(data)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.File == "" {
					t.Fatalf("error %v is not an *Error with a file", err)
				}
				continue
			}
			voted, err := Vote("a.md", data)
			if err != nil {
				continue // a multi-line votes field cannot be changed
			}
			m, err := parse(voted)
			if err != nil && n < MaxVotes {
				t.Fatalf("voted file does not parse: %v\n%q", err, voted)
			}
			if err == nil && m != n+1 {
				t.Fatalf("votes %d after a vote on %d\n%q", m, n, voted)
			}
		}
	})
}
