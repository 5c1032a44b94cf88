package updates

import (
	"cmp"
	"strconv"
	"strings"
)

// semver is a parsed version: major.minor.patch and an optional
// pre-release ("rc.1"); build metadata is dropped, as semver orders it.
type semver struct {
	num [3]int
	pre string
}

// parseVersion reads "1.2.3", "v1.2.3", "1.2.3-rc.1" or "1.2.3+meta";
// ok is false for anything else ("dev", "1.2", a commit).
func parseVersion(s string) (semver, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	s, _, _ = strings.Cut(s, "+")
	s, pre, hasPre := strings.Cut(s, "-")
	if hasPre && pre == "" {
		return semver{}, false
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return semver{}, false
	}
	var v semver
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p != strconv.Itoa(n) {
			return semver{}, false
		}
		v.num[i] = n
	}
	v.pre = pre
	return v, true
}

// compare orders a and b as semver does, pre-releases before their
// release; pre-releases compare by their dot-separated fields.
func (a semver) compare(b semver) int {
	for i := range a.num {
		if c := cmp.Compare(a.num[i], b.num[i]); c != 0 {
			return c
		}
	}
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "":
		return 1
	case b.pre == "":
		return -1
	}
	af, bf := strings.Split(a.pre, "."), strings.Split(b.pre, ".")
	for i := 0; i < len(af) && i < len(bf); i++ {
		an, aerr := strconv.Atoi(af[i])
		bn, berr := strconv.Atoi(bf[i])
		var c int
		switch {
		case aerr == nil && berr == nil:
			c = cmp.Compare(an, bn)
		case aerr == nil:
			c = -1
		case berr == nil:
			c = 1
		default:
			c = strings.Compare(af[i], bf[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(af), len(bf))
}

// Newer says whether latest is a newer version than current. A build that
// is no release — "dev", a dirty tree, anything not semver — is never
// told of one: it was built from source and knows better.
func Newer(current, latest string) bool {
	if strings.Contains(current, "dirty") {
		return false
	}
	c, ok := parseVersion(current)
	if !ok {
		return false
	}
	l, ok := parseVersion(latest)
	return ok && l.compare(c) > 0
}

// IsRelease reports whether current is a release build, one an update
// notice may concern.
func IsRelease(current string) bool {
	_, ok := parseVersion(current)
	return ok && !strings.Contains(current, "dirty")
}
