package listing

import (
	"encoding/binary"

	"github.com/callboard/callboard/app/store"
)

// codecVersion is written first, so rows saved by another version are not
// misread: they are rebuilt from the store instead. 4 moved the location's
// Version into the header; 3 and before had the portal put it in front.
const codecVersion = 4

// minRowSize is the fewest bytes a row takes: its fourteen strings empty
// (a length byte each), no tags (a count byte) and its flag.
const minRowSize = 14 + 1 + 1

// encode writes the rows of a location whose store Version is version,
// compactly, for a cache that makes the next start quick: a header
// (codecVersion, version, row count), then each row's strings
// length-prefixed, no field names. LocationID is not written: the
// listing sets it when the rows are put back.
func encode(version uint64, rows []store.Row) []byte {
	size := 32
	for i := range rows {
		size += 64 + len(rows[i].Ref) + len(rows[i].Title) + len(rows[i].Description)
	}
	b := make([]byte, 0, size)
	b = binary.AppendUvarint(b, codecVersion)
	b = binary.AppendUvarint(b, version)
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

// decoder reads the encoding front to back; every read checks what is
// left, so nothing is allocated for bytes the input does not have.
type decoder struct{ b []byte }

func (d *decoder) num() (uint64, error) {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		return 0, ErrCorrupt
	}
	d.b = d.b[n:]
	return v, nil
}

func (d *decoder) str() (string, error) {
	n, err := d.num()
	if err != nil || n > uint64(len(d.b)) {
		return "", ErrCorrupt
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s, nil
}

// sharedStr is str for a value many rows repeat: the copy in seen when
// there is one.
func (d *decoder) sharedStr(seen map[string]string) (string, error) {
	n, err := d.num()
	if err != nil || n > uint64(len(d.b)) {
		return "", ErrCorrupt
	}
	s, ok := seen[string(d.b[:n])]
	if !ok {
		s = string(d.b[:n])
		seen[s] = s
	}
	d.b = d.b[n:]
	return s, nil
}

// decode reads what encode wrote, when it holds rows of store Version
// want: ok is false, and the rows are not read, when it holds another
// Version or comes from another codecVersion. Anything else that is not
// what encode writes (cut short, trailing bytes, a bad flag) is an error
// wrapping ErrCorrupt. What it allocates is bounded by len(b).
func decode(b []byte, want uint64) (rows []store.Row, ok bool, err error) {
	d := decoder{b}
	codec, err := d.num()
	if err != nil || codec != codecVersion {
		return nil, false, err
	}
	version, err := d.num()
	if err != nil || version != want {
		return nil, false, err
	}
	if rows, err = d.rows(); err != nil {
		return nil, false, err
	}
	return rows, true, nil
}

// rows reads the row count, then the rows. A count the bytes left could
// not hold is refused before anything is allocated.
func (d *decoder) rows() ([]store.Row, error) {
	count, err := d.num()
	if err != nil || count > uint64(len(d.b)/minRowSize) {
		return nil, ErrCorrupt
	}
	rows := make([]store.Row, count)
	// The fields most rows repeat are allocated once per value: at 100,000
	// rows their copies would be ≈ 10 MB more at the listing's peak.
	seen := map[string]string{}
	for i := range rows {
		r := &rows[i]
		for _, f := range [...]struct {
			s      *string
			shared bool
		}{{&r.Ref, false}, {&r.Kind, true}, {&r.Namespace, true}, {&r.Name, false}, {&r.Title, false}, {&r.Description, false}, {&r.Owner, true},
			{&r.Type, true}, {&r.Lifecycle, true}, {&r.System, true}, {&r.Email, false}, {&r.Extra, false}, {&r.Docs, true}, {&r.File, false}} {
			if f.shared {
				*f.s, err = d.sharedStr(seen)
			} else {
				*f.s, err = d.str()
			}
			if err != nil {
				return nil, err
			}
		}
		tags, err := d.num()
		if err != nil || tags > uint64(len(d.b)) {
			return nil, ErrCorrupt
		}
		if tags > 0 {
			r.Tags = make([]string, tags)
			for j := range r.Tags {
				if r.Tags[j], err = d.sharedStr(seen); err != nil {
					return nil, err
				}
			}
		}
		if len(d.b) == 0 || d.b[0] > 1 {
			return nil, ErrCorrupt
		}
		r.Errors, d.b = d.b[0] == 1, d.b[1:]
	}
	if len(d.b) != 0 {
		return nil, ErrCorrupt
	}
	return rows, nil
}
