package scorecard

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var savedSamples = map[string]savedEntry{
	"empty": {},
	"whole": {
		Cards: 1<<63 + 5, Entity: 42, Provided: 7, Pending: true,
		Expires: time.Date(2026, 3, 1, 12, 0, 0, 123, time.UTC),
		Files:   map[string]string{"README.md": "abc", "go.mod": ""},
		Facts:   map[string]time.Time{"git-insights.lastCommitAt": time.Date(2025, 12, 31, 23, 59, 59, 999999999, time.FixedZone("CET", 3600)), "ci.passed": {}},
		Results: []savedResult{
			{Scorecard: "scorecard:default/basics", Level: "Gold", Checks: 20, FactsAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
				Failed: []savedFailure{{Check: 3, Message: "no owner — set spec.owner", Pending: true}, {Check: 19, Message: "", FactsAt: time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)}},
				Dated:  []savedFailure{{Check: 0, FactsAt: time.Date(2026, 1, 1, 0, 0, 0, 1, time.UTC)}}},
			{Scorecard: "scorecard:default/empty", Checks: 0},
		},
	},
}

// Every field comes back as it went, times as the same instants, and an
// entry an earlier build stored as JSON reads as the same entry.
func TestSavedRoundTrip(t *testing.T) {
	t.Parallel()
	opts := []cmp.Option{cmpopts.EquateEmpty()}
	for name, want := range savedSamples {
		t.Run(name, func(t *testing.T) {
			got, err := unmarshalSaved(marshalSaved(&want))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, *got, opts...); d != "" {
				t.Errorf("binary (-want +got):\n%s", d)
			}
			old, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			got, err = unmarshalSaved(old)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, *got, opts...); d != "" {
				t.Errorf("JSON (-want +got):\n%s", d)
			}
		})
	}
}

// Damaged entries are refused, not read as something else.
func TestSavedRefused(t *testing.T) {
	t.Parallel()
	whole := savedSamples["whole"]
	good := marshalSaved(&whole)
	for name, data := range map[string][]byte{
		"nothing":       nil,
		"another form":  append([]byte{9}, good[1:]...),
		"cut short":     good[:len(good)-1],
		"more after":    append(append([]byte(nil), good...), 0),
		"a huge length": {savedFormat, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"a bad bool":    {savedFormat, 0, 0, 0, 2},
		"broken JSON":   []byte(`{"c":`),
	} {
		if s, err := unmarshalSaved(data); err == nil {
			t.Errorf("%s: read as %+v, want an error", name, s)
		}
	}
}

// Whatever the bytes, reading neither panics nor allocates more than they
// can describe, and what reads writes back to the same entry.
func FuzzUnmarshalSaved(f *testing.F) {
	for _, s := range savedSamples {
		f.Add(marshalSaved(&s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := unmarshalSaved(data)
		if err != nil || (len(data) > 0 && data[0] == '{') {
			return
		}
		again, err := unmarshalSaved(marshalSaved(s))
		if err != nil {
			t.Fatalf("written back, not read: %v", err)
		}
		if d := cmp.Diff(s, again, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("written back (-first +again):\n%s", d)
		}
	})
}
