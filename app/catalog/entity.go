package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Entity is one catalog entity as read from a descriptor file. Raw keeps
// the whole document so nothing the file said is lost; the other fields are
// read from it. In JSON an entity is its document, as in Backstage.
type Entity struct {
	APIVersion string
	Kind       string
	Metadata   Metadata
	Spec       map[string]any
	Raw        map[string]any
}

// MarshalJSON writes the entity's document.
func (e Entity) MarshalJSON() ([]byte, error) { return json.Marshal(e.Raw) }

// UnmarshalJSON reads an entity from its document.
func (e *Entity) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	md, ok := m["metadata"].(map[string]any)
	if !ok {
		return errors.New("entity: no metadata")
	}
	for _, v := range []any{m["apiVersion"], m["kind"], md["name"], md["namespace"]} {
		if _, ok := v.(string); !ok {
			return errors.New("entity: apiVersion, kind, metadata.name and metadata.namespace must be strings")
		}
	}
	*e = typed(m)
	return nil
}

// Metadata is the part of an entity common to every kind.
type Metadata struct {
	Name        string
	Namespace   string
	Title       string
	Description string
	Labels      map[string]string
	Annotations map[string]string
	Tags        []string
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
