package gitfetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// DefaultHelperTimeout bounds each program Helpers runs: long enough for a
// keychain read, short enough that a helper waiting for a person who is
// not there does not hold up a sync for long.
const DefaultHelperTimeout = 5 * time.Second

// maxHelperOutput bounds what a program may answer; a token is a few
// hundred bytes.
const maxHelperOutput = 64 << 10

// errNotInstalled means the program is not on the PATH: not a problem,
// the source is simply not there.
var errNotInstalled = errors.New("not installed")

// helperEnv are the variables the programs get from the app's
// environment: where they live, their configuration, the keyring's bus.
// Left out on purpose: GH_ENTERPRISE_TOKEN and GITHUB_ENTERPRISE_TOKEN,
// which gh hands out for any host not github.com, and GITLAB_TOKEN,
// GITLAB_ACCESS_TOKEN and OAUTH_TOKEN, which glab hands out for any host
// at all; either would send one host's token to another. gh gives
// GH_TOKEN and GITHUB_TOKEN to github.com (and GitHub's own *.ghe.com)
// only, so those pass.
var helperEnv = []string{
	"PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TMPDIR",
	"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS",
	"GH_CONFIG_DIR", "GH_TOKEN", "GITHUB_TOKEN", "GLAB_CONFIG_DIR",
	"GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_EXEC_PATH",
	"SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy",
	// Windows
	"SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT", "USERPROFILE", "HOMEDRIVE", "HOMEPATH", "APPDATA", "LOCALAPPDATA",
	"PROGRAMDATA", "PROGRAMFILES", "TEMP", "TMP",
}

