package syncer

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/internal/memtest"
	"github.com/callboard/callboard/sync/gittest"
)

// childEnv names the scenario a re-executed test binary runs, so its
// memory is measured apart from the other tests'.
const childEnv = "CALLBOARD_SYNCER_MEMORY_CHILD"

// heapLimit is the Go heap the bomb scenarios may reach: a few times the
// largest entity the catalog accepts, far below what the bombs expand to.
const heapLimit = 256 << 20

// The bombs of issue 16, finding 5: files of a few kilobytes to a megabyte
// that expand, through aliases or placeholders, to entities of hundreds of
// megabytes. Each sync must refuse the bomb with its file, line and
// field, keep every other entity of the location, and stay within
// heapLimit while doing so.
func TestSyncRefusesByteBombs(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 1<<20)
	text := strings.Repeat("y", 9<<20)
	var aliases, texts strings.Builder
	aliases.WriteString("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bomb\n  description: &big \"" + big + "\"\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n  bomb:\n")
	for range 200 {
		aliases.WriteString("    - *big\n")
	}
	texts.WriteString("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: bomb\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n  definition:\n    $text: ./big.txt\n  extra:\n")
	for range 100 {
		texts.WriteString("    - $text: ./big.txt\n")
	}
	cases := map[string]struct {
		files map[string][]byte
		want  []string // the entities kept
		error string   // where the bomb is refused, as file:line: field
	}{
		"aliases": {
			files: map[string][]byte{"catalog-info.yaml": []byte(root), "a.yaml": comp("alpha"), "b.yaml": []byte(aliases.String())},
			want:  []string{"component:default/alpha", "location:default/root"},
			error: "b.yaml:17:7: spec.bomb.6",
		},
		"placeholders": {
			files: map[string][]byte{"catalog-info.yaml": []byte(root), "a.yaml": comp("alpha"), "b.yaml": []byte(texts.String()), "big.txt": []byte(text)},
			want:  []string{"component:default/alpha", "location:default/root"},
			error: "b.yaml:10:5: spec.definition",
		},
	}
	for name, c := range cases {
		if os.Getenv(childEnv) == name {
			defer memtest.Report()
			ctx := context.Background()
			repo := gittest.New(t)
			repo.Commit("bomb", c.files)
			s, db, _ := setup(t, repo.Dir)
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatalf("sync failed whole: %.300v", err)
			}
			if diff := cmp.Diff(c.want, names(t, db)); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
			loc, _, _ := db.Location(ctx, "loc")
			if len(loc.Errors) == 0 || !strings.HasPrefix(loc.Errors[0].Error(), c.error) {
				t.Errorf("errors = %.300v, want the first at %s", loc.Errors, c.error)
			}
			for _, e := range loc.Errors {
				// Every placeholder past the limit is reported, all of the bomb's file.
				if e.File != "b.yaml" {
					t.Errorf("error outside the bomb: %.300v", e)
				}
			}
			return
		}
	}
	if os.Getenv(childEnv) != "" {
		return
	}
	for name := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			heap, hwm := memtest.Measure(t, childEnv, "TestSyncRefusesByteBombs", name, "128MiB")
			t.Logf("heap %d MB, peak RSS %d MB", heap>>20, hwm>>20)
			if heap > heapLimit {
				t.Errorf("the sync's heap reached %d MB, over %d MB", heap>>20, heapLimit>>20)
			}
		})
	}
}
