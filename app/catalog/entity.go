package catalog

import (
	"fmt"
	"strings"
)

// Entity is one catalog entity as read from a descriptor file. Raw keeps
// the whole document so nothing the file said is lost.
type Entity struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   Metadata       `json:"metadata"`
	Spec       map[string]any `json:"spec,omitempty"`
	Raw        map[string]any `json:"raw"`
}

// Metadata is the part of an entity common to every kind.
type Metadata struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Title       string            `json:"title,omitempty"`
	Description string            `json:"description,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Tags        []string          `json:"tags,omitempty"`
}

// Ref is the entity's own reference.
func (e *Entity) Ref() Ref {
	return Ref{Kind: e.Kind, Namespace: e.Metadata.Namespace, Name: e.Metadata.Name}
}

// SpecString returns spec[key] when it is a string.
func (e *Entity) SpecString(key string) string {
	s, _ := e.Spec[key].(string)
	return s
}

// Lookup follows a dotted path ("spec.type", "metadata.annotations.x") through
// the raw document and returns the value as a string when it is a scalar.
func (e *Entity) Lookup(path string) (string, bool) {
	var cur any = e.Raw
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		if cur, ok = m[part]; !ok {
			return "", false
		}
	}
	switch v := cur.(type) {
	case string:
		return v, true
	case bool:
		return fmt.Sprint(v), true
	case float64:
		return jsNumber(v), true
	}
	return "", false
}
