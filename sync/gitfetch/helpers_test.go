package gitfetch

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/internal/testbin"
	"github.com/callboard/callboard/sync/gittest"
)

// toolbox is a home and a bin folder of programs for Helpers, and the
// environment that finds them; the process's own is left alone.
type toolbox struct {
	t    testing.TB
	home string
	bin  string
	env  map[string]string
	log  string // each fake program appends its arguments here
}

func newToolbox(t testing.TB) *toolbox {
	t.Helper()
	dir := t.TempDir()
	b := &toolbox{t: t, home: filepath.Join(dir, "home"), bin: filepath.Join(dir, "bin"), log: filepath.Join(dir, "calls.log")}
	for _, d := range []string{b.home, b.bin} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b.env = map[string]string{"PATH": b.bin, "HOME": b.home, "XDG_CONFIG_HOME": filepath.Join(b.home, ".config")}
	return b
}

func (b *toolbox) getenv(k string) string { return b.env[k] }

func (b *toolbox) helpers() *Helpers { return &Helpers{Getenv: b.getenv} }

// script writes an executable shell script named name into the bin folder.
func (b *toolbox) script(name, body string) {
	b.t.Helper()
	text := "#!/bin/sh\necho \"" + name + " $*\" >> '" + b.log + "'\n" + body
	if err := testbin.Write(filepath.Join(b.bin, name), []byte(text)); err != nil {
		b.t.Fatal(err)
	}
}

// gh is a fake GitHub CLI that has a token for each host of tokens and,
// like the real one, exits 1 for any other. It would also answer with
// GH_ENTERPRISE_TOKEN for any host, as the real one does, if it had it.
func (b *toolbox) gh(tokens map[string]string) {
	body := "[ \"$1 $2 $3\" = \"auth token --hostname\" ] || exit 2\n" +
		"if [ -n \"$GH_ENTERPRISE_TOKEN\" ]; then echo \"$GH_ENTERPRISE_TOKEN\"; exit 0; fi\n" +
		"case \"$4\" in\n"
	for host, token := range tokens {
		body += fmt.Sprintf("%s) echo %s ;;\n", host, token)
	}
	b.script("gh", body+"*) echo \"no oauth token found for $4\" >&2; exit 1 ;;\nesac\n")
}

// glab is a fake GitLab CLI: per host tokens under --host, and unscoped
// (possibly "") for a host it has none for or without --host, as the real
// one falls back to its top-level token.
func (b *toolbox) glab(tokens map[string]string, unscoped string) {
	body := "[ \"$1 $2 $3\" = \"config get token\" ] || exit 2\n" +
		"if [ -n \"$GITLAB_TOKEN\" ]; then echo \"$GITLAB_TOKEN\"; exit 0; fi\n" +
		"case \"$5\" in\n"
	for host, token := range tokens {
		body += fmt.Sprintf("%s) echo %s ;;\n", host, token)
	}
	b.script("glab", body+fmt.Sprintf("*) echo '%s' ;;\nesac\n", unscoped))
}