// noPrompt keeps every program from asking a person: git neither opens the
// terminal nor runs an askpass program, Git Credential Manager shows no
// window, gh and glab do not prompt.
var noPrompt = []string{"GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "GCM_INTERACTIVE=never", "GH_PROMPT_DISABLED=1", "GH_NO_UPDATE_NOTIFIER=1", "NO_PROMPT=true"}

// Helpers asks the user's own tools for a host's https token, in this
// order: the GitHub CLI (gh auth token --hostname H), the GitLab CLI
// (glab config get token --host H), and git's credential helpers (git
// credential fill: the macOS keychain, Windows Credential Manager,
// libsecret, the store file). Each runs with a timeout, without a
// terminal, with stdin holding the request alone, and in an environment
// of the variables helperEnv names; output is bounded. Answers, "none"
// included, are kept in memory per host for the life of the process
// (Forget drops a host's) and written nowhere. Safe for concurrent use.
type Helpers struct {
	// Getenv gives the programs' environment and the PATH they are found
	// on (so tests need not change the process's); nil runs none.
	Getenv func(string) string
	// Timeout bounds each program; 0 is DefaultHelperTimeout.
	Timeout time.Duration

	mu      sync.Mutex
	answers map[helperKey]*answer
}

// helperKey is what an answer is filed under: git's helpers answer per
// protocol, the CLIs per host.
type helperKey struct{ protocol, host string }

// answer is one host's, shared by those asking at once: done is closed
// once token and problems are set.
type answer struct {
	done     chan struct{}
	token    Token
	problems []string
}

// Token returns host's token from the first program that has one, or a
// Token with no Secret; problems say which programs failed (timed out,
// answered for another host), in words. protocol is the URL's, http or
// https; host is lower case, with its port when not the protocol's own.
func (h *Helpers) Token(ctx context.Context, protocol, host string) (Token, []string) {
	if h == nil || h.Getenv == nil {
		return Token{}, nil
	}
	key := helperKey{protocol, host}
	h.mu.Lock()
	a, ok := h.answers[key]
	if !ok {
		if h.answers == nil {
			h.answers = map[helperKey]*answer{}
		}
		a = &answer{done: make(chan struct{})}
		h.answers[key] = a
	}
	h.mu.Unlock()
	if !ok {
		a.token, a.problems = h.ask(ctx, protocol, host)
		if ctx.Err() != nil {
			// Cut short by the caller, not the programs' answer: ask again next time.
			h.drop(func(k helperKey, v *answer) bool { return k == key && v == a })
		}
		close(a.done)
	}
	select {
	case <-a.done:
		return a.token, a.problems
	case <-ctx.Done():
		return Token{}, []string{ctx.Err().Error()}
	}
}

// Forget drops what the programs answered for host (as Token takes it),
// so the next Token asks them again: after the host refused the token, or
// the user logged in anew.
func (h *Helpers) Forget(host string) {
	if h == nil {
		return
	}
	h.drop(func(k helperKey, _ *answer) bool { return k.host == host })
}

func (h *Helpers) drop(match func(helperKey, *answer) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, v := range h.answers {
		if match(k, v) {
			delete(h.answers, k)
		}
	}
}

func (h *Helpers) ask(ctx context.Context, protocol, host string) (Token, []string) {
	if !safeHost(host) {
		return Token{}, []string{fmt.Sprintf("%q is not a host name the credential programs can be asked about", clip(host))}
	}
	var problems []string
	for _, source := range []func(context.Context, string, string) (Token, error){h.gh, h.glab, h.gitCredential} {
		t, err := source(ctx, protocol, host)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if t.Secret != "" {
			return t, problems
		}
	}
	return Token{}, problems
}

// gh asks the GitHub CLI; it exits non-zero when it has no token for host.
func (h *Helpers) gh(ctx context.Context, _, host string) (Token, error) {
	out, err := h.run(ctx, "gh", nil, "auth", "token", "--hostname", host)
	var exit *exec.ExitError
	if errors.Is(err, errNotInstalled) || errors.As(err, &exit) {
		return Token{}, nil
	}
	if err != nil {
		return Token{}, fmt.Errorf("GitHub CLI (gh auth token --hostname %s): %w", host, err)
	}
	secret, err := tokenLine(out)
	if err != nil {
		return Token{}, fmt.Errorf("GitHub CLI (gh auth token --hostname %s): %w", host, err)
	}
	return Token{Secret: secret, Kind: FromGitHub, Source: "GitHub CLI token for " + host}, nil
}

// glab asks the GitLab CLI. For a host it has no token for, glab answers
// with a token kept outside any host's section, if it has one: that one
// is not known to be this host's, so it is not taken.
func (h *Helpers) glab(ctx context.Context, _, host string) (Token, error) {
	get := func(args ...string) (string, error) {
		out, err := h.run(ctx, "glab", nil, append([]string{"config", "get", "token"}, args...)...)
		var exit *exec.ExitError
		if errors.Is(err, errNotInstalled) || errors.As(err, &exit) {
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("GitLab CLI (glab config get token %s): %w", strings.Join(args, " "), err)
		}
		secret, err := tokenLine(out)
		if err != nil {
			return "", fmt.Errorf("GitLab CLI (glab config get token %s): %w", strings.Join(args, " "), err)
		}
		return secret, nil
	}
	secret, err := get("--host", host)
	if err != nil || secret == "" {
		return Token{}, err
	}
	unscoped, err := get()
	if err != nil {
		return Token{}, err
	}
	if unscoped == secret {
		return Token{}, fmt.Errorf("GitLab CLI: its token for %s is the one outside any host's section, so it is not used; log in to %s with `glab auth login --hostname %s`", host, host, host)
	}
	return Token{Secret: secret, Kind: FromGitLab, Source: "GitLab CLI token for " + host}, nil
}

// gitCredential asks git's credential helpers. git exits non-zero when
// none has an answer and it may not prompt.
func (h *Helpers) gitCredential(ctx context.Context, protocol, host string) (Token, error) {
	req := "protocol=" + protocol + "\nhost=" + host + "\n\n"
	out, err := h.run(ctx, "git", []byte(req), "credential", "fill")
	var exit *exec.ExitError
	if errors.Is(err, errNotInstalled) || errors.As(err, &exit) {
		return Token{}, nil
	}
	if err != nil {
		return Token{}, fmt.Errorf("git credential helper: %w", err)
	}
	return parseCredential(out, protocol, host)
}

// parseCredential reads git credential fill's answer for protocol://host.
// An answer for another protocol or host, or for one path only
// (credential.useHttpPath), is refused: it belongs elsewhere.
func parseCredential(out []byte, protocol, host string) (Token, error) {
	var t Token
	for line := range strings.SplitSeq(strings.TrimRight(string(out), "\n"), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.ContainsRune(v, 0) {
			return Token{}, errors.New("git credential helper: an answer git does not write (a line without '=')")
		}
		switch k {
		case "protocol":
			if v != protocol {
				return Token{}, fmt.Errorf("git credential helper answered for %s, not %s: not used", clip(v), protocol)
			}
		case "host":
			if !strings.EqualFold(v, host) {
				return Token{}, fmt.Errorf("git credential helper answered for host %q, not %s: not used", clip(v), host)
			}
		case "path":
			if v != "" {
				return Token{}, fmt.Errorf("git credential helper answered for one path on %s, not the whole host: not used", host)
			}
		case "username":
			t.Username = v
		case "password":
			t.Secret = v
		}
	}
	if t.Secret == "" {
		return Token{}, nil
	}
	if strings.ContainsAny(t.Secret+t.Username, "\r\n") {
		return Token{}, errors.New("git credential helper: a password or user name with a line break")
	}
	t.Kind, t.Source = FromGitCreds, "git credential helper"
	return t, nil
}

// tokenLine is a CLI's answer: one line, no spaces or control characters.
func tokenLine(out []byte) (string, error) {
	s := strings.TrimSpace(string(out))
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "", errors.New("the answer is not a token (more than one word)")
	}
	return s, nil
}

