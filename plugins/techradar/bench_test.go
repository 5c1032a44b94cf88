package techradar

import (
	"fmt"
	"strings"
	"testing"
)

// bigRadar is a radar file at the entry limit.
func bigRadar() []byte {
	var b strings.Builder
	b.WriteString("quadrants: [{id: a}, {id: b}, {id: c}, {id: d}]\nrings: [{id: adopt}, {id: trial}, {id: assess}, {id: hold}]\nentries:\n")
	for i := range maxEntries {
		fmt.Fprintf(&b, "  - id: e%d\n    title: Entry %d\n    quadrant: %c\n    ring: %s\n    moved: 1\n    date: 2026-11-%02d\n    description: Something to say about entry %d.\n    entities: [component:c%d]\n",
			i, i, 'a'+rune(i%4), []string{"adopt", "trial", "assess", "hold"}[i%4], i%28+1, i, i)
	}
	return []byte(b.String())
}

// BenchmarkParse reads and draws a radar of 500 entries, as every page,
// Home card and "Show on radar" check does.
func BenchmarkParse(b *testing.B) {
	data := bigRadar()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, err := Parse("techradar.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		toProto(r)
	}
}
