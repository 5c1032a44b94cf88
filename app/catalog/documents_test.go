package catalog

import (
	"bytes"
	"testing"
)

func TestDocumentAt(t *testing.T) {
	t.Parallel()
	data := []byte("a: 1\nb: 2\n---\nc: 3\n--- \nd: 4\ne: 5\n")
	for _, tc := range []struct {
		line  int
		doc   string
		start int
		ok    bool
	}{
		{line: 1, doc: "a: 1\nb: 2\n", start: 1, ok: true},
		{line: 2, doc: "a: 1\nb: 2\n", start: 1, ok: true},
		{line: 4, doc: "c: 3\n", start: 4, ok: true},
		{line: 7, doc: "d: 4\ne: 5\n", start: 6, ok: true},
		{line: 0},
		{line: 99},
	} {
		doc, start, ok := DocumentAt(data, tc.line)
		if string(doc) != tc.doc || start != tc.start || ok != tc.ok {
			t.Errorf("DocumentAt(line %d) = %q, %d, %v; want %q, %d, %v", tc.line, doc, start, ok, tc.doc, tc.start, tc.ok)
		}
	}
}

func TestTargetFile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ file, target, want string }{
		{"catalog-info.yaml", "./teams/locations.yaml", "teams/locations.yaml"},
		{"teams/locations.yaml", "../services/a.yaml", "services/a.yaml"},
		{"teams/locations.yaml", "/root.yaml", "root.yaml"},
		{"teams/locations.yaml", "./*.yaml", "teams/*.yaml"},
		{"a/b.yaml", "c%20d.yaml?x#y", "a/c d.yaml"},
	} {
		got, err := TargetFile(tc.file, tc.target)
		if err != nil || got != tc.want {
			t.Errorf("TargetFile(%q, %q) = %q, %v; want %q", tc.file, tc.target, got, err, tc.want)
		}
	}
	if _, err := TargetFile("a.yaml", "../../x.yaml"); err == nil {
		t.Error("a target outside the repository resolved")
	}
}

func FuzzDocumentAt(f *testing.F) {
	f.Add([]byte("a: 1\n---\nb: 2\n"), 3)
	f.Add([]byte("--- \n...\n---\n"), 2)
	f.Fuzz(func(t *testing.T, data []byte, line int) {
		doc, start, ok := DocumentAt(data, line)
		if !ok {
			return
		}
		if start < 1 || start > line+1 || !bytes.Contains(data, doc) {
			t.Fatalf("DocumentAt(%q, %d) = %q at %d", data, line, doc, start)
		}
	})
}
