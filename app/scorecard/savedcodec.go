package scorecard

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"time"
)

// Saved entries are written in a binary form: at 100,000 entities with
// ten scorecards, JSON's encoding was most of an update's saving and its
// decoding most of the first evaluation after a restart. The form is a
// version byte, then uvarints, strings as a uvarint length and their
// bytes, and times as a presence byte, Unix seconds (varint) and
// nanoseconds. Entries an earlier build stored as JSON (they begin with
// '{') still decode, so an upgrade does not evaluate everything again.

// savedFormat is the first byte of an entry in the binary form.
const savedFormat = 1

func marshalSaved(s *savedEntry) []byte {
	b := []byte{savedFormat}
	b = binary.AppendUvarint(b, s.Cards)
	b = binary.AppendUvarint(b, s.Entity)
	b = binary.AppendUvarint(b, s.Provided)
	b = appendBool(b, s.Pending)
	b = appendTime(b, s.Expires)
	b = binary.AppendUvarint(b, uint64(len(s.Files)))
	for _, k := range slices.Sorted(maps.Keys(s.Files)) {
		b = appendString(appendString(b, k), s.Files[k])
	}
	b = binary.AppendUvarint(b, uint64(len(s.Facts)))
	for _, k := range slices.Sorted(maps.Keys(s.Facts)) {
		b = appendTime(appendString(b, k), s.Facts[k])
	}
	b = binary.AppendUvarint(b, uint64(len(s.Results)))
	for _, r := range s.Results {
		b = appendString(appendString(b, r.Scorecard), r.Level)
		b = binary.AppendUvarint(b, uint64(r.Checks))
		b = appendTime(b, r.FactsAt)
		b = binary.AppendUvarint(b, uint64(len(r.Failed)))
		for _, f := range r.Failed {
			b = binary.AppendUvarint(b, uint64(f.Check))
			b = appendString(b, f.Message)
			b = appendBool(b, f.Pending)
			b = appendTime(b, f.FactsAt)
		}
		b = binary.AppendUvarint(b, uint64(len(r.Dated)))
		for _, d := range r.Dated {
			b = appendTime(binary.AppendUvarint(b, uint64(d.Check)), d.FactsAt)
		}
	}
	return b
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	return binary.AppendUvarint(binary.AppendVarint(append(b, 1), t.Unix()), uint64(t.Nanosecond()))
}

var errSaved = errors.New("not a saved scorecard entry")

// unmarshalSaved reads an entry in either form.
func unmarshalSaved(data []byte) (*savedEntry, error) {
	s := &savedEntry{}
	if len(data) > 0 && data[0] == '{' {
		if err := json.Unmarshal(data, s); err != nil {
			return nil, err
		}
		return s, nil
	}
	if len(data) == 0 || data[0] != savedFormat {
		return nil, errSaved
	}
	r := &savedReader{b: data[1:]}
	s.Cards, s.Entity, s.Provided = r.uvarint(), r.uvarint(), r.uvarint()
	s.Pending, s.Expires = r.bool(), r.time()
	if n := r.count(); n > 0 {
		s.Files = make(map[string]string, n)
		for range n {
			k := r.string()
			s.Files[k] = r.string()
		}
	}
	if n := r.count(); n > 0 {
		s.Facts = make(map[string]time.Time, n)
		for range n {
			k := r.string()
			s.Facts[k] = r.time()
		}
	}
	if n := r.count(); n > 0 {
		s.Results = make([]savedResult, n)
		for i := range s.Results {
			sr := &s.Results[i]
			sr.Scorecard, sr.Level = r.string(), r.string()
			sr.Checks, sr.FactsAt = r.index(), r.time()
			if n := r.count(); n > 0 {
				sr.Failed = make([]savedFailure, n)
				for j := range sr.Failed {
					f := &sr.Failed[j]
					f.Check, f.Message = r.index(), r.string()
					f.Pending, f.FactsAt = r.bool(), r.time()
				}
			}
			if n := r.count(); n > 0 {
				sr.Dated = make([]savedFailure, n)
				for j := range sr.Dated {
					sr.Dated[j].Check, sr.Dated[j].FactsAt = r.index(), r.time()
				}
			}
		}
	}
	if r.bad || len(r.b) > 0 {
		return nil, errSaved
	}
	return s, nil
}

// savedReader reads the binary form; once a read fails, bad is set and
// every later read gives a zero value.
type savedReader struct {
	b   []byte
	bad bool
}

func (r *savedReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count is a length: never more than the bytes left, so that
// damaged data cannot ask for a huge allocation.
func (r *savedReader) count() int {
	v := r.uvarint()
	if v > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return 0
	}
	return int(v)
}

// index is a number of checks or a check's place: allocates nothing
// (expand compares it with the scorecard's first), so only kept to an int.
func (r *savedReader) index() int {
	v := r.uvarint()
	if v > 1<<31 {
		r.bad, r.b = true, nil
		return 0
	}
	return int(v)
}

func (r *savedReader) bool() bool {
	if len(r.b) == 0 || r.b[0] > 1 {
		r.bad, r.b = true, nil
		return false
	}
	v := r.b[0] == 1
	r.b = r.b[1:]
	return v
}

func (r *savedReader) string() string {
	n := r.count()
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *savedReader) time() time.Time {
	if !r.bool() {
		return time.Time{}
	}
	sec, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return time.Time{}
	}
	r.b = r.b[n:]
	nsec := r.uvarint()
	if nsec >= 1e9 {
		r.bad, r.b = true, nil
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}
