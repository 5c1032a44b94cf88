package adr

import (
	"path"
	"strconv"
	"strings"
)

// Link finds each superseded record's successor among records (one
// folder's): the file its link names, relative to the record, or the one
// record with the number it names.
func Link(records []Record) {
	byFile := make(map[string]bool, len(records))
	byNumber := make(map[int]string, len(records))
	for _, r := range records {
		byFile[r.File] = true
		if _, dup := byNumber[r.Number]; dup {
			byNumber[r.Number] = "" // two records share the number: it names neither
		} else {
			byNumber[r.Number] = r.File
		}
	}
	for i := range records {
		r := &records[i]
		r.Successor = ""
		if r.SupersededBy == "" {
			continue
		}
		if n, ok := strings.CutPrefix(r.SupersededBy, "ADR-"); ok {
			if num, err := strconv.Atoi(n); err == nil {
				r.Successor = byNumber[num]
			}
			continue
		}
		target, _, _ := strings.Cut(r.SupersededBy, "#")
		if strings.Contains(target, "://") || strings.HasPrefix(target, "/") {
			continue
		}
		if p := path.Join(path.Dir(r.File), target); byFile[p] && p != r.File {
			r.Successor = p
		}
	}
}
