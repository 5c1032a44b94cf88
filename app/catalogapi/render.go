package catalogapi

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/callboard/callboard/app/store"
	"github.com/cespare/xxhash/v2"
)

// relation is a relation in Backstage's entity shape.
type relation struct {
	Type      string `json:"type"`
	TargetRef string `json:"targetRef"`
}

// stored is the part of a store record an answer shows.
type stored struct {
	Entity map[string]any `json:"entity"`
}

// entityOf turns a store record and the entity's relations (sorted by
// type and target, as the index keeps them) into the entity as
// Backstage's catalog answers it: metadata.uid (stable, made from the
// ref), metadata.etag (a hash of what the entity says, so it changes
// with it), relations.
func entityOf(uid, ref string, record []byte, rels []store.Relation) (map[string]any, error) {
	var s stored
	if err := json.Unmarshal(record, &s); err != nil {
		return nil, fmt.Errorf("decode %s: %w", ref, err)
	}
	e := s.Entity
	if e == nil {
		return nil, fmt.Errorf("decode %s: no entity", ref)
	}
	md, _ := e["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		e["metadata"] = md
	}
	out := make([]relation, len(rels))
	for i, r := range rels {
		out[i] = relation{Type: r.Type, TargetRef: r.Target}
	}
	md["uid"] = uid
	md["etag"] = etag(record, rels)
	e["relations"] = out
	return e, nil
}

// etag hashes the stored record and the entity's relations. It only
// has to change with them, so a fast 64-bit hash does: records of APIs
// run to tens of kilobytes, and SHA-1 of them was a third of by-refs.
func etag(record []byte, rels []store.Relation) string {
	tag := etagOf(record, rels)
	return string(tag[:])
}

// etagOf is etag in hexadecimal digits, without allocating.
func etagOf(record []byte, rels []store.Relation) (tag [16]byte) {
	h := xxhash.New()
	h.Write(record)
	for _, r := range rels {
		h.Write([]byte{0})
		h.WriteString(r.Type)
		h.Write([]byte{0})
		h.WriteString(r.Target)
	}
	var sum [8]byte
	hex.Encode(tag[:], h.Sum(sum[:0]))
	return tag
}

// appendEntityJSON appends entityOf written as JSON to dst, for an
// answer without a projection: the stored bytes are copied with uid,
// etag and relations spliced in, or, for a record of another shape, only
// the entity's top level and metadata decoded.
func appendEntityJSON(dst []byte, uid, ref string, record []byte, rels []store.Relation) ([]byte, error) {
	tag := etagOf(record, rels)
	if b, ok := spliceEntity(dst, record, uid, tag[:], rels); ok {
		return b, nil
	}
	var s struct {
		Entity map[string]json.RawMessage `json:"entity"`
	}
	if err := json.Unmarshal(record, &s); err != nil || s.Entity == nil {
		return nil, fmt.Errorf("decode %s: %v", ref, err)
	}
	var md map[string]json.RawMessage
	if raw, ok := s.Entity["metadata"]; ok {
		if err := json.Unmarshal(raw, &md); err != nil {
			return nil, fmt.Errorf("decode %s: %w", ref, err)
		}
	}
	if md == nil {
		md = map[string]json.RawMessage{}
	}
	md["uid"], _ = json.Marshal(uid)
	md["etag"], _ = json.Marshal(string(tag[:]))
	var err error
	if s.Entity["metadata"], err = json.Marshal(md); err != nil {
		return nil, err
	}
	s.Entity["relations"] = appendRelations(nil, rels)
	b, err := json.Marshal(s.Entity)
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

// appendRelations appends rels as Backstage's relations, as
// json.Marshal of []relation writes them.
func appendRelations(dst []byte, rels []store.Relation) []byte {
	dst = append(dst, '[')
	for i, r := range rels {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"type":`...)
		dst = appendString(dst, r.Type)
		dst = append(dst, `,"targetRef":`...)
		dst = appendString(dst, r.Target)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendString appends s as json.Marshal writes it: refs, uids and
// etags are plain ASCII, copied as they are; anything else is left to
// encoding/json.
func appendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !plain[s[i]] {
			b, _ := json.Marshal(s)
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// plain are the bytes encoding/json writes as they are.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(`"\\<>&`, rune(c))
	}
	return t
}()

// projection keeps only the fields named, as Backstage's `fields`
// parameter does: each dotted field walks the entity, a part that is not
// a key joined with the next one (so annotation keys with dots work),
// and what is found is copied under the path walked.
type projection []string

// parseFields reads `fields` parameters (comma-separated, repeatable)
// and extra fields, refusing array paths as Backstage does; nil keeps
// every field.
func parseFields(params []string, extra []string) (projection, error) {
	var out projection
	seen := map[string]bool{}
	for _, p := range append(append([]string{}, extra...), params...) {
		for _, f := range strings.Split(p, ",") {
			f = strings.TrimSpace(f)
			if f == "" || seen[f] {
				continue
			}
			if strings.Contains(f, "[") {
				return nil, inputError("Invalid field \"%s\", array type fields are not supported", f)
			}
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, nil
}

func (p projection) apply(e map[string]any) map[string]any {
	if p == nil {
		return e
	}
	out := map[string]any{}
	for _, f := range p {
		path, v, ok := walk(e, f)
		if ok {
			set(out, path, v)
		}
	}
	return out
}

func walk(e map[string]any, field string) ([]string, any, bool) {
	parts := strings.Split(field, ".")
	var path []string
	var cur any = e
	for i := 0; i < len(parts); i++ {
		if next, ok := child(cur, parts[i]); ok {
			path = append(path, parts[i])
			cur = next
			continue
		}
		if i+1 < len(parts) {
			parts[i+1] = parts[i] + "." + parts[i+1]
			continue
		}
		return nil, nil, false
	}
	return path, cur, true
}

func child(v any, key string) (any, bool) {
	switch v := v.(type) {
	case map[string]any:
		x, ok := v[key]
		return x, ok
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(v) {
			return nil, false
		}
		return v[i], true
	case []relation:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(v) {
			return nil, false
		}
		return v[i], true
	}
	return nil, false
}

func set(out map[string]any, path []string, v any) {
	if len(path) == 0 {
		return
	}
	for _, k := range path[:len(path)-1] {
		next, ok := out[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			out[k] = next
		}
		out = next
	}
	out[path[len(path)-1]] = v
}
