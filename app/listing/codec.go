package listing

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/callboard/callboard/app/store"
)

// codecVersion is written first, so rows saved by another version are not
// misread: they are rebuilt from the store instead.
const codecVersion = 3

// Encode writes rows compactly, for a cache that makes the next start
// quick: strings length-prefixed, no field names.
func Encode(rows []store.Row) []byte {
	size := 16
	for i := range rows {
		size += 64 + len(rows[i].Ref) + len(rows[i].Title) + len(rows[i].Description)
	}
	b := make([]byte, 0, size)
	b = binary.AppendUvarint(b, codecVersion)
	b = binary.AppendUvarint(b, uint64(len(rows)))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for i := range rows {
		r := &rows[i]
		for _, s := range []string{r.Ref, r.Kind, r.Namespace, r.Name, r.Title, r.Description, r.Owner, r.Type, r.Lifecycle, r.System, r.Email, r.Extra, r.Docs, r.File} {
			str(s)
		}
		b = binary.AppendUvarint(b, uint64(len(r.Tags)))
		for _, t := range r.Tags {
			str(t)
		}
		flag := byte(0)
		if r.Errors {
			flag = 1
		}
		b = append(b, flag)
	}
	return b
}

var errCorrupt = errors.New("listing cache: cut short or not a listing")

// Decode reads what Encode wrote.
func Decode(b []byte) ([]store.Row, error) {
	num := func() (uint64, error) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, errCorrupt
		}
		b = b[n:]
		return v, nil
	}
	str := func() (string, error) {
		n, err := num()
		if err != nil || n > uint64(len(b)) {
			return "", errCorrupt
		}
		s := string(b[:n])
		b = b[n:]
		return s, nil
	}
	if v, err := num(); err != nil || v != codecVersion {
		return nil, fmt.Errorf("listing cache: version %d, want %d: %w", v, codecVersion, errCorrupt)
	}
	count, err := num()
	if err != nil || count > uint64(len(b)) {
		return nil, errCorrupt
	}
	rows := make([]store.Row, count)
	for i := range rows {
		r := &rows[i]
		for _, f := range []*string{&r.Ref, &r.Kind, &r.Namespace, &r.Name, &r.Title, &r.Description, &r.Owner, &r.Type, &r.Lifecycle, &r.System, &r.Email, &r.Extra, &r.Docs, &r.File} {
			if *f, err = str(); err != nil {
				return nil, err
			}
		}
		tags, err := num()
		if err != nil || tags > uint64(len(b)) {
			return nil, errCorrupt
		}
		if tags > 0 {
			r.Tags = make([]string, tags)
			for j := range r.Tags {
				if r.Tags[j], err = str(); err != nil {
					return nil, err
				}
			}
		}
		if len(b) == 0 {
			return nil, errCorrupt
		}
		r.Errors, b = b[0] == 1, b[1:]
	}
	if len(b) != 0 {
		return nil, errCorrupt
	}
	return rows, nil
}
