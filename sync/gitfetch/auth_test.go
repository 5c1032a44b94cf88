package gitfetch

import (
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5"

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

// trust trusts the hosts named.
func trust(hosts ...string) func(context.Context, string) (bool, error) {
	return func(_ context.Context, host string) (bool, error) { return slices.Contains(hosts, host), nil }
}

func TestFetchWithToken(t *testing.T) {
	t.Parallel()
	const token = "s3cret-token-value"
	repo := gittest.New(t)
	want := repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("x")})
	url := privateRemote(t, repo, token)
	host, _ := Host(url) // 127.0.0.1:port
	tests := []struct {
		name    string
		tokens  Tokens
		trusted []string
		err     string
	}{
		{"no token", Tokens{}, nil, "authentication required: store an https token in the OS keyring with `callboard token set 127.0.0.1:"},
		{"no token, the variables named", Tokens{}, nil, "or give one in CALLBOARD_GIT_TOKEN_127_0_0_1, or in CALLBOARD_GIT_TOKEN if 127.0.0.1:"},
		{"no token, the tools named", Tokens{}, nil, "or log in with `gh auth login --hostname 127.0.0.1` or `glab auth login --hostname 127.0.0.1`, or keep one in a git credential helper"},
		{"wrong token", Tokens{All: "nope"}, []string{host}, "authentication required"},
		{"token for every host, host trusted", Tokens{All: token}, []string{host}, ""},
		{"token for every host, host not trusted", Tokens{All: token}, []string{"github.com"}, "authentication required"},
		{"token for every host, nothing trusted", Tokens{All: token}, nil, "authentication required"},
		{"token for this host wins", Tokens{All: "nope", ByHost: map[string]string{hostEnv("127.0.0.1"): token}}, []string{host}, ""},
		{"token for this host, host not trusted", Tokens{ByHost: map[string]string{hostEnv("127.0.0.1"): token}}, nil, ""},
		{"token for another host", Tokens{ByHost: map[string]string{hostEnv("github.com"): token}}, []string{host}, "authentication required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			creds := Credentials{Tokens: tt.tokens, Trusted: trust(tt.trusted...)}
			auth, err := creds.AuthFor(context.Background(), url)
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

// The all-hosts token reaches a trusted host over TLS and nothing reaches
// any other: a listener on 127.0.0.1 records every Authorization header.
func TestAllHostsTokenStaysOnTrustedHosts(t *testing.T) {
	t.Parallel()
	const token = "all-hosts-token-value"
	repo := gittest.New(t)
	want := repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("x")})
	serve := func() (string, []byte, *[]string) {
		var mu sync.Mutex
		seen := &[]string{}
		url, cert := gittest.HTTPSBackend(t, filepath.Dir(repo.Dir), func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			mu.Lock()
			*seen = append(*seen, r.Header.Get("Authorization"))
			mu.Unlock()
			if _, pass, ok := r.BasicAuth(); !ok || pass != token {
				w.Header().Set("WWW-Authenticate", `Basic realm="private"`)
				http.Error(w, "authentication required", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
		return url + "/" + filepath.Base(repo.Dir), cert, seen
	}
	trustedURL, trustedCert, trustedSeen := serve()
	otherURL, otherCert, otherSeen := serve()
	trustedHost, _ := Host(trustedURL)
	creds := Credentials{Tokens: Tokens{All: token}, Trusted: trust(trustedHost)}
	clone := func(url string, cert []byte) error {
		auth, err := creds.AuthFor(context.Background(), url)
		if err != nil {
			return err
		}
		r, err := git.PlainCloneContext(context.Background(), filepath.Join(t.TempDir(), "clone"), true, &git.CloneOptions{URL: url, Auth: auth, CABundle: cert})
		if err != nil {
			return err
		}
		if head, err := r.Head(); err != nil || head.Hash().String() != want {
			t.Errorf("cloned head = %v, %v; want %s", head, err, want)
		}
		return nil
	}
	if err := clone(otherURL, otherCert); err == nil || !strings.Contains(err.Error(), "authentication required") {
		t.Errorf("clone from the host nobody trusts = %v, want authentication required", err)
	}
	if len(*otherSeen) == 0 {
		t.Fatal("the other host saw no request: the test proves nothing")
	}
	for _, h := range *otherSeen {
		if h != "" {
			t.Errorf("the host nobody trusts got Authorization %q", h)
		}
	}
	if err := clone(trustedURL, trustedCert); err != nil {
		t.Fatalf("clone from the trusted host: %v", err)
	}
	got := false
	for _, h := range *trustedSeen {
		if h == "Basic "+base64.StdEncoding.EncodeToString([]byte("callboard:"+token)) {
			got = true
		}
	}
	if !got {
		t.Errorf("the trusted host never got the token: %q", *trustedSeen)
	}
}

func TestSSHNeedsKnownHosts(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	creds := Credentials{Getenv: func(string) string { return "" }, Home: home}
	_, err := creds.AuthFor(context.Background(), "git@git.example:org/repo.git")
	if err == nil || !strings.Contains(err.Error(), "no known_hosts file at "+filepath.Join(home, ".ssh", "known_hosts")) {
		t.Errorf("AuthFor = %v", err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), nil, 0o600)
	_, err = creds.AuthFor(context.Background(), "ssh://git@git.example/org/repo.git")
	if err == nil || !strings.Contains(err.Error(), "no ssh agent (SSH_AUTH_SOCK) and no key in") {
		t.Errorf("AuthFor without keys = %v", err)
	}
	if auth, err := creds.AuthFor(context.Background(), "/srv/git/repo"); auth != nil || err != nil {
		t.Errorf("a local path needs no auth: %v, %v", auth, err)
	}
}
