package forgemd

import (
	"strings"
	"testing"
)

func TestHTMLSanitises(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		in        string
		bad, good []string
	}{
		{"a question's body", "**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
			[]string{"<script", "javascript:", "onerror"}, []string{"<strong>bold</strong>"}},
		{"a decision record", "# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](0002-b.md)\n\n| a |\n|---|\n| b |\n",
			[]string{"<script", "javascript:"}, []string{"<h1>T</h1>", `href="0002-b.md"`, "<table>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := HTML(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, bad := range tc.bad {
				if strings.Contains(got, bad) {
					t.Errorf("HTML keeps %q:\n%s", bad, got)
				}
			}
			for _, good := range tc.good {
				if !strings.Contains(got, good) {
					t.Errorf("HTML lacks %q:\n%s", good, got)
				}
			}
		})
	}
}
