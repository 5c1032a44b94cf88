package catalogapi

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/callboard/callboard/app/store"
)

// TestSpliceEntity checks that splicing uid, etag and relations into a
// stored record answers what decoding it does, and that a record of
// another shape is left to the decoder.
func TestSpliceEntity(t *testing.T) {
	t.Parallel()
	rels := []store.Relation{{Type: "ownedBy", Target: "group:default/a"}, {Type: "dependsOn", Target: "component:default/b"}}
	tests := []struct {
		name, record string
		spliced      bool
	}{
		{"plain", `{"entity":{"apiVersion":"v1","kind":"Component","metadata":{"name":"x","annotations":{"a":"}{\"]"}},"spec":{"definition":"a { b } [ \" c"}},"locationId":"l"}`, true},
		{"escaped backslashes before quotes", `{"entity":{"kind":"X","metadata":{"name":"y","description":"a\\\\","title":"\\\"}"},"spec":{"p":"\\\\\\\\"}},"locationId":"l"}`, true},
		{"empty metadata", `{"entity":{"kind":"X","metadata":{}},"locationId":"l"}`, true},
		{"metadata last", `{"entity":{"kind":"X","spec":{"n":[1,2,{"a":null}]},"metadata":{"name":"y"}},"source":{"file":"f"}}`, true},
		{"relations written by its author", `{"entity":{"kind":"X","metadata":{"name":"y"},"relations":[]},"locationId":"l"}`, false},
		{"another layout", `{"locationId":"l","entity":{"kind":"X","metadata":{"name":"y"}}}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := appendEntityJSON([]byte("[0,"), "u-1", "x:default/y", []byte(tc.record), rels)
			if err != nil {
				t.Fatal(err)
			}
			if string(got[:3]) != "[0," {
				t.Fatalf("what was before the entity is gone: %s", got)
			}
			got = got[3:]
			want, err := entityOf("u-1", "x:default/y", []byte(tc.record), rels)
			if err != nil {
				t.Fatal(err)
			}
			var g, w any
			wb, _ := json.Marshal(want)
			if json.Unmarshal(got, &g) != nil || json.Unmarshal(wb, &w) != nil || !reflect.DeepEqual(g, w) {
				t.Errorf("got %s\nwant %s", got, wb)
			}
			if _, ok := spliceEntity(nil, []byte(tc.record), "u", []byte("e"), nil); ok != tc.spliced {
				t.Errorf("spliced = %v, want %v", ok, tc.spliced)
			}
		})
	}
}

// FuzzAppendString checks the plain-ASCII shortcut against
// encoding/json, relations included.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"component:default/a", "", `a"b`, `a\b`, "<&>", "é", "\x00\x7f", "group:default/team-a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got[1:], want)
		}
		rels := []store.Relation{{Type: s, Target: "group:default/a"}, {Type: "ownedBy", Target: s}}
		want, _ = json.Marshal([]relation{{s, "group:default/a"}, {"ownedBy", s}})
		if got := appendRelations(nil, rels); string(got) != string(want) {
			t.Errorf("appendRelations = %s, want %s", got, want)
		}
	})
}
