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

// substitute returns v with every placeholder replaced, and whether any
// was. file is the repository path of the file the entity came from.
// Containers are copied only when something inside them changed.
func substitute(files Files, file string, v any, path []string) (any, bool, *placeholderError) {
	switch x := v.(type) {
	case []any:
		var out []any
		for i, item := range x {
			r, changed, err := substitute(files, file, item, append(path, strconv.Itoa(i)))
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
					return resolvePlaceholder(files, file, k[1:], arg, path)
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
			r, changed, err := substitute(files, file, x[k], append(path, k))
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

func resolvePlaceholder(files Files, file, kind string, arg any, path []string) (any, bool, *placeholderError) {
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
	name, err := repoPath(file, ref, false)
	if err != nil {
		return fail("cannot be read: %v", err)
	}
	data, err := readLimited(files, name)
	if isNotExist(err) {
		return fail("cannot be read: %s", missing(name, err))
	}
	if err != nil {
		return fail("cannot read %s: %v", name, err)
	}
	switch kind {
	case "text":
		return strings.ToValidUTF8(string(data), "\uFFFD"), true, nil
	case "json":
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return fail("cannot parse %s as JSON: %v", name, err)
		}
		return v, true, nil
	}
	docs, errs := readDocuments(data)
	switch {
	case len(errs) > 0:
		return fail("cannot parse %s as YAML: line %d: %s", name, errs[0].line, errs[0].msg)
	case len(docs) != 1:
		return fail("expects exactly one YAML document in %s, found %d", name, len(docs))
	}
	return docs[0].value, true, nil
}
