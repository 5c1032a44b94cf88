package scaffold

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/callboard/callboard/app/nunjucks"
)

// roadiehq:utils:merge merges content into a JSON or YAML file of the
// workspace, as lodash's mergeWith does: objects deeply, arrays replaced
// or, with mergeArrays, concatenated without repeats.
func roadieMerge(_ context.Context, c *Context) error {
	rel, abs, err := roadiePath(c, "path")
	if err != nil {
		return err
	}
	content, err := mergeContent(c.Input)
	if err != nil {
		return err
	}
	concat, err := boolean(c.Input, "mergeArrays")
	if err != nil {
		return err
	}
	if ok, err := c.Workspace.Exists(rel); err != nil {
		return err
	} else if !ok {
		return errNoMergeFile(abs)
	}
	text, err := readText(c, rel, abs)
	if err != nil {
		return err
	}
	var merged string
	switch path.Ext(rel) {
	case ".json":
		if s, ok := content.(string); ok {
			if content, err = nunjucks.DecodeJSON([]byte(s)); err != nil {
				return fmt.Errorf("input content: %w", err)
			}
		}
		old, err := parseYAML([]byte(text))
		if err != nil {
			return err
		}
		merged, _ = jsonStringify(mergeWith(old, content, concat), nil, "  ")
	case ".yml", ".yaml":
		if s, ok := content.(string); ok {
			if content, err = parseYAML([]byte(s)); err != nil {
				return fmt.Errorf("input content: %w", err)
			}
		}
		opts, err := readYAMLOptions(c.Input)
		if err != nil {
			return err
		}
		if keep, _ := boolean(c.Input, "preserveYamlComments"); keep {
			// Roadie does the same when its comment-keeping merge fails.
			c.Logf("Keeping YAML comments is not supported here: merging without them")
		}
		docs, err := mergeYAMLDocuments(c, text, content, concat)
		if err != nil {
			return err
		}
		for i, d := range docs {
			if i > 0 {
				merged += "---\n"
			}
			if d != nunjucks.Undefined {
				merged += stringifyYAML(d, opts)
			}
		}
	default:
		return nil
	}
	if merged == "" {
		return nil
	}
	if err := c.Workspace.WriteFile(rel, []byte(merged), existingMode(c, rel).Perm()); err != nil {
		return err
	}
	c.Output("path", abs)
	return nil
}

// mergeContent reads the content input: a string or an object.
func mergeContent(in any) (any, error) {
	v, ok := get(in, "content")
	if !ok || v == nunjucks.Undefined {
		return nil, errors.New("input content: required")
	}
	switch v.(type) {
	case string, *nunjucks.Object:
		return v, nil
	}
	return nil, fmt.Errorf("input content: want a string or an object, got %s", describe(v))
}

func mergeYAMLDocuments(c *Context, text string, content any, concat bool) ([]any, error) {
	docs, err := parseYAMLDocuments([]byte(text))
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, errNoDocuments
	}
	if len(docs) == 1 {
		return []any{mergeWith(docs[0], content, concat)}, nil
	}
	field, ok := get(c.Input, "useDocumentIncludingField")
	if !ok || field == nil || field == nunjucks.Undefined {
		return nil, errManyDocuments
	}
	key, err := requiredString(field, "key")
	if err != nil {
		return nil, fmt.Errorf("useDocumentIncludingField: %w", err)
	}
	value, err := requiredString(field, "value")
	if err != nil {
		return nil, fmt.Errorf("useDocumentIncludingField: %w", err)
	}
	out := make([]any, len(docs))
	for i, d := range docs {
		got, _ := get(d, key)
		s, isStr := got.(string)
		if n, ok := got.(float64); ok {
			s, isStr = jsNumberString(n), true
		}
		if !isStr {
			return nil, errIncludingField(key)
		}
		out[i] = d
		if s == value {
			out[i] = mergeWith(d, content, concat)
		}
	}
	return out, nil
}

