package wire

import (
	"errors"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

type mode string

type base struct {
	Offset int `json:"offset,omitempty"`
	Limit  int `json:"limit,omitempty"`
}

type query struct {
	Text    string              `json:"text,omitempty"`
	Kinds   []string            `json:"kinds,omitempty"`
	Filters map[string]string   `json:"filters,omitempty"`
	Facets  map[string][]string `json:"facets,omitempty"`
	Starred bool                `json:"starred,omitempty"`
	Mode    mode                `json:"mode,omitempty"`
	Score   float64             `json:"score,omitempty"`
	Small   uint8               `json:"small,omitempty"`
	Since   time.Time           `json:"since,omitzero"`
	Skipped string              `json:"-"`
	NoTag   string
	base
}

func TestEncodeQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		param string
		v     any
		want  string
	}{
		{"struct", "", query{Text: "pay ments", Kinds: []string{"api", "component"}, Filters: map[string]string{"spec.type": "service", "empty": ""},
			Facets: map[string][]string{"tag": {"a", "b"}}, Starred: true, Mode: "out", Score: 0.5, Small: 7,
			Since: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Skipped: "x", NoTag: "y", base: base{Limit: 5}},
			"NoTag=y&facets.tag=a&facets.tag=b&filters.empty=&filters.spec.type=service&kinds=api&kinds=component&limit=5&mode=out&score=0.5&since=2026-01-02T03%3A04%3A05Z&small=7&starred=true&text=pay+ments"},
		{"zero struct", "", query{}, ""},
		{"scalar", "limit", 20, "limit=20"},
		{"zero scalar", "limit", 0, ""},
		{"ref", "ref", "component:default/a", "ref=component%3Adefault%2Fa"},
		{"list", "names", []string{"sync:done", ""}, "names=sync%3Adone&names="},
		{"nil", "x", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := url.Values{}
			if err := EncodeQuery(q, tt.param, tt.v); err != nil {
				t.Fatal(err)
			}
			if got := q.Encode(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestEncodeQueryRefuses(t *testing.T) {
	t.Parallel()
	s := "x"
	for _, v := range []any{&s, struct{ In base }{}, map[string]map[string]string{"a": {}}, map[int]string{1: "a"}, [][]string{{"a"}}} {
		if err := EncodeQuery(url.Values{}, "p", v); err == nil {
			t.Errorf("%T encoded", v)
		}
	}
	if err := EncodeQuery(url.Values{}, "", 3); err == nil {
		t.Error("an unnamed scalar encoded")
	}
}

func TestDecodeQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query string
		want  query
		err   string
	}{
		{query: "text=pay&kinds=api&kinds=component&filters.spec.type=service&facets.tag=a&facets.tag=b&starred=1&limit=5&token=secret",
			want: query{Text: "pay", Kinds: []string{"api", "component"}, Filters: map[string]string{"spec.type": "service"},
				Facets: map[string][]string{"tag": {"a", "b"}}, Starred: true, base: base{Limit: 5}}},
		{query: "limit=-1", want: query{base: base{Limit: -1}}},
		{query: "limit=x", err: `limit "x" is not a whole number`},
		{query: "small=300", err: `small "300" is not a whole number of zero or more`},
		{query: "starred=maybe", err: `starred "maybe" is not true or false`},
		{query: "text=a&text=b", err: "text is given 2 times"},
		{query: "filters.a=1&filters.a=2", err: "filters.a is given 2 times"},
		{query: "since=yesterday", err: `since "yesterday"`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			vals, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var got query
			err = DecodeQuery(vals, "", &got)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrQuery) {
					t.Errorf("err = %v, want ErrQuery saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(query{})); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// FuzzQuery checks that every value DecodeQuery reads back is the value
// EncodeQuery wrote, through the URL's text.
func FuzzQuery(f *testing.F) {
	f.Add("pay", "api\x00component", "spec.type", "service", true, int64(5), 0.5, uint8(3))
	f.Add("", "", "", "", false, int64(0), 0.0, uint8(0))
	f.Add("a&b=c;d", "\x00", "k.with.dots", "=", false, int64(-1), math.Copysign(0, -1), uint8(255))
	f.Fuzz(func(t *testing.T, text, list, key, value string, starred bool, limit int64, score float64, small uint8) {
		in := query{Text: text, Filters: map[string]string{key: value}, Facets: map[string][]string{key: splitList(list)},
			Starred: starred, Mode: mode(value), Score: score, Small: small, base: base{Limit: int(limit)}}
		if list != "" {
			in.Kinds = splitList(list)
		}
		q := url.Values{}
		if err := EncodeQuery(q, "", in); err != nil {
			t.Fatal(err)
		}
		back, err := url.ParseQuery(q.Encode())
		if err != nil {
			t.Fatalf("%s: %v", q.Encode(), err)
		}
		var out query
		if err := DecodeQuery(back, "", &out); err != nil {
			t.Fatalf("%s: %v", q.Encode(), err)
		}
		if len(in.Facets[key]) == 0 {
			delete(in.Facets, key) // a key with an empty list is left out
		}
		opts := cmp.Options{cmp.AllowUnexported(query{}), cmpopts.EquateEmpty(), cmpopts.EquateNaNs()}
		if diff := cmp.Diff(in, out, opts); diff != "" {
			t.Errorf("%s: (-sent +read)\n%s", q.Encode(), diff)
		}
	})
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}
