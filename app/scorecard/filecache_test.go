package scorecard

import (
	"regexp"
	"testing"
)

// A pattern's plan never changes what it matches, only how much of a
// file it runs over.
func TestPatternPlans(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pattern, want string
		oneLine       bool
		matches       []string
		misses        []string
	}{
		{`(?m)^#+ Runbook 0`, " Runbook 0", true, []string{"## Runbook 0\n", "x\n# Runbook 0"}, []string{"x # Runbook 0", "#\n Runbook 0"}},
		{`(?m)^FROM .*:latest`, ":latest", true, []string{"FROM x:latest", "a:latest\nFROM b:latest\n"}, []string{"FROM x\n:latest", "# FROM x:latest"}},
		{`(?i)runbook`, "", true, []string{"RUNBOOK"}, nil},
		{`a|b`, "", true, []string{"b"}, nil},
		{`(foo)+bar?`, "foo", true, []string{"foofooba"}, []string{"fo\nobar"}},
		{`x{0,2}yz`, "yz", true, []string{"yz"}, nil},
		{`(?m)^  links: * *`, "  links:", true, []string{"a\n  links:"}, []string{" links:"}},
		{`^name: x`, "name: x", false, []string{"name: x\n"}, []string{"a\nname: x"}},
		{`a\sb`, "a", false, []string{"a\nb"}, nil},
		{`(?s)a.*zed`, "zed", false, []string{"a\n\nzed"}, []string{"zed a"}},
		{`ab[^c]*zed`, "zed", false, []string{"ab\nzed"}, []string{"abczed"}},
		{`(?m)end$`, "end", true, []string{"the end\nx", "end"}, []string{"ends"}},
	} {
		t.Run(tt.pattern, func(t *testing.T) {
			t.Parallel()
			re := regexp.MustCompile(tt.pattern)
			p := planFor(re)
			if string(p.literal) != tt.want || (p.literal != nil && p.oneLine != tt.oneLine) {
				t.Errorf("plan of %q = %q one line %v, want %q %v", tt.pattern, p.literal, p.oneLine, tt.want, tt.oneLine)
			}
			fc := &fileCache{plans: map[*regexp.Regexp]plan{re: p}}
			for _, m := range append(tt.matches, tt.misses...) {
				want := re.MatchString(m)
				if got := fc.match(&sharedFile{read: fileRead{data: []byte(m)}}, re); got != want {
					t.Errorf("%q on %q: %v through its plan, %v whole", tt.pattern, m, got, want)
				}
			}
			if fc.match(&sharedFile{read: fileRead{data: []byte("nothing")}}, re) {
				t.Errorf("%q matches nothing", tt.pattern)
			}
		})
	}
}

// FuzzPatternPlan compares a pattern run through its plan with the pattern
// run over the whole file.
func FuzzPatternPlan(f *testing.F) {
	f.Add(`(?m)^#+ Runbook`, "x\n## Runbook\n")
	f.Add(`(?m)^FROM .*:latest$`, "FROM a\nFROM b:latest")
	f.Add(`a\sb`, "a\nb")
	f.Fuzz(func(t *testing.T, pattern, data string) {
		re, err := regexp.Compile(pattern)
		if err != nil {
			return
		}
		if got, want := planFor(re).match(re, []byte(data)), re.MatchString(data); got != want {
			t.Errorf("%q on %q: %v through its plan, %v whole", pattern, data, got, want)
		}
	})
}
