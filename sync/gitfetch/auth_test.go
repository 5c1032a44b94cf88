package gitfetch

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
)

// privateRemote serves repo with git http-backend behind HTTP Basic auth
// that accepts only token as the password.
func privateRemote(t *testing.T, repo *gittest.Repo, token string) string {
	t.Helper()
	return gittest.HTTPBackend(t, filepath.Dir(repo.Dir), func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if _, pass, ok := r.BasicAuth(); !ok || pass != token {
			w.Header().Set("WWW-Authenticate", `Basic realm="private"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	}) + "/" + filepath.Base(repo.Dir)
}

func TestFetchWithToken(t *testing.T) {
	t.Parallel()
	const token = "s3cret-token-value"
	repo := gittest.New(t)
	want := repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("x")})
	url := privateRemote(t, repo, token)
	host := "127.0.0.1" // the port is not part of the variable's name
	tests := []struct {
		name string
		env  map[string]string
		err  string
	}{
		{"no token", nil, "authentication required: store an https token in the OS keyring with `callboard token set 127.0.0.1:"},
		{"no token, the variables named", nil, "or give one in CALLBOARD_GIT_TOKEN or CALLBOARD_GIT_TOKEN_127_0_0_1"},
		{"wrong token", map[string]string{TokenEnv: "nope"}, "authentication required"},
		{"token for every host", map[string]string{TokenEnv: token}, ""},
		{"token for this host wins", map[string]string{TokenEnv: "nope", hostEnv(host): token}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			creds := Credentials{Getenv: func(k string) string { return tt.env[k] }}
			auth, err := creds.AuthFor(url)
			if err != nil {
				t.Fatal(err)
			}
			head, err := Fetch(context.Background(), Options{URL: url, Dir: filepath.Join(t.TempDir(), "clone"), Auth: auth})
			if tt.err == "" {
				if err != nil || head.Commit.String() != want {
					t.Fatalf("Fetch = %v, %v; want %s", head.Commit, err, want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("Fetch error = %v, want %q", err, tt.err)
			}
			if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "nope") {
				t.Errorf("the error shows a token: %v", err)
			}
		})
	}
}

func TestSSHNeedsKnownHosts(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	creds := Credentials{Getenv: func(string) string { return "" }, Home: home}
	_, err := creds.AuthFor("git@git.example:org/repo.git")
	if err == nil || !strings.Contains(err.Error(), "no known_hosts file at "+filepath.Join(home, ".ssh", "known_hosts")) {
		t.Errorf("AuthFor = %v", err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), nil, 0o600)
	_, err = creds.AuthFor("ssh://git@git.example/org/repo.git")
	if err == nil || !strings.Contains(err.Error(), "no ssh agent (SSH_AUTH_SOCK) and no key in") {
		t.Errorf("AuthFor without keys = %v", err)
	}
	if auth, err := creds.AuthFor("/srv/git/repo"); auth != nil || err != nil {
		t.Errorf("a local path needs no auth: %v, %v", auth, err)
	}
}
