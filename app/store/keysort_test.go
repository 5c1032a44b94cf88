package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Keys given in any order, some several times, come back once each, in
// key order, with the last value given: held in memory, in a few runs,
// and in a run per key.
func TestKeySorterGivesKeysInOrder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		window int
	}{
		{"one window", 1 << 30},
		{"several runs", 4 << 10},
		{"a run per key", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s := newKeySorter(dir, tc.window)
			defer s.close()
			rng := rand.New(rand.NewPCG(1, 2))
			want := map[string]string{}
			for i := range 2000 {
				k := fmt.Sprintf("g/a/%04d/e/%d", rng.IntN(1500), rng.IntN(3))
				v := fmt.Sprint(i)
				if i%7 == 0 {
					v = "" // the empty values of fd/ and fu/ keys
				}
				want[k] = v
				if err := s.set([]byte(k), []byte(v)); err != nil {
					t.Fatal(err)
				}
			}
			got := map[string]string{}
			var last []byte
			err := s.writeTo(func(k, v []byte) error {
				if last != nil && bytes.Compare(last, k) >= 0 {
					return fmt.Errorf("%q after %q", k, last)
				}
				last = k
				got[string(k)] = string(v)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
			s.close()
			if left, _ := filepath.Glob(filepath.Join(dir, keyRunPattern)); len(left) > 0 {
				t.Errorf("runs left after close: %v", left)
			}
		})
	}
}

// A run file that was cut short or damaged fails the write; it does not
// give keys that were not set.
func TestKeySorterRefusesADamagedRun(t *testing.T) {
	t.Parallel()
	s := newKeySorter(t.TempDir(), 1)
	defer s.close()
	for _, k := range []string{"b", "a", "c"} {
		if err := s.set([]byte(k), []byte("value of "+k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(s.f.Name(), s.off-3); err != nil {
		t.Fatal(err)
	}
	err := s.writeTo(func(k, v []byte) error { return nil })
	if !errors.Is(err, errKeyRun) {
		t.Fatalf("a damaged run read with %v, want errKeyRun", err)
	}
}

// readRunBytes reads what a run holds and refuses, without panicking or
// allocating what a length says, bytes spill does not write.
func FuzzReadKeyRun(f *testing.F) {
	f.Add([]byte{3, 'a', '/', 'b', 2, 'v', '1', 0})
	f.Add([]byte{0x80})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		c := &keyRunCursor{r: bufio.NewReader(bytes.NewReader(b))}
		read := 0
		for {
			ok, err := c.next()
			if err != nil || !ok {
				return
			}
			read += len(c.k) + len(c.v)
			if read > len(b) {
				t.Fatalf("%q: read %d bytes of keys and values from %d", b, read, len(b))
			}
		}
	})
}
