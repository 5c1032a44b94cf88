package catalog

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
)

// readCounter counts the bytes read through it.
type readCounter struct {
	MapFiles
	read *atomic.Int64
}

func (r readCounter) ReadFile(name string) ([]byte, error) {
	data, err := r.MapFiles.ReadFile(name)
	r.read.Add(int64(len(data)))
	return data, err
}

// TestEntitySize: an entity may grow to MaxEntitySize, as JSON, through
// its placeholders or its escapes and no further; the one that would is
// refused at the field that takes it over, and its file's other entity
// still counts.
func TestEntitySize(t *testing.T) {
	t.Parallel()
	const mb = 1 << 20
	entity := func(name, spec string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: " + name + "\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n" + spec
	}
	tests := []struct {
		name  string
		doc   string
		files MapFiles
		want  string // the error; "" when the entity is accepted
		read  int64  // at most this many bytes are read
	}{
		{"placeholders within the limit", entity("api", "  definition: {$text: ./a.txt}\n  extra: [{$text: ./a.txt}, {$json: ./b.json}]\n"),
			MapFiles{"a.txt": strings.Repeat("a", 3*mb), "b.json": `"` + strings.Repeat("b", mb) + `"`}, "", 10 * mb},
		{"one placeholder over the limit", entity("api", "  definition:\n    $text: ./big.txt\n"),
			MapFiles{"big.txt": strings.Repeat("a", 9*mb)}, "api.yaml:10:5: spec.definition: placeholder $text would make the entity larger than 8 MB: big.txt is 9.0 MB, and the entity has room for 8.0 MB more", 0},
		{"the placeholder that passes the limit", entity("api", "  definition: {$text: ./a.txt}\n  extra:\n    - $text: ./a.txt\n    - $text: ./a.txt\n    - $text: ./a.txt\n"),
			MapFiles{"a.txt": strings.Repeat("a", 3*mb)}, "api.yaml:12:7: spec.extra.1: placeholder $text would make the entity larger than 8 MB: a.txt is 3.0 MB, and the entity has room for 2.0 MB more", 6 * mb},
		{"escapes that grow past the limit", entity("api", "  definition: {$text: ./ctl.txt}\n"),
			MapFiles{"ctl.txt": strings.Repeat("\x01", 2*mb)}, "api.yaml:9:15: spec.definition: placeholder $text would make the entity larger than 8 MB: ctl.txt, stored as JSON, takes more than the 8.0 MB the entity has room for", 2 * mb},
		{"a document of escapes", entity("api", "  definition: \""+strings.Repeat(`\x01`, 3*mb/2)+"\"\n"),
			nil, "api.yaml:9:15: spec.definition: makes the entity larger than 8 MB, the most Callboard keeps of one entity", 10 * mb},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := MapFiles{"api.yaml": tt.doc + "---\n" + entity("other", "  definition: small\n")}
			for k, v := range tt.files {
				files[k] = v
			}
			var read atomic.Int64
			res := Process(context.Background(), readCounter{files, &read}, Options{}, "api.yaml")
			var got string
			if len(res.Errors) > 0 {
				got = res.Errors[0].Error()
			}
			if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
				t.Errorf("errors = %.300v, want %q", res.Errors, tt.want)
			}
			for _, e := range res.Errors[min(1, len(res.Errors)):] {
				// Every placeholder past the limit is reported, not only the first.
				if !strings.Contains(e.Message, "would make the entity larger than 8 MB") {
					t.Errorf("another error: %.300v", e)
				}
			}
			if n := read.Load() - int64(len(files["api.yaml"])); n > tt.read {
				t.Errorf("read %d MB of placeholder files, want at most %d MB", n>>20, tt.read>>20)
			}
			want := 2
			if tt.want != "" {
				want = 1
			}
			if len(res.Entities) != want {
				t.Fatalf("%d entities accepted, want %d", len(res.Entities), want)
			}
			for _, p := range res.Entities {
				b, err := json.Marshal(p.Entity)
				if err != nil || len(b) > MaxEntitySize {
					t.Errorf("%s accepted at %d bytes (err %v), over %d", p.Entity.Ref(), len(b), err, MaxEntitySize)
				}
			}
		})
	}
}