// git puts Debian's git on the bin folder and configures it, for the
// toolbox's home, with args as `git config --global` takes them.
func (b *toolbox) git(config ...[]string) {
	b.t.Helper()
	real, err := exec.LookPath("git")
	if err != nil {
		b.t.Fatalf("git not installed: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(b.bin, "git")); err != nil {
		if err := os.Symlink(real, filepath.Join(b.bin, "git")); err != nil {
			b.t.Fatal(err)
		}
	}
	for _, args := range config {
		cmd := exec.Command(real, append([]string{"config", "--global"}, args...)...)
		cmd.Env = []string{"HOME=" + b.home, "PATH=" + b.bin}
		if out, err := cmd.CombinedOutput(); err != nil {
			b.t.Fatalf("git config %v: %v\n%s", args, err, out)
		}
	}
}

// store keeps lines (https://user:token@host) in ~/.git-credentials for
// git's store helper.
func (b *toolbox) store(lines ...string) {
	b.t.Helper()
	b.git([]string{"credential.helper", "store"})
	if err := os.WriteFile(filepath.Join(b.home, ".git-credentials"), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		b.t.Fatal(err)
	}
}

// calls are the fake programs' runs so far.
func (b *toolbox) calls() []string {
	data, err := os.ReadFile(b.log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// TestTokenSources asks each source in its place in the order, with the
// real git and its store helper and fake gh and glab.
func TestTokenSources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(b *toolbox)
		tokens  Tokens
		trusted []string
		url     string
		want    Token
		problem string
	}{
		{name: "nothing anywhere", setup: func(b *toolbox) { b.gh(nil); b.glab(nil, ""); b.git() },
			url: "https://github.com/acme/repo", want: Token{}},
		{name: "GitHub CLI", setup: func(b *toolbox) { b.gh(map[string]string{"github.com": "gho_cli"}) },
			url: "https://github.com/acme/repo", want: Token{Secret: "gho_cli", Kind: FromGitHub, Source: "GitHub CLI token for github.com"}},
		{name: "GitHub CLI, host with a port", setup: func(b *toolbox) { b.gh(map[string]string{"ghe.example:8443": "ghe_cli"}) },
			url: "https://GHE.example:8443/acme/repo", want: Token{Secret: "ghe_cli", Kind: FromGitHub, Source: "GitHub CLI token for ghe.example:8443"}},
		{name: "GitHub CLI has none for this host", setup: func(b *toolbox) { b.gh(map[string]string{"github.com": "gho_cli"}) },
			url: "https://gitlab.com/acme/repo", want: Token{}},
		{name: "GitHub CLI's enterprise variable is not passed on", setup: func(b *toolbox) {
			b.gh(nil)
			b.env["GH_ENTERPRISE_TOKEN"] = "enterprise-for-any-host"
		}, url: "https://evil.example/acme/repo", want: Token{}},
		{name: "GitLab CLI", setup: func(b *toolbox) { b.gh(nil); b.glab(map[string]string{"gitlab.com": "glpat_cli"}, "") },
			url: "https://gitlab.com/acme/repo", want: Token{Secret: "glpat_cli", Kind: FromGitLab, Source: "GitLab CLI token for gitlab.com"}},
		{name: "GitLab CLI's unscoped token is not any host's", setup: func(b *toolbox) { b.glab(nil, "glpat_unscoped") },
			url: "https://evil.example/acme/repo", want: Token{}, problem: "GitLab CLI: its token for evil.example is the one outside any host's section, so it is not used"},
		{name: "GitLab CLI's variable is not passed on", setup: func(b *toolbox) {
			b.glab(nil, "")
			b.env["GITLAB_TOKEN"] = "gitlab-for-any-host"
		}, url: "https://evil.example/acme/repo", want: Token{}},
		{name: "git credential store", setup: func(b *toolbox) { b.gh(nil); b.glab(nil, ""); b.store("https://octo:store-token@github.com") },
			url: "https://github.com/acme/repo", want: Token{Secret: "store-token", Username: "octo", Kind: FromGitCreds, Source: "git credential helper"}},
		{name: "git credential store, another host's only", setup: func(b *toolbox) { b.store("https://octo:store-token@gitlab.com") },
			url: "https://github.com/acme/repo", want: Token{}},
		{name: "git credential store, https entry for an http URL", setup: func(b *toolbox) { b.store("https://octo:store-token@git.example") },
			url: "http://git.example/acme/repo", want: Token{}},
		{name: "a helper answering for another host", setup: func(b *toolbox) {
			b.git([]string{"credential.helper", "!f() { echo host=evil.example; echo username=x; echo password=stolen; }; f"})
		}, url: "https://github.com/acme/repo", want: Token{}, problem: `git credential helper answered for host "evil.example", not github.com: not used`},
		{name: "a helper answering for one path", setup: func(b *toolbox) {
			b.git([]string{"credential.helper", "!f() { echo path=acme/other.git; echo username=x; echo password=for-one-repo; }; f"})
		}, url: "https://github.com/acme/repo", want: Token{}, problem: "git credential helper answered for one path on github.com"},
		{name: "GitHub CLI before GitLab CLI before git", setup: func(b *toolbox) {
			b.gh(map[string]string{"git.example": "from-gh"})
			b.glab(map[string]string{"git.example": "from-glab"}, "")
			b.store("https://octo:from-store@git.example")
		}, url: "https://git.example/acme/repo", want: Token{Secret: "from-gh", Kind: FromGitHub, Source: "GitHub CLI token for git.example"}},
		{name: "GitLab CLI before git", setup: func(b *toolbox) {
			b.gh(nil)
			b.glab(map[string]string{"git.example": "from-glab"}, "")
			b.store("https://octo:from-store@git.example")
		}, url: "https://git.example/acme/repo", want: Token{Secret: "from-glab", Kind: FromGitLab, Source: "GitLab CLI token for git.example"}},
		{name: "the host's variable before the GitHub CLI", setup: func(b *toolbox) { b.gh(map[string]string{"github.com": "from-gh"}) },
			tokens: Tokens{ByHost: map[string]string{hostEnv("github.com"): "from-env"}},
			url:    "https://github.com/acme/repo", want: Token{Secret: "from-env", Kind: FromHostEnv, Source: "environment CALLBOARD_GIT_TOKEN_GITHUB_COM"}},
		{name: "the GitHub CLI before the all-hosts variable", setup: func(b *toolbox) { b.gh(map[string]string{"github.com": "from-gh"}) },
			tokens: Tokens{All: "from-all"}, trusted: []string{"github.com"},
			url: "https://github.com/acme/repo", want: Token{Secret: "from-gh", Kind: FromGitHub, Source: "GitHub CLI token for github.com"}},
		{name: "the all-hosts variable last, on a trusted host", setup: func(b *toolbox) { b.gh(nil); b.glab(nil, ""); b.git() },
			tokens: Tokens{All: "from-all"}, trusted: []string{"github.com"},
			url: "https://github.com/acme/repo", want: Token{Secret: "from-all", Kind: FromAllEnv, Source: "environment CALLBOARD_GIT_TOKEN (every trusted host)"}},
		{name: "a CLI answering two words", setup: func(b *toolbox) { b.gh(map[string]string{"github.com": `"two words"`}) },
			url: "https://github.com/acme/repo", want: Token{}, problem: "the answer is not a token"},
		{name: "a CLI answering too much", setup: func(b *toolbox) {
			b.script("gh", "i=0; while [ $i -lt 3000 ]; do echo 0123456789012345678901234567890123456789; i=$((i+1)); done\n")
		}, url: "https://github.com/acme/repo", want: Token{}, problem: "answered more than 65536 bytes"},
		{name: "ssh needs no token", setup: func(b *toolbox) { b.gh(map[string]string{"github.com": "gho_cli"}) },
			url: "ssh://git@github.com/acme/repo", want: Token{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := newToolbox(t)
			tt.setup(b)
			creds := Credentials{Tokens: tt.tokens, Helpers: b.helpers(), Trusted: trust(tt.trusted...)}
			got, err := creds.Token(context.Background(), tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Token (-want +got):\n%s", diff)
			}
			host, _ := Host(tt.url)
			st, err := creds.Status(context.Background(), host)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(tt.url, "https:") && (st.Kind != orNone(tt.want.Kind) || st.Source != orNone(tt.want.Source)) {
				t.Errorf("Status = %+v, want %s, %s", st, tt.want.Kind, tt.want.Source)
			}
			if tt.problem == "" && len(st.Problems) > 0 || !strings.Contains(strings.Join(st.Problems, "\n"), tt.problem) {
				t.Errorf("Status problems = %q, want %q", st.Problems, tt.problem)
			}
			if s := fmt.Sprintf("%v %+v %#v %s", got, got, got, got); got.Secret != "" && strings.Contains(s, got.Secret) {
				t.Errorf("a Token prints its secret: %s", s)
			}
		})
	}
}

// A helper that never answers is given up on, and the next source asked.
func TestCLITimeout(t *testing.T) {
	t.Parallel()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err)
	}
	b := newToolbox(t)
	b.script("gh", "exec '"+sleep+"' 60\n")
	b.store("https://octo:store-token@github.com")
	h := b.helpers()
	// The one timeout bounds every source: long enough for git's store
	// helper to answer on a loaded machine, which 200 ms was not.
	h.Timeout = 2 * time.Second
	got, problems := h.Token(context.Background(), "https", "github.com")
	if got.Secret != "store-token" || got.Kind != FromGitCreds {
		t.Errorf("Token = %+v, want the store's (problems %q)", got, problems)
	}
	if want := "GitHub CLI (gh auth token --hostname github.com): no answer within 2s"; !slices.Contains(problems, want) {
		t.Errorf("problems = %q, want %q", problems, want)
	}
}

