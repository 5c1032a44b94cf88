package cli

import (
	"context"
	"strings"
	"testing"
)

func TestSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	r := run(ctx, nil, nil, "search", "booking", "service", "--data-dir", dir)
	if r.code != 0 || !strings.Contains(strings.SplitN(r.stdout, "\n", 2)[0], "component:default/booking-service") {
		t.Fatalf("search = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, nil, nil, "search", "bokking", "--kind", "component", "--json", "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, `"ref": "component:default/booking-service"`) || strings.Contains(r.stdout, `"kind": "API"`) {
		t.Errorf("search with a typo and a kind = %d\n%s", r.code, r.stdout)
	}
	r = run(ctx, nil, nil, "search", `"((`, "--data-dir", dir)
	if r.code != 0 {
		t.Errorf("a query of punctuation = %d %s", r.code, r.stderr)
	}
	if r = run(ctx, nil, nil, "search", "x", "--limit", "0", "--data-dir", dir); r.code != 2 {
		t.Errorf("--limit 0 = %d", r.code)
	}
}