// roadiehq:utils:json:merge merges content into a JSON file, making it
// when missing; matchFileIndent keeps the file's indentation.
func roadieJSONMerge(_ context.Context, c *Context) error {
	rel, abs, err := roadiePath(c, "path")
	if err != nil {
		return err
	}
	content, err := mergeContent(c.Input)
	if err != nil {
		return err
	}
	concat, err := boolean(c.Input, "mergeArrays")
	if err != nil {
		return err
	}
	matchIndent, err := boolean(c.Input, "matchFileIndent")
	if err != nil {
		return err
	}
	var old any = nunjucks.NewObject()
	text := ""
	exists, err := c.Workspace.Exists(rel)
	if err != nil {
		return err
	}
	if exists {
		if text, err = readText(c, rel, abs); err != nil {
			return err
		}
		if old, err = nunjucks.DecodeJSON([]byte(text)); err != nil {
			return fmt.Errorf("parse %s: %w", abs, err)
		}
	} else {
		c.Logf("The file %s does not exist, creating it.", abs)
	}
	if s, ok := content.(string); ok {
		if content, err = nunjucks.DecodeJSON([]byte(s)); err != nil {
			return fmt.Errorf("input content: %w", err)
		}
	}
	indent := 2
	if matchIndent {
		if !exists {
			return fmt.Errorf("ENOENT: no such file or directory, open '%s'", abs)
		}
		if indent = detectIndent(text); indent == 0 {
			indent = 2
			c.Logf("Failed to detect source file indentation, using default value of 2.")
		}
	}
	out, ok := jsonStringify(mergeWith(old, content, concat), nil, fmt.Sprintf("%*s", min(indent, 10), ""))
	if !ok {
		out = "undefined"
	}
	if err := c.Workspace.WriteFile(rel, []byte(out), existingMode(c, rel).Perm()); err != nil {
		return err
	}
	c.Output("path", abs)
	return nil
}

// mergeWith is lodash's mergeWith(object, source, customiser) with
// Roadie's array customisers; it returns the merged object (lodash makes
// a new object of a target that is not one).
func mergeWith(object, source any, concat bool) any {
	switch object.(type) {
	case *nunjucks.Object, []any:
	default:
		object = nunjucks.NewObject()
	}
	return mergeInto(object, source, concat)
}

// mergeInto merges source's properties into target (an *Object, changed
// in place, or a []any, returned anew).
func mergeInto(target, source any, concat bool) any {
	if same(target, source) {
		return target
	}
	for _, k := range propertyKeys(source) {
		src := property(source, k)
		if k == "__proto__" {
			// lodash reads an object under __proto__ as undefined, so
			// it cannot reach a prototype, and leaves it out.
			switch src.(type) {
			case *nunjucks.Object, []any:
				continue
			}
		}
		old := property(target, k)
		target = setProperty(target, k, mergeValue(old, src, concat))
	}
	return target
}

func mergeValue(old, src any, concat bool) any {
	if oldList, ok := old.([]any); ok {
		if !concat {
			if src == nunjucks.Undefined {
				return old
			}
			return src
		}
		// A Set: primitives by value, objects by identity (SameValueZero),
		// in a map so a long list costs no more than its length.
		out := []any{}
		seen := map[any]bool{}
		add := func(v any) {
			key := v
			switch x := v.(type) {
			case float64:
				switch {
				case x != x:
					key = nanKey{}
				case x == 0:
					key = 0.0
				}
			case []any:
				out = append(out, v)
				return
			}
			if !seen[key] {
				seen[key] = true
				out = append(out, v)
			}
		}
		for _, v := range oldList {
			add(v)
		}
		if list, ok := src.([]any); ok {
			for _, v := range list {
				add(v)
			}
		} else {
			add(src)
		}
		return out
	}
	switch s := src.(type) {
	case []any:
		return mergeInto([]any{}, s, concat)
	case *nunjucks.Object:
		if o, ok := old.(*nunjucks.Object); ok {
			return mergeInto(o, s, concat)
		}
		return mergeInto(nunjucks.NewObject(), s, concat)
	case nunjucks.UndefinedType:
		return old
	}
	return src
}

