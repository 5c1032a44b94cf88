package wire

import (
	"encoding/json"
	"testing"
	"time"
)

type Inner struct {
	Tags []string          `json:"tags"`
	Meta map[string]string `json:"meta,omitempty"`
}

type outer struct {
	Inner
	Items   []Inner          `json:"items"`
	ByName  map[string]Inner `json:"byName"`
	Ptr     *Inner           `json:"ptr"`
	Nil     *Inner           `json:"nil"`
	Any     any              `json:"any"`
	Raw     json.RawMessage  `json:"raw"`
	When    time.Time        `json:"when"`
	Bytes   []byte           `json:"bytes"`
	Skipped []string         `json:"-"`
	Lists   map[string][]int `json:"lists"`
	Entity  map[string]any   `json:"entity"`
	hidden  []string
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil slice", []string(nil), `[]`},
		{"nil map", map[string]int(nil), `{}`},
		{"nil interface", nil, `null`},
		{"scalar", 3, `3`},
		{"struct", outer{
			Items:  []Inner{{}},
			ByName: map[string]Inner{"a": {}},
			Ptr:    &Inner{},
			Any:    []int(nil),
			Lists:  map[string][]int{"x": nil},
			Entity: map[string]any{"spec": map[string]any{"tags": []any(nil)}, "null": nil},
		}, `{"tags":[],"items":[{"tags":[]}],"byName":{"a":{"tags":[]}},"ptr":{"tags":[]},"nil":null,"any":[],"raw":null,"when":"0001-01-01T00:00:00Z","bytes":null,"lists":{"x":[]},"entity":{"null":null,"spec":{"tags":[]}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(Normalize(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestNormalizeCopies checks that what holds a nil is copied, not
// changed: the value may be shared with other goroutines.
func TestNormalizeCopies(t *testing.T) {
	t.Parallel()
	shared := []Inner{{Tags: []string{"a"}}, {}}
	byName := map[string]Inner{"b": {}}
	ptr := &Inner{}
	v := outer{Items: shared, ByName: byName, Ptr: ptr, hidden: []string{"kept"}}
	got := Normalize(v)
	if shared[1].Tags != nil || byName["b"].Tags != nil || ptr.Tags != nil {
		t.Errorf("Normalize changed its input: %+v %+v %+v", shared, byName, ptr)
	}
	if got.Items[1].Tags == nil || got.ByName["b"].Tags == nil || got.Ptr.Tags == nil {
		t.Errorf("Normalize left a nil: %+v", got)
	}
	if &got.Items[0].Tags[0] == &shared[0].Tags[0] && len(got.hidden) != 1 {
		t.Errorf("unexported field lost: %+v", got.hidden)
	}
	clean := []Inner{{Tags: []string{}, Meta: map[string]string{}}}
	if out := Normalize(clean); &out[0] != &clean[0] {
		t.Error("a value with nothing to change was copied")
	}
}
