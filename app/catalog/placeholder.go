package catalog

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Placeholders: a mapping with exactly one key, "$text", "$json" or "$yaml",
// is replaced by the contents of the file its value names, read as text,
// JSON or a single YAML document — Backstage's PlaceholderProcessor rules.
// Callboard reads only files of the same repository at the same commit, so
// it works offline; a URL is refused with a clear error.

// placeholderError is a failed substitution at a path of the document.
type placeholderError struct {
	path []string
	msg  string
}

// hasPlaceholder says whether any mapping in v has a "$" key, without
// allocating: most entities have none and skip substitution entirely.
func hasPlaceholder(v any) bool {
	switch x := v.(type) {
	case []any:
		for _, item := range x {
			if hasPlaceholder(item) {
				return true
			}
		}
	case map[string]any:
		for k, item := range x {
			if strings.HasPrefix(k, "$") || hasPlaceholder(item) {
				return true
			}
		}
	}
	return false
}

// substitution replaces the placeholders of one entity. left is how many
// bytes the entity may still grow by before it passes MaxEntitySize.
type substitution struct {
	files Files
	file  string // the repository path of the file the entity came from
	left  int
}

// substitute replaces the placeholders of entity m, which is size bytes
// as JSON, refusing any that would take it past MaxEntitySize.
func substitute(files Files, file string, m map[string]any, size int) (map[string]any, *placeholderError) {
	s := substitution{files: files, file: file, left: MaxEntitySize - size}
	v, _, err := s.value(m, nil)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// value returns v with every placeholder replaced, and whether any was.
// Containers are copied only when something inside them changed.
func (s *substitution) value(v any, path []string) (any, bool, *placeholderError) {
	switch x := v.(type) {
	case []any:
		var out []any
		for i, item := range x {
			r, changed, err := s.value(item, append(path, strconv.Itoa(i)))
			if err != nil {
				return nil, false, err
			}
			if changed && out == nil {
				out = slices.Clone(x)
			}
			if out != nil {
				out[i] = r
			}
		}
		if out == nil {
			return v, false, nil
		}
		return out, true, nil
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if strings.HasPrefix(k, "$") {
					return s.resolve(k[1:], arg, path)
				}
			}
		}
		for k := range x {
			if strings.HasPrefix(k, "$") {
				return v, false, nil // only a lone $ key is a placeholder; its siblings are left alone
			}
		}
		var out map[string]any
		for _, k := range sortedKeys(x) {
			r, changed, err := s.value(x[k], append(path, k))
			if err != nil {
				return nil, false, err
			}
			if changed && out == nil {
				out = maps.Clone(x)
			}
			if out != nil {
				out[k] = r
			}
		}
		if out == nil {
			return v, false, nil
		}
		return out, true, nil
	}
	return v, false, nil
}

// resolve replaces one placeholder. Its file's size is checked against
// what the entity may still grow by before it is read, and the value read
// is charged for what it takes as JSON.
func (s *substitution) resolve(kind string, arg any, path []string) (any, bool, *placeholderError) {
	fail := func(format string, args ...any) (any, bool, *placeholderError) {
		return nil, false, &placeholderError{path: path, msg: "placeholder $" + kind + " " + fmt.Sprintf(format, args...)}
	}
	if kind != "text" && kind != "json" && kind != "yaml" {
		return map[string]any{"$" + kind: arg}, false, nil // unknown resolvers leave the value alone
	}
	ref, ok := arg.(string)
	if !ok {
		return fail("needs a string: a path relative to this file, or from the repository root with a leading /")
	}
	if schemeRE.MatchString(ref) {
		return fail("points at %s: Callboard reads placeholder files from this repository only, so the catalog works offline; use a path relative to this file", ref)
	}
	name, err := repoPath(s.file, ref, false)
	if err != nil {
		return fail("cannot be read: %v", err)
	}
	room := float64(max(s.left, 0)) / (1 << 20)
	if size, err := s.files.Size(name); err == nil && size > int64(s.left) {
		return fail("would make the entity larger than %d MB: %s is %.1f MB, and the entity has room for %.1f MB more", MaxEntitySize>>20, name, float64(size)/(1<<20), room)
	}
	data, err := ReadLimited(s.files, name)
	if isNotExist(err) {
		return fail("cannot be read: %s", missing(name, err))
	}
	if err != nil {
		return fail("cannot read %s: %v", name, err)
	}
	var v any
	switch kind {
	case "text":
		v = strings.ToValidUTF8(string(data), "\uFFFD")
	case "json":
		if err := json.Unmarshal(data, &v); err != nil {
			return fail("cannot parse %s as JSON: %v", name, err)
		}
	default:
		docs, errs := readDocuments(data)
		switch {
		case len(errs) > 0:
			return fail("cannot parse %s as YAML: %v", name, &errs[0])
		case len(docs) != 1:
			return fail("expects exactly one YAML document in %s, found %d", name, len(docs))
		}
		v = docs[0].value
	}
	size := jsonSize(v, max(s.left, 0))
	if size > s.left {
		return fail("would make the entity larger than %d MB: %s, stored as JSON, takes more than the %.1f MB the entity has room for", MaxEntitySize>>20, name, room)
	}
	s.left -= size
	return v, true, nil
}