// A git helper that hangs (its own child keeps git's output open) is
// killed with its process group.
func TestGitHelperTimeout(t *testing.T) {
	t.Parallel()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err)
	}
	b := newToolbox(t)
	b.git([]string{"credential.helper", "!f() { '" + sleep + "' 60; }; f"})
	h := b.helpers()
	h.Timeout = 200 * time.Millisecond
	got, problems := h.Token(context.Background(), "https", "github.com")
	if got.Secret != "" {
		t.Errorf("Token = %+v, want none", got)
	}
	if want := "git credential helper: no answer within 200ms"; !slices.Contains(problems, want) {
		t.Errorf("problems = %q, want %q", problems, want)
	}
}

// Answers are kept per host until forgotten; the programs are asked once
// however many ask at once.
func TestCredentialCache(t *testing.T) {
	t.Parallel()
	b := newToolbox(t)
	b.gh(map[string]string{"github.com": "first"})
	h := b.helpers()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, _ := h.Token(context.Background(), "https", "github.com"); got.Secret != "first" {
				t.Errorf("Token = %q, want first", got.Secret)
			}
		}()
	}
	wg.Wait()
	h.Token(context.Background(), "https", "gitlab.com")
	want := []string{"gh auth token --hostname github.com", "gh auth token --hostname gitlab.com"}
	if diff := cmp.Diff(want, b.calls()); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
	b.gh(map[string]string{"github.com": "renewed"})
	if got, _ := h.Token(context.Background(), "https", "github.com"); got.Secret != "first" {
		t.Errorf("Token before Forget = %q, want the kept first", got.Secret)
	}
	creds := Credentials{Helpers: h}
	creds.Failed("https://github.com/acme/repo", fmt.Errorf("fetch: %w", errNotInstalled))
	if got, _ := h.Token(context.Background(), "https", "github.com"); got.Secret != "first" {
		t.Errorf("Token after another failure = %q, want the kept first", got.Secret)
	}
	creds.Failed("https://github.com/acme/repo", explain(fmt.Errorf("authentication required"), "https://github.com/acme/repo"))
	if got, _ := h.Token(context.Background(), "https", "github.com"); got.Secret != "renewed" {
		t.Errorf("Token after the host refused it = %q, want renewed", got.Secret)
	}
	if got, _ := h.Token(context.Background(), "https", "gitlab.com"); got.Secret != "" || len(b.calls()) != 3 {
		t.Errorf("gitlab.com was asked again (%q): forgetting one host forgot another", b.calls())
	}
}

