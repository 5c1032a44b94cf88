package demo_test

import (
	"io/fs"
	"path"
	"testing"

	"github.com/callboard/callboard/app/adr"
	"github.com/callboard/callboard/demo"
)

// Every decision record of the demo's annotated components parses with a
// status and a date, and the superseded one names a successor in its
// folder; the demo shows MADR (list and front matter) and Nygard alike.
func TestDecisionRecords(t *testing.T) {
	formats := map[adr.Format]int{}
	var superseded, folders int
	for _, e := range loadCatalog(t) {
		loc := e.Metadata.Annotations["backstage.io/adr-location"]
		if loc == "" {
			continue
		}
		folders++
		dir := path.Join(path.Dir(e.File), loc)
		entries, err := fs.ReadDir(demo.FS(), dir)
		if err != nil {
			t.Fatalf("%s: %v", e.ref(), err)
		}
		var records []adr.Record
		for _, d := range entries {
			if !adr.IsFile(d.Name()) {
				t.Errorf("%s/%s is not named like a decision record", dir, d.Name())
				continue
			}
			data, err := fs.ReadFile(demo.FS(), path.Join(dir, d.Name()))
			if err != nil {
				t.Fatal(err)
			}
			r, err := adr.Parse(d.Name(), data)
			if err != nil {
				t.Error(err)
				continue
			}
			if r.Status == adr.StatusUnknown || r.Date == "" {
				t.Errorf("%s/%s: status %q, date %q", dir, d.Name(), r.Status, r.Date)
			}
			formats[r.Format]++
			records = append(records, r)
		}
		adr.Link(records)
		for _, r := range records {
			if r.Status == adr.StatusSuperseded {
				superseded++
				if r.Successor == "" {
					t.Errorf("%s/%s is superseded by %q, not found in its folder", dir, r.File, r.SupersededBy)
				}
			}
		}
	}
	if folders != 2 || superseded != 1 || formats[adr.FormatFrontMatter] == 0 || formats[adr.FormatMADRList] == 0 || formats[adr.FormatNygard] == 0 {
		t.Errorf("%d folders, %d superseded, formats %v: want 2 folders, one superseded, every format", folders, superseded, formats)
	}
}
