package catalog

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The format checks are written out by hand for speed; Backstage's regular
// expressions stay here as their specification.
func TestFormatChecksMatchBackstageRegexps(t *testing.T) {
	t.Parallel()
	checks := []struct {
		name  string
		re    *regexp.Regexp
		check func(string) bool
	}{
		{"dns label", regexp.MustCompile(`^[a-z0-9]+(?:-+[a-z0-9]+)*$`), isDNSLabel},
		{"object name", regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`), isObjectName},
		{"kind", regexp.MustCompile(`^[a-zA-Z][a-z0-9A-Z]*$`), isKind},
		{"tag", regexp.MustCompile(`^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$`), isTag},
	}
	const alphabet = "aZ09-_.:+#/ é"
	rng := rand.New(rand.NewPCG(1, 2))
	inputs := []string{"", "a", strings.Repeat("a", 63), strings.Repeat("a", 64)}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(string([]rune(alphabet)[rng.IntN(len([]rune(alphabet)))]))
		}
		inputs = append(inputs, b.String())
	}
	for _, c := range checks {
		for _, in := range inputs {
			want := len(in) >= 1 && len(in) <= 63 && c.re.MatchString(in)
			if got := c.check(in); got != want {
				t.Errorf("%s(%q) = %v, want %v", c.name, in, got, want)
			}
		}
	}
}
