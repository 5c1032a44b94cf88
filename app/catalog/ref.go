package catalog

import (
	"fmt"
	"strings"
)

// DefaultNamespace is the namespace an entity or reference without one gets.
const DefaultNamespace = "default"

// Ref names an entity: kind:namespace/name. Refs compare lower-cased, as in Backstage.
type Ref struct {
	Kind      string
	Namespace string
	Name      string
}

// String formats the canonical, lower-cased form kind:namespace/name.
func (r Ref) String() string {
	return strings.ToLower(r.Kind) + ":" + strings.ToLower(r.Namespace) + "/" + strings.ToLower(r.Name)
}

// ParseRef parses [kind:][namespace/]name, filling in the defaults the
// referring field implies. An empty defaultKind makes the kind mandatory.
func ParseRef(s, defaultKind, defaultNamespace string) (Ref, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Ref{}, fmt.Errorf("entity reference is empty")
	}
	r := Ref{Kind: defaultKind, Namespace: defaultNamespace}
	rest := s
	if i := strings.Index(rest, ":"); i >= 0 {
		r.Kind, rest = rest[:i], rest[i+1:]
	}
	if i := strings.Index(rest, "/"); i >= 0 {
		r.Namespace, rest = rest[:i], rest[i+1:]
	}
	r.Name = rest
	switch {
	case r.Kind == "":
		return Ref{}, fmt.Errorf("entity reference %q has no kind", s)
	case r.Namespace == "":
		return Ref{}, fmt.Errorf("entity reference %q has an empty namespace", s)
	case r.Name == "" || strings.ContainsAny(r.Name, ":/"):
		return Ref{}, fmt.Errorf("entity reference %q is not of the form [kind:][namespace/]name", s)
	}
	if r.Namespace == "" {
		r.Namespace = DefaultNamespace
	}
	return r, nil
}
