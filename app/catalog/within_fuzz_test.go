package catalog

import (
	"testing"
	"time"
)

// A fact's "within" duration: a positive duration of at most a century,
// or an error; never both, never neither.
func FuzzParseWithin(f *testing.F) {
	for _, s := range []string{"90d", "2w", "36h", "1h30m", "0d", "-5d", "d", "9999999999999999999d", "ninety days", " 7d ", "1e3h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		refused := false
		d := parseWithin(s, func(string, ...string) { refused = true }, nil)
		if refused != (d == 0) {
			t.Errorf("parseWithin(%q) = %v, refused %v", s, d, refused)
		}
		if d < 0 || d > 100*365*24*time.Hour {
			t.Errorf("parseWithin(%q) = %v, outside (0, 100 years]", s, d)
		}
	})
}