// The token the fake gh has for a loopback git http-backend clones it,
// and no other host is sent it.
func TestCloneWithGitHubCLIToken(t *testing.T) {
	t.Parallel()
	const token = "gho_fake_cli_token"
	repo := gittest.New(t)
	want := repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("x")})
	var mu sync.Mutex
	seen := map[string][]string{}
	serve := func() string {
		return gittest.HTTPBackend(t, filepath.Dir(repo.Dir), func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			mu.Lock()
			seen[r.Host] = append(seen[r.Host], r.Header.Get("Authorization"))
			mu.Unlock()
			if _, pass, ok := r.BasicAuth(); !ok || pass != token {
				w.Header().Set("WWW-Authenticate", `Basic realm="private"`)
				http.Error(w, "authentication required", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		}) + "/" + filepath.Base(repo.Dir)
	}
	url, otherURL := serve(), serve()
	host, _ := Host(url)
	otherHost, _ := Host(otherURL)
	b := newToolbox(t)
	b.gh(map[string]string{host: token})
	b.git()
	creds := Credentials{Helpers: b.helpers()}
	fetch := func(url string) error {
		auth, err := creds.AuthFor(context.Background(), url)
		if err != nil {
			return err
		}
		head, err := Fetch(context.Background(), Options{URL: url, Dir: filepath.Join(t.TempDir(), "clone"), Auth: auth})
		if err == nil && head.Commit.String() != want {
			t.Errorf("head = %s, want %s", head.Commit, want)
		}
		return err
	}
	if err := fetch(url); err != nil {
		t.Fatalf("clone with the GitHub CLI's token: %v", err)
	}
	if err := fetch(otherURL); err == nil || !strings.Contains(err.Error(), "gh auth login --hostname 127.0.0.1") {
		t.Errorf("clone from the other host = %v, want authentication required and what to do", err)
	}
	mu.Lock()
	defer mu.Unlock()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("callboard:"+token))
	if !slices.Contains(seen[host], basic) {
		t.Errorf("the host never got its token: %q", seen[host])
	}
	if len(seen[otherHost]) == 0 {
		t.Fatal("the other host saw no request: the test proves nothing")
	}
	for _, h := range seen[otherHost] {
		if h != "" {
			t.Errorf("the other host got Authorization %q", h)
		}
	}
	calls, wantCalls := b.calls(), []string{"gh auth token --hostname " + host, "gh auth token --hostname " + otherHost}
	slices.Sort(calls)
	slices.Sort(wantCalls)
	if diff := cmp.Diff(wantCalls, calls); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
}