// safeHost says host can go into a request line: a DNS name, IPv4 or
// bracketed IPv6 address, with a port.
func safeHost(host string) bool {
	if host == "" || len(host) > 255 {
		return false
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune(".-:[]_", r)) {
			return false
		}
	}
	return !strings.HasPrefix(host, "-")
}

// clip shortens what a program said, for a message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// run runs the program name with args, found on the PATH Getenv gives,
// and returns its output; stdin is its whole input.
func (h *Helpers) run(ctx context.Context, name string, stdin []byte, args ...string) ([]byte, error) {
	path, ok := lookPath(name, h.Getenv("PATH"))
	if !ok {
		return nil, errNotInstalled
	}
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = DefaultHelperTimeout
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, path, args...)
	cmd.Env = h.environ()
	// The filesystem's root: no repository's configuration (glab's or
	// git's) is read from wherever the app was started.
	cmd.Dir = filepath.VolumeName(os.TempDir()) + string(filepath.Separator)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out := &cappedBuffer{max: maxHelperOutput}
	cmd.Stdout = out
	// A helper's own children may keep the output open after it is killed.
	cmd.WaitDelay = time.Second
	detach(cmd)
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if runCtx.Err() != nil {
		return nil, fmt.Errorf("no answer within %s", timeout)
	}
	if err != nil {
		return nil, err
	}
	if out.over {
		return nil, fmt.Errorf("answered more than %d bytes", maxHelperOutput)
	}
	return out.buf.Bytes(), nil
}

// environ is the programs' environment: helperEnv's variables that are
// set, and noPrompt.
func (h *Helpers) environ() []string {
	env := make([]string, 0, len(helperEnv)+len(noPrompt))
	for _, k := range helperEnv {
		if v := h.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return append(env, noPrompt...)
}

// lookPath finds name in the absolute folders of path; relative ones
// (".", "") are skipped, so nothing runs from the current folder.
func lookPath(name, path string) (string, bool) {
	for _, dir := range filepath.SplitList(path) {
		if !filepath.IsAbs(dir) {
			continue
		}
		if found, err := exec.LookPath(filepath.Join(dir, name)); err == nil {
			return found, true
		}
	}
	return "", false
}

// cappedBuffer keeps the first max bytes written and notes the rest, which
// it reads and drops so the program is not blocked writing. The buffer is
// a field, not embedded: io.Copy would use its ReadFrom and pass Write by.
type cappedBuffer struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); len(p) > room {
		b.over = true
		if room > 0 {
			b.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return b.buf.Write(p)
}
