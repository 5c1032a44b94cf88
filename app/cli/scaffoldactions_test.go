package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
)

func TestScaffoldActions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	r := run(ctx, nil, nil, "scaffold", "actions", "--data-dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"ACTION  ", "fetch:template  ", "builtin", "github:pages:enable", "skipped", "kube:apply", "unavailable", "Callboard cannot run it"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the list lacks %q:\n%s", want, r.stdout)
		}
	}
	j := run(ctx, nil, nil, "scaffold", "actions", "--json", "--data-dir", dir)
	var out struct{ Actions []portal.ScaffoldAction }
	if err := json.Unmarshal([]byte(j.stdout), &out); j.code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s%s", j.code, err, j.stdout, j.stderr)
	}
	for _, a := range out.Actions {
		if a.ID == "fetch:template" && (len(a.InputSchema) == 0 || len(a.Examples) == 0) {
			t.Errorf("fetch:template as JSON = %+v, want its schema and example", a)
		}
	}
	if bad := run(ctx, nil, nil, "scaffold", "actions", "extra", "--data-dir", dir); bad.code != 2 {
		t.Errorf("scaffold actions with an argument: exit %d, want 2", bad.code)
	}
}
