package main

import (
	"fmt"
	"regexp"
	"strings"
)

// rule is one line of the policy: the tests of a package, by name, that
// may skip or that must run.
type rule struct {
	line int
	kind string // "skip" or "run"
	pkg  string // a package path's last elements, or "..." for any
	name string // a regexp over whole test names
	test *regexp.Regexp
	why  string
}

// parsePolicy reads policy lines, `skip|run PACKAGE TEST-REGEXP why`.
func parsePolicy(text string) ([]rule, error) {
	var rules []rule
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || f[0] != "skip" && f[0] != "run" {
			return nil, fmt.Errorf("line %d: want `skip|run PACKAGE TEST-REGEXP why`, got %q", i+1, line)
		}
		re, err := regexp.Compile(`^(?:` + f[2] + `)$`)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		rules = append(rules, rule{line: i + 1, kind: f[0], pkg: f[1], name: f[2], test: re, why: strings.Join(f[3:], " ")})
	}
	return rules, nil
}

func (r rule) matches(pkg, test string) bool {
	return (r.pkg == "..." || pkg == r.pkg || strings.HasSuffix(pkg, "/"+r.pkg)) && r.test.MatchString(test)
}

func (r rule) String() string {
	return fmt.Sprintf("policy line %d: %s %s %s", r.line, r.kind, r.pkg, r.name)
}

// check returns how the outcomes break the rules: a test that skipped
// where no skip rule allows it, and, unless partial (the run was a
// selection, as with `go test -run`), a run rule that no test that ran
// matches.
func check(rules []rule, outcomes []outcome, partial bool) []string {
	var broken []string
	ran := make([]bool, len(rules))
	for _, o := range outcomes {
		allowed := false
		for i, r := range rules {
			if r.matches(o.Package, o.Test) {
				ran[i] = ran[i] || r.kind == "run" && o.Action != "skip"
				allowed = allowed || r.kind == "skip"
			}
		}
		if o.Action == "skip" && !allowed {
			broken = append(broken, fmt.Sprintf("%s %s skipped, and no skip line allows it: %s", short(o.Package), o.Test, o.Reason))
		}
	}
	if !partial {
		for i, r := range rules {
			if r.kind == "run" && !ran[i] {
				broken = append(broken, fmt.Sprintf("no test ran that %s names (%s)", r, r.why))
			}
		}
	}
	return broken
}

// short is a package path without the module's host and owner, as the
// policy names packages.
func short(pkg string) string {
	if p, ok := strings.CutPrefix(pkg, module+"/"); ok {
		return p
	}
	return pkg
}
