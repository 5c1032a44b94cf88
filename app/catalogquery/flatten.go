package catalogquery

import (
	"strconv"
	"strings"
)

// Backstage indexes keys and values up to this length; a longer value is
// indexed as null (the key exists, no value matches), a longer key not at all.
const (
	maxKeyLen   = 200
	maxValueLen = 200
)

// Field is one row of an entity's search table: a lower-cased dotted
// key, its lower-cased value and the value as written. Null is set for
// a null, an empty object's absence of leaves, or a value too long to
// index: the key exists, but no value matches it.
type Field struct {
	Key, Value, Original string
	Null                 bool
}

// skipped are the paths Backstage's search table leaves out, or adds
// itself whatever the entity holds.
var skipped = map[string]bool{
	"attachments": true, "relations": true, "status": true,
	"metadata.name": true, "metadata.namespace": true, "metadata.uid": true, "metadata.etag": true,
}

// Fields flattens an entity document into its search rows as Backstage's
// stitcher does: every leaf by its dotted path, each string item of an
// array also as `path.item` = true, metadata.name, namespace and uid
// always. Duplicate (key, value) pairs are kept once. The
// `relations.<type>` rows are the index's (View.readRelations), since
// relations are stored apart from the entity.
func Fields(doc map[string]any, uid string) []Field {
	f := flattener{seen: map[string]bool{}, pathKeys: map[string]bool{}}
	f.visit("", doc)
	md, _ := doc["metadata"].(map[string]any)
	f.add("metadata.name", md["name"])
	ns, _ := md["namespace"].(string)
	f.add("metadata.namespace", md["namespace"])
	f.add("metadata.uid", uid)
	if ns == "" {
		f.add("metadata.namespace", "default")
	}
	return f.out
}

type flattener struct {
	out      []Field
	seen     map[string]bool // key\0value (or key\x01 for null) already out
	pathKeys map[string]bool // the lower-cased `path.item` keys already out
}

func (f *flattener) visit(path string, v any) {
	if skipped[path] {
		return
	}
	switch v := v.(type) {
	case nil, string, bool, float64:
		f.add(path, v)
	case []any:
		for _, item := range v {
			f.visit(path, item)
			if s, ok := item.(string); ok {
				k := strings.ToLower(path + "." + s)
				if !f.pathKeys[k] {
					f.pathKeys[k] = true
					f.add(path+"."+s, true)
				}
			}
		}
	case map[string]any:
		for k, x := range v {
			if path != "" {
				k = path + "." + k
			}
			f.visit(k, x)
		}
	}
}

func (f *flattener) add(key string, v any) {
	key = strings.ToLower(key)
	if len(key) > maxKeyLen {
		return
	}
	var orig string
	null := false
	switch v := v.(type) {
	case nil:
		null = true
	case string:
		orig = v
	case bool:
		orig = strconv.FormatBool(v)
	case float64:
		orig = jsNumber(v)
	default:
		return
	}
	value := strings.ToLower(orig)
	if len(value) > maxValueLen {
		null, orig, value = true, "", ""
	}
	dedup := key + "\x00" + value
	if null {
		dedup = key + "\x01"
	}
	if f.seen[dedup] {
		return
	}
	f.seen[dedup] = true
	f.out = append(f.out, Field{Key: key, Value: value, Original: orig, Null: null})
}

// jsNumber writes a number as JavaScript's String() does for the values
// YAML gives: integers without a fraction, others in the shortest form.
func jsNumber(v float64) string {
	if v == float64(int64(v)) && v < 1e21 && v > -1e21 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
