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

// Backstage's schema checks label and annotation values only under keys
// matching "^.+$": not an empty key, not one with a line break (the field
// format check refuses those keys later, with its own message).
func TestStringValuesFollowBackstagesKeyPattern(t *testing.T) {
	t.Parallel()
	entity := func(annotations map[string]any) map[string]any {
		return map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": map[string]any{"name": "a", "annotations": annotations}}
	}
	tests := []struct {
		annotations map[string]any
		violations  int
	}{
		{map[string]any{"a": "x"}, 0},
		{map[string]any{"a": 5.0}, 1},
		{map[string]any{"a\nb": 5.0}, 0},
		{map[string]any{"": 5.0}, 0},
	}
	for _, tt := range tests {
		if got := checkEntitySchema(entity(tt.annotations)); len(got) != tt.violations {
			t.Errorf("annotations %q: %v, want %d violations", tt.annotations, got, tt.violations)
		}
	}
}
