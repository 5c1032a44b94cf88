package listing

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/callboard/callboard/app/store"
)

func codecRows() []store.Row {
	return append(rows(), store.Row{Ref: "user:default/me", Kind: "User", Namespace: "default", Name: "me", Email: "me@example.com", File: "users.yaml",
		Extra: "acme/me", Docs: "dir:.", Tags: []string{}})
}

func TestCodec(t *testing.T) {
	t.Parallel()
	good := encode(7, codecRows())
	tests := []struct {
		name    string
		b       []byte
		want    uint64
		ok      bool
		corrupt bool
	}{
		{"round trip", good, 7, true, false},
		{"another store version", good, 8, false, false},
		{"another codec version", append([]byte{codecVersion + 1}, good[1:]...), 7, false, false},
		// Before version 4 the portal put the store version in front, as
		// eight big-endian bytes: the first reads as codec version 0.
		{"the layout before version 4", append(binary.BigEndian.AppendUint64(nil, 7), 3, 0), 7, false, false},
		{"empty", nil, 7, false, true},
		{"cut in the header", good[:1], 7, false, true},
		{"cut in a row", good[:len(good)/2], 7, false, true},
		{"cut before the last flag", good[:len(good)-1], 7, false, true},
		{"trailing bytes", append(encode(7, codecRows()), 0), 7, false, true},
		{"a flag that is neither 0 nor 1", append(encode(7, codecRows())[:len(good)-1], 2), 7, false, true},
		{"more rows than bytes", binary.AppendUvarint([]byte{codecVersion, 7}, 1<<40), 7, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok, err := decode(tt.b, tt.want)
			if ok != tt.ok || errors.Is(err, ErrCorrupt) != tt.corrupt || err != nil && !tt.corrupt {
				t.Fatalf("decode = %d rows, ok %v, err %v; want ok %v, corrupt %v", len(got), ok, err, tt.ok, tt.corrupt)
			}
			if ok {
				if diff := cmp.Diff(codecRows(), got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("round trip (-in +out):\n%s", diff)
				}
			}
		})
	}
}

// FuzzDecode: the cache file is read back at every start, whatever a crash
// or a full disk left in it. Whatever the bytes, decode returns rows or
// says they are not a listing, within its allocation bound, and the rows
// it returns encode to bytes that decode to the same rows. Seeds beyond
// the one below are in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	f.Add(encode(7, codecRows()), uint64(7))
	f.Fuzz(func(t *testing.T, b []byte, want uint64) {
		rows, ok, err := decode(b, want)
		switch {
		case err != nil && !errors.Is(err, ErrCorrupt):
			t.Fatalf("an error that is not ErrCorrupt: %v", err)
		case err != nil || !ok:
			if rows != nil {
				t.Fatalf("%d rows returned with ok %v, err %v", len(rows), ok, err)
			}
			return
		case len(rows) > len(b)/minRowSize:
			t.Fatalf("%d rows from %d bytes", len(rows), len(b))
		}
		again, ok, err := decode(encode(want, rows), want)
		if err != nil || !ok {
			t.Fatalf("re-encoding what decoded: ok %v, err %v", ok, err)
		}
		if diff := cmp.Diff(rows, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("re-encoded rows differ (-first +again):\n%s", diff)
		}
	})
}

// BenchmarkCodec: the cache of 100,000 rows, written after a sync and
// read at start.
func BenchmarkCodec(b *testing.B) {
	rows := synthetic(100_000)
	enc := encode(1, rows)
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			encode(1, rows)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(enc)))
		for b.Loop() {
			if _, ok, err := decode(enc, 1); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	})
}
