package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

// catalog list pages: 100 rows unless told, stderr saying which of how
// many, --offset and --limit to move, --all for every row, the same pages
// in JSON with the total, with --filter too.
func TestCatalogListPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	var many strings.Builder
	for i := range 130 {
		fmt.Fprintf(&many, "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc-%03d}\nspec: {type: %s, lifecycle: production, owner: team-a}\n",
			i, []string{"service", "library"}[i%2])
	}
	repo := gittest.New(t)
	repo.Commit("many", map[string][]byte{"catalog-info.yaml": []byte(many.String())})
	if r := run(ctx, nil, nil, "location", "add", repo.Dir, "--data-dir", dir); r.code != 0 {
		t.Fatalf("location add = %d %s", r.code, r.stderr)
	}
	list := func(args ...string) (rows []string, stderr string) {
		t.Helper()
		r := run(ctx, nil, nil, append([]string{"catalog", "list", "--kind", "component", "--data-dir", dir}, args...)...)
		if r.code != 0 {
			t.Fatalf("catalog list %v = %d %s", args, r.code, r.stderr)
		}
		for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
			rows = append(rows, strings.Fields(l)[0])
		}
		return rows, r.stderr
	}
	listJSON := func(args ...string) portal.EntityList {
		t.Helper()
		r := run(ctx, nil, nil, append([]string{"catalog", "list", "--kind", "component", "--json", "--data-dir", dir}, args...)...)
		var l portal.EntityList
		if err := json.Unmarshal([]byte(r.stdout), &l); err != nil || r.code != 0 {
			t.Fatalf("catalog list --json %v = %d %v %s", args, r.code, err, r.stderr)
		}
		return l
	}
	all, note := list("--all")
	total := len(all)
	if total < 130 || note != "" {
		t.Fatalf("--all: %d rows, stderr %q", total, note)
	}
	first, note := list()
	if len(first) != 100 || !slices.Equal(first, all[:100]) {
		t.Errorf("the first page: %d rows", len(first))
	}
	if want := fmt.Sprintf("showing 100 of %d; --offset 100 for the next, --all for every one\n", total); note != want {
		t.Errorf("stderr = %q, want %q", note, want)
	}
	rest, note := list("--offset", "100")
	if !slices.Equal(rest, all[100:]) || note != fmt.Sprintf("showing 101–%d of %d\n", total, total) {
		t.Errorf("--offset 100: %d rows, stderr %q", len(rest), note)
	}
	if l := listJSON("--offset", "5", "--limit", "5"); l.Total != total || len(l.Items) != 5 || l.Items[0].Ref != all[5] {
		t.Errorf("--json --offset 5 --limit 5: total %d, %d items", l.Total, len(l.Items))
	}

	services := listJSON("--filter", "spec.type=service", "--all")
	page := listJSON("--filter", "spec.type=service", "--offset", "2", "--limit", "3")
	if page.Total != services.Total || len(page.Items) != 3 || page.Items[0].Ref != services.Items[2].Ref || page.Items[2].Ref != services.Items[4].Ref {
		t.Errorf("a filtered page: total %d of %d, %+v", page.Total, services.Total, page.Items)
	}

	for _, bad := range [][]string{{"--limit", "0"}, {"--offset", "-1"}, {"--all", "--limit", "5"}} {
		if r := run(ctx, nil, nil, append([]string{"catalog", "list", "--data-dir", dir}, bad...)...); r.code != 2 {
			t.Errorf("%v = %d %s", bad, r.code, r.stderr)
		}
	}
}

func TestPageNote(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		offset, shown, total int
		want                 string
	}{
		{0, 100, 10078, "showing 100 of 10,078; --offset 100 for the next, --all for every one"},
		{100, 100, 10078, "showing 101–200 of 10,078; --offset 200 for the next, --all for every one"},
		{10000, 78, 10078, "showing 10,001–10,078 of 10,078"},
		{200, 0, 150, "showing none of 150: --offset 200 is past the last"},
		{0, 5, 1234567, "showing 5 of 1,234,567; --offset 5 for the next, --all for every one"},
	} {
		if got := pageNote(tt.offset, tt.shown, tt.total); got != tt.want {
			t.Errorf("pageNote(%d, %d, %d) = %q, want %q", tt.offset, tt.shown, tt.total, got, tt.want)
		}
	}
}

// TestSyncMemoryLimit: `callboard sync` bounds its memory softly unless
// the user set GOMEMLIMIT. Not parallel: the limit is the process's.
func TestSyncMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	const mine = 1 << 40
	for _, tc := range []struct {
		name, env string
		want      int64
	}{
		{"unset", "", syncMemory},
		{"set by the user", "1TiB", mine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(mine)
			r := &runner{env: Env{Getenv: func(k string) string {
				if k == "GOMEMLIMIT" {
					return tc.env
				}
				return ""
			}}}
			r.syncMemoryLimit()
			if got := debug.SetMemoryLimit(-1); got != tc.want {
				t.Errorf("memory limit = %d, want %d", got, tc.want)
			}
		})
	}
}
