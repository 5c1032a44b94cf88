package scorecard

import (
	"regexp"
	"testing"
)

func TestRequiredLiteral(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pattern, want string
		matches       []string
	}{
		{`(?m)^#+ Runbook 0`, " Runbook 0", []string{"## Runbook 0\n"}},
		{`(?m)^FROM .*:latest`, ":latest", []string{"FROM x:latest"}},
		{`(?i)runbook`, "", []string{"RUNBOOK"}},
		{`a|b`, "", []string{"b"}},
		{`(foo)+bar?`, "foo", []string{"foofooba"}},
		{`x{0,2}yz`, "yz", []string{"yz"}},
		{`(?m)^  links: * *`, "  links:", []string{"  links:"}},
	} {
		t.Run(tt.pattern, func(t *testing.T) {
			t.Parallel()
			re := regexp.MustCompile(tt.pattern)
			if got := string(requiredLiteral(re)); got != tt.want {
				t.Errorf("requiredLiteral(%q) = %q, want %q", tt.pattern, got, tt.want)
			}
			fc := &fileCache{literals: map[*regexp.Regexp][]byte{re: requiredLiteral(re)}}
			for _, m := range tt.matches {
				if !fc.match(&sharedFile{read: fileRead{data: []byte(m)}}, re) {
					t.Errorf("%q does not match %q through the cache", m, tt.pattern)
				}
			}
			if fc.match(&sharedFile{read: fileRead{data: []byte("nothing")}}, re) {
				t.Errorf("%q matches nothing", tt.pattern)
			}
		})
	}
}
