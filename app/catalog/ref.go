package catalog

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// DefaultNamespace is the namespace an entity or reference without one gets.
const DefaultNamespace = "default"

// Ref names an entity: kind:namespace/name. Refs compare lower-cased, as in Backstage.
type Ref struct {
	Kind      string
	Namespace string
	Name      string
}

// String formats the canonical, lower-cased form kind:namespace/name. It
// runs for every relation of every sync, so it allocates once.
func (r Ref) String() string {
	b := make([]byte, 0, len(r.Kind)+len(r.Namespace)+len(r.Name)+2)
	b = appendLower(b, r.Kind)
	b = append(b, ':')
	b = appendLower(b, r.Namespace)
	b = append(b, '/')
	b = appendLower(b, r.Name)
	return string(b)
}

func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(b, strings.ToLower(s)...) // non-ASCII: Unicode rules
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// ParseRef parses [kind:][namespace/]name with Backstage's rules, filling
// in the defaults the referring field implies. An empty defaultKind makes
// the kind mandatory; an empty defaultNamespace means "default". As in
// Backstage, a kind is only read before the first "/", and the name is
// everything after the kind and namespace, so "a:b/c/d" names "c/d".
func ParseRef(s, defaultKind, defaultNamespace string) (Ref, error) {
	if s == "" {
		return Ref{}, fmt.Errorf("entity reference is empty")
	}
	colon := strings.IndexByte(s, ':')
	slash := strings.IndexByte(s, '/')
	if slash >= 0 && slash < colon {
		colon = -1
	}
	r := Ref{Kind: defaultKind, Namespace: defaultNamespace, Name: s[max(colon+1, slash+1):]}
	if r.Namespace == "" {
		r.Namespace = DefaultNamespace
	}
	if colon >= 0 {
		r.Kind = s[:colon]
	}
	if slash >= 0 {
		r.Namespace = s[colon+1 : slash]
	}
	switch {
	case (colon >= 0 && r.Kind == "") || (slash >= 0 && r.Namespace == "") || r.Name == "":
		return Ref{}, fmt.Errorf("entity reference %q is not of the form [<kind>:][<namespace>/]<name>", s)
	case r.Kind == "":
		return Ref{}, fmt.Errorf("entity reference %q has no kind: write it as kind:name, e.g. component:%s", s, r.Name)
	}
	return r, nil
}
