package techdocs

import (
	"strings"
	"testing"
)

func TestCodeCache(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		info, code string
		other      [2]string // info and code of a block that must not share the key
	}{
		{name: "bytes moved between info and code", info: "py", code: "thon\n", other: [2]string{"python", "\n"}},
		{name: "options differ", info: `python linenums="1"`, code: "x = 1\n", other: [2]string{"python", "x = 1\n"}},
		{name: "no info", code: "x\n", other: [2]string{"x", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newCodeCache()
			key := codeKey([]byte(tt.info), []byte(tt.code))
			c.put(key, "<pre>a</pre>")
			if h, ok := c.get(codeKey([]byte(tt.info), []byte(tt.code))); !ok || h != "<pre>a</pre>" {
				t.Errorf("get = %q, %v; want what was put", h, ok)
			}
			if _, ok := c.get(codeKey([]byte(tt.other[0]), []byte(tt.other[1]))); ok {
				t.Errorf("%q %q shares the key of %q %q", tt.other[0], tt.other[1], tt.info, tt.code)
			}
		})
	}
	t.Run("bounded", func(t *testing.T) {
		t.Parallel()
		c := newCodeCache()
		big := strings.Repeat("x", maxCodeCache/2+1)
		c.put(codeKey(nil, []byte("a")), big)
		c.put(codeKey(nil, []byte("b")), big)
		if _, ok := c.get(codeKey(nil, []byte("b"))); ok {
			t.Errorf("the cache holds more than %d bytes", maxCodeCache)
		}
	})
	t.Run("nil holds nothing", func(t *testing.T) {
		t.Parallel()
		var c *codeCache
		c.put(codeKey(nil, nil), "x")
		if _, ok := c.get(codeKey(nil, nil)); ok {
			t.Error("a nil cache returned a block")
		}
	})
}
