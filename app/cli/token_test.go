package cli

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/internal/testbin"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

// A private repository is added with the token the GitHub CLI has for its
// host (a fake gh first on the PATH the CLI is given), and token status
// says so; a host with none says what to do.
func TestTokenStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const token = "gho_from_the_cli"
	repo := gittest.New(t)
	repo.Commit("catalog", map[string][]byte{"catalog-info.yaml": []byte(validComponent)})
	url := gittest.HTTPBackend(t, filepath.Dir(repo.Dir), func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if _, pass, ok := r.BasicAuth(); !ok || pass != token {
			w.Header().Set("WWW-Authenticate", `Basic realm="private"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	}) + "/" + filepath.Base(repo.Dir)
	host, _ := gitfetch.Host(url)
	bin := t.TempDir()
	gh := "#!/bin/sh\n[ \"$4\" = '" + host + "' ] || exit 1\necho " + token + "\n"
	if err := testbin.Write(filepath.Join(bin, "gh"), []byte(gh)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	env := map[string]string{"PATH": bin}

	r := run(ctx, env, nil, "token", "status", "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "no git host yet") {
		t.Errorf("token status with no host = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, env, nil, "location", "add", url, "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "ok") {
		t.Fatalf("location add with the GitHub CLI's token = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, env, nil, "token", "status", "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, host+"  location  GitHub CLI token for "+host) {
		t.Errorf("token status = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, nil, nil, "token", "status", "--data-dir", dir, "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"source": "none"`) || !strings.Contains(r.stdout, "gh auth login --hostname 127.0.0.1") || strings.Contains(r.stdout, token) {
		t.Errorf("token status without the CLI = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
