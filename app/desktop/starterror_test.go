package desktop

import (
	"strings"
	"testing"
)

func TestStartErrorPage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ message, want string }{
		{"the store in /d/store was written by Callboard 9.1.0 in format 4", "written by Callboard 9.1.0 in format 4"},
		{`<script>alert("x")</script>`, "&lt;script&gt;"},
	} {
		page, err := startErrorPage(tt.message)
		if err != nil || !strings.Contains(string(page), tt.want) || strings.Contains(string(page), "<script>alert") {
			t.Errorf("startErrorPage(%q) = %s, %v; want it to hold %q, escaped", tt.message, page, err, tt.want)
		}
	}
}