// Programs are looked up only in the PATH given, and only in its absolute
// folders.
func TestLookPath(t *testing.T) {
	t.Parallel()
	b := newToolbox(t)
	b.gh(nil)
	if got, ok := lookPath("gh", "relative:"+b.bin); !ok || got != filepath.Join(b.bin, "gh") {
		t.Errorf("lookPath = %q, %v", got, ok)
	}
	if _, ok := lookPath("gh", "."+string(filepath.ListSeparator)); ok {
		t.Error("found gh in a relative folder")
	}
	if _, ok := lookPath("gh", ""); ok {
		t.Error("found gh with no PATH")
	}
}

func orNone(s string) string {
	if s == "" {
		return FromNone
	}
	return s
}

// FuzzParseCredential: whatever a helper answers, a token is taken only
// when every host, protocol and path line in it is for the host asked.
func FuzzParseCredential(f *testing.F) {
	for _, seed := range []string{
		"protocol=https\nhost=github.com\nusername=octo\npassword=secret\n",
		"protocol=https\nhost=evil.example\npassword=secret\n",
		"protocol=http\nhost=github.com\npassword=secret\n",
		"protocol=https\nhost=github.com\npath=acme/repo.git\npassword=secret\n",
		"host=github.com\nhost=evil.example\npassword=secret\n",
		"password=a\x00b\n",
		"no equals sign\n",
		"protocol=https\r\nhost=GitHub.com\r\npassword=secret\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, out []byte) {
		tok, err := parseCredential(out, "https", "github.com")
		if err != nil || tok.Secret == "" {
			return
		}
		for line := range strings.SplitSeq(string(out), "\n") {
			k, v, _ := strings.Cut(strings.TrimSuffix(line, "\r"), "=")
			if k == "host" && !strings.EqualFold(v, "github.com") || k == "protocol" && v != "https" || k == "path" && v != "" {
				t.Fatalf("took a token from an answer with %q", line)
			}
		}
		if strings.ContainsAny(tok.Secret+tok.Username, "\r\n\x00") {
			t.Fatalf("a token or user name with a line break or NUL: %q", tok.Secret)
		}
	})
}
