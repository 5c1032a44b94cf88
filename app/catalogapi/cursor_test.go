package catalogapi

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/callboard/callboard/app/catalogquery"
)

// TestCursorRoundTrip checks that a filter survives its trip through a
// cursor's predicate.
func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	f, err := catalogquery.ParseFilters([]string{"kind=component,spec.type=service,spec.type=website", "metadata.tags.java"})
	if err != nil {
		t.Fatal(err)
	}
	c := cursor{OrderFields: []orderField{{Field: "metadata.name", Order: "asc"}}, OrderFieldValues: []*string{ptr("a"), ptr("uid")}}
	c.Query = mustJSON(t, predicateOf(f))
	got, err := decodeCursor(encodeCursor(c))
	if err != nil {
		t.Fatal(err)
	}
	back, err := filterOf(got.Query)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.AnyOf) != 2 || len(back.AnyOf[0]) != 2 || len(back.AnyOf[0][1].Values) != 2 || back.AnyOf[1][0].Values != nil {
		t.Errorf("filter after the trip: %+v", back)
	}
}

func TestCursorRefused(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"garbage", base64.StdEncoding.EncodeToString([]byte(`{"foo":1}`)),
		base64.StdEncoding.EncodeToString([]byte(`{"orderFields":[{"field":"x","order":"up"}],"isPrevious":false,"orderFieldValues":[]}`)),
		base64.StdEncoding.EncodeToString([]byte(`{"orderFields":[],"isPrevious":false,"orderFieldValues":["a","b","c"]}`)),
	} {
		if _, err := decodeCursor(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
	// A predicate that would expand past the bound is refused, not run.
	wide := `{"$all":[` + repeat(`{"$any":[{"a":"1"},{"a":"2"},{"a":"3"},{"a":"4"}]}`, 8) + `]}`
	if _, err := filterOf([]byte(wide)); err == nil {
		t.Error("4^8 alternatives: no error")
	}
}

func repeat(s string, n int) string {
	out := s
	for range n - 1 {
		out += "," + s
	}
	return out
}

func FuzzCursor(f *testing.F) {
	f.Add(encodeCursor(cursor{OrderFields: []orderField{}, OrderFieldValues: []*string{ptr("u")}}))
	f.Add("eyJvcmRlckZpZWxkcyI6W10sImlzUHJldmlvdXMiOmZhbHNlLCJxdWVyeSI6eyIkYW55IjpbeyJraW5kIjoiYSJ9LHsiJGFsbCI6W3sia2luZCI6eyIkaW4iOlsiYiJdfX1dfV19LCJvcmRlckZpZWxkVmFsdWVzIjpbXX0=")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			return
		}
		flt, err := filterOf(c.Query)
		if err != nil || flt == nil {
			return
		}
		if len(flt.AnyOf) > maxAlternatives {
			t.Fatalf("%d alternatives", len(flt.AnyOf))
		}
	})
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
