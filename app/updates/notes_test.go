package updates

import (
	"strings"
	"testing"
)

func TestNotesHTML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, notes string
		want        []string
		never       []string
	}{
		{"markdown", "## Fixes\n\n- **faster** sync\n- `callboard version`", []string{"<h2>Fixes</h2>", "<strong>faster</strong>", "<code>callboard version</code>"}, nil},
		{"https link kept", "[notes](https://example.com/n)", []string{`<a href="https://example.com/n"`}, nil},
		{"raw HTML left out", "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>", nil, []string{"<script", "<img", "onerror"}},
		{"javascript link dropped", "[click](javascript:alert(1))", []string{"click"}, []string{"javascript:"}},
		{"image dropped", "![pixel](https://tracker.example/p.gif)", nil, []string{"<img", "tracker.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := NotesHTML(tt.notes)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("NotesHTML(%q) = %q, want it to hold %q", tt.notes, got, w)
				}
			}
			for _, n := range tt.never {
				if strings.Contains(got, n) {
					t.Errorf("NotesHTML(%q) = %q, holds %q", tt.notes, got, n)
				}
			}
		})
	}
}