// nanKey stands for NaN in a set, since NaN != NaN in Go.
type nanKey struct{}

// same is JavaScript's SameValueZero.
func same(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || (math.IsNaN(x) && math.IsNaN(y)))
	case []any:
		y, ok := b.([]any)
		return ok && len(x) > 0 && len(y) > 0 && &x[0] == &y[0] && len(x) == len(y)
	case *nunjucks.Object, string, bool, nil, nunjucks.UndefinedType:
		return a == b
	}
	return false
}

// propertyKeys are lodash's keysIn of a merge source.
func propertyKeys(v any) []string {
	var n int
	switch x := v.(type) {
	case *nunjucks.Object:
		return x.Keys()
	case []any:
		n = len(x)
	case string:
		n = len(utf16.Encode([]rune(x)))
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strconv.Itoa(i)
	}
	return keys
}

func property(v any, key string) any {
	switch x := v.(type) {
	case *nunjucks.Object:
		if p, ok := x.Get(key); ok {
			return p
		}
	case []any:
		if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(x) {
			return x[i]
		}
	case string:
		u := utf16.Encode([]rune(x))
		if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(u) {
			return string(utf16.Decode(u[i : i+1]))
		}
	}
	return nunjucks.Undefined
}

// setProperty sets a key as lodash's assignMergeValue does: undefined only
// where the key is missing.
func setProperty(target any, key string, v any) any {
	switch x := target.(type) {
	case *nunjucks.Object:
		if _, ok := x.Get(key); v == nunjucks.Undefined && ok {
			return x
		}
		x.Set(key, v)
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 {
			return x
		}
		for len(x) <= i {
			x = append(x, nunjucks.Undefined)
		}
		if v != nunjucks.Undefined {
			x[i] = v
		}
		return x
	}
	return target
}

// detectIndent is detect-indent 6's amount: the most used step between
// the indentation of consecutive lines (lines of one space left out when
// any other indentation exists); 0 when there is none.
func detectIndent(s string) int {
	amount := mostUsedIndent(s, true)
	if amount < 0 {
		amount = mostUsedIndent(s, false)
	}
	return max(amount, 0)
}

// mostUsedIndent returns -1 when no line is indented.
func mostUsedIndent(s string, ignoreSingleSpaces bool) int {
	type use struct{ count, weight int }
	var order []string
	uses := map[string]*use{}
	prevSize, prevType := 0, byte(0)
	key := ""
	for _, line := range strings.Split(s, "\n") {
		if line == "" {
			continue
		}
		n, typ := 0, line[0]
		if typ == ' ' || typ == '\t' {
			for n < len(line) && line[n] == typ {
				n++
			}
		}
		if n == 0 {
			prevSize, prevType = 0, 0
			continue
		}
		if ignoreSingleSpaces && typ == ' ' && n == 1 {
			continue
		}
		if typ != prevType {
			prevSize = 0
		}
		prevType = typ
		weight := 0
		diff := n - prevSize
		prevSize = n
		if diff == 0 {
			weight++
		} else {
			key = string(typ) + strconv.Itoa(max(diff, -diff))
		}
		u, ok := uses[key]
		if !ok {
			uses[key] = &use{count: 1}
			order = append(order, key)
			continue
		}
		u.count++
		u.weight += weight
	}
	if len(order) == 0 {
		return -1
	}
	best, maxUsed, maxWeight := "", 0, 0
	for _, k := range order {
		u := uses[k]
		if u.count > maxUsed || (u.count == maxUsed && u.weight > maxWeight) {
			best, maxUsed, maxWeight = k, u.count, u.weight
		}
	}
	if best == "" {
		return 0
	}
	n, _ := strconv.Atoi(best[1:])
	return n
}
