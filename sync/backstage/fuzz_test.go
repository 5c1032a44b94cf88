package backstage

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzDecodePage: any answer either fails with ErrBadResponse or gives
// entities with a ref of kind, namespace and name, whose JSON (when kept)
// is valid, and never more than asked for.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(`{"items":[{"kind":"Component","metadata":{"name":"a","namespace":"x","etag":"1"}}],"totalItems":1,"pageInfo":{"nextCursor":"c"}}`), true)
	f.Add([]byte(`{"items":[null],"pageInfo":{}}`), false)
	f.Add([]byte(`{"items":[{"kind":"","metadata":{"name":"a"}}]}`), true)
	f.Fuzz(func(t *testing.T, b []byte, whole bool) {
		p, err := decodePage(b, whole, 3)
		if err != nil {
			if !strings.Contains(err.Error(), ErrBadResponse.Error()) {
				t.Fatalf("error %v is not ErrBadResponse", err)
			}
			return
		}
		if len(p.Items) > 3 {
			t.Fatalf("%d items, more than asked for", len(p.Items))
		}
		for _, e := range p.Items {
			kind, rest, ok := strings.Cut(e.Ref, ":")
			if !ok || kind == "" || !strings.Contains(rest, "/") {
				t.Fatalf("ref %q is not kind:namespace/name", e.Ref)
			}
			if whole && !json.Valid(e.JSON) || !whole && e.JSON != nil {
				t.Fatalf("JSON %q kept wrong (whole %v)", e.JSON, whole)
			}
		}
	})
}

// FuzzDecodeRefs: an answer by ref either fails or gives at most the
// entities asked for.
func FuzzDecodeRefs(f *testing.F) {
	f.Add([]byte(`{"items":[null,{"kind":"Group","metadata":{"name":"t"}}]}`), 2)
	f.Add([]byte(`{"items":[]}`), 0)
	f.Fuzz(func(t *testing.T, b []byte, asked int) {
		es, err := decodeRefs(b, asked)
		if err == nil && len(es) > asked {
			t.Fatalf("%d entities for %d refs", len(es), asked)
		}
	})
}
