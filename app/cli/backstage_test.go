package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/sync/backstage/backstagetest"
	"github.com/callboard/callboard/sync/gitfetch"
)

// TestLocationAddBackstage adds the recorded Backstage peer with the
// host's own token and reads its entities; a wrong token says how to set
// one.
func TestLocationAddBackstage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const token = "cbsrc-static-token-0123456789abcdef"
	srv := backstagetest.Serve(t, filepath.Join("..", "..", "sync", "backstage", "testdata", "peer"), "first", token)
	add := func(dir, token string) (int, string, string) {
		var out, errb syncBuffer
		env := Env{Build: buildinfo.Info{Version: "test"}, Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
			Tokens: gitfetch.Tokens{ByHost: map[string]string{"CALLBOARD_GIT_TOKEN_127_0_0_1": token}}}
		code := Main(ctx, []string{"location", "add", srv.URL, "--backstage", "--data-dir", dir}, env)
		return code, out.String(), errb.String()
	}
	dir := t.TempDir()
	if code, out, errb := add(dir, token); code != 0 || !strings.Contains(out, "added location ") {
		t.Fatalf("location add --backstage = %d\n%s\n%s", code, out, errb)
	}
	if r := run(ctx, nil, nil, "catalog", "get", "component:default/billing-svc-1", "--data-dir", dir); r.code != 0 || !strings.Contains(r.stdout, "billing-svc-1") {
		t.Errorf("catalog get = %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := run(ctx, nil, nil, "location", "add", srv.URL, "--backstage", "--path", "x.yaml", "--data-dir", dir); r.code != 2 {
		t.Errorf("location add --backstage --path = %d, want 2\n%s", r.code, r.stderr)
	}
	if code, _, errb := add(t.TempDir(), "wrong"); code == 0 || !strings.Contains(errb, "callboard token set 127.0.0.1") {
		t.Errorf("a wrong token = %d, want a failure saying how to set one\n%s", code, errb)
	}
}
