package gitfetch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
)

// Credentials finds how to authenticate to a remote: https tokens from
// the environment read at start (TakeTokens), the OS keyring and the
// user's own tools (Helpers), ssh through the user's agent or keys with
// known_hosts checking. Nothing is stored by Callboard; tokens never
// appear in errors or logs (go-git's BasicAuth prints its password masked).
type Credentials struct {
	// Tokens are the environment's tokens, read once at start.
	Tokens Tokens
	// Getenv gives SSH_AUTH_SOCK and SSH_KNOWN_HOSTS; nil reads none.
	Getenv func(string) string
	// Home is the user's home, for ~/.ssh; empty leaves ssh to the agent.
	Home string
	// Keyring, when set, is asked for a host's token after the environment.
	Keyring *Keyring
	// Helpers, when set, asks the GitHub CLI, the GitLab CLI and git's
	// credential helpers after the keyring.
	Helpers *Helpers
	// Trusted says whether host (as Host names it) may receive the
	// all-hosts token: the user has a location on it or trusts it in
	// Settings. Nil trusts no host.
	Trusted func(ctx context.Context, host string) (bool, error)
}

// TokenEnv is the variable holding an https token for every trusted host;
// TokenEnv+"_"+HOST (e.g. CALLBOARD_GIT_TOKEN_GITHUB_COM) is one host's
// and wins there.
const TokenEnv = "CALLBOARD_GIT_TOKEN"

// hostEnv is the per-host token variable: letters and digits upper-cased,
// anything else an underscore.
func hostEnv(host string) string {
	var b strings.Builder
	b.WriteString(TokenEnv + "_")
	for _, r := range strings.ToUpper(host) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// AuthFor returns the auth method for url, or nil when none is needed or
// known; Token says which https token. A URL holding a secret is refused
// (ErrSecretInURL).
func (c Credentials) AuthFor(ctx context.Context, url string) (transport.AuthMethod, error) {
	if err := CheckURL(url); err != nil {
		return nil, err
	}
	ep, err := transport.NewEndpoint(url)
	if err != nil {
		return nil, nil // a local path: nothing to authenticate
	}
	getenv := c.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	switch ep.Protocol {
	case "http", "https":
		token, _, err := c.token(ctx, ep)
		if err != nil || token.Secret == "" {
			return nil, err
		}
		user := token.Username
		if user == "" {
			user = "callboard" // GitHub and GitLab accept any user name with a token
		}
		return &githttp.BasicAuth{Username: user, Password: token.Secret}, nil
	case "ssh":
		return c.sshAuth(ep, getenv)
	}
	return nil, nil
}

// Token is the https token for url's host, from the first source that has
// one: the host's own CALLBOARD_GIT_TOKEN_<HOST>, the OS keyring, the
// GitHub CLI, the GitLab CLI, git's credential helpers, and last the
// all-hosts CALLBOARD_GIT_TOKEN if the host is trusted. Every source but
// the last is the host's own, so a token goes only to the host it is for.
// Without one, the Token has no Secret.
func (c Credentials) Token(ctx context.Context, url string) (Token, error) {
	if err := CheckURL(url); err != nil {
		return Token{}, err
	}
	ep, err := transport.NewEndpoint(url)
	if err != nil || ep.Protocol != "http" && ep.Protocol != "https" {
		return Token{}, nil
	}
	t, _, err := c.token(ctx, ep)
	return t, err
}

// Status says where host's https token comes from, without the token.
func (c Credentials) Status(ctx context.Context, host string) (Status, error) {
	ep, err := transport.NewEndpoint("https://" + host + "/")
	if err != nil {
		return Status{}, fmt.Errorf("%q is not a host name: %w", host, err)
	}
	t, problems, err := c.token(ctx, ep)
	if err != nil {
		return Status{}, err
	}
	if t.Secret == "" {
		return Status{Kind: FromNone, Source: FromNone, Problems: problems}, nil
	}
	return Status{Kind: t.Kind, Source: t.Source, Problems: problems}, nil
}

// Forget drops what the credential programs answered for url's host, so
// the next AuthFor asks them again; Failed calls it after a refusal.
func (c Credentials) Forget(url string) {
	if ep, err := transport.NewEndpoint(url); err == nil {
		c.Helpers.Forget(helperHost(ep))
	}
}

// Failed tells the credentials that a fetch or push to url failed with
// err: when the host refused the token, the programs' answers for it are
// forgotten, so a token renewed since (gh auth refresh) is asked for.
func (c Credentials) Failed(url string, err error) {
	if err != nil && AuthFailed(err) {
		c.Forget(url)
	}
}

func (c Credentials) token(ctx context.Context, ep *transport.Endpoint) (Token, []string, error) {
	if s := c.Tokens.forHost(ep.Host); s != "" {
		return Token{Secret: s, Kind: FromHostEnv, Source: "environment " + hostEnv(ep.Host)}, nil, nil
	}
	if c.Keyring != nil {
		s, err := c.Keyring.Token(hostPort(ep))
		if err != nil {
			return Token{}, nil, err
		}
		if s != "" {
			return Token{Secret: s, Kind: FromKeyring, Source: "OS keyring"}, nil, nil
		}
	}
	t, problems := c.Helpers.Token(ctx, ep.Protocol, helperHost(ep))
	if t.Secret != "" {
		return t, problems, nil
	}
	if c.Tokens.All != "" {
		s, err := c.allHostsToken(ctx, ep.String())
		if err != nil {
			return Token{}, problems, err
		}
		if s != "" {
			return Token{Secret: s, Kind: FromAllEnv, Source: "environment " + TokenEnv + " (every trusted host)"}, problems, nil
		}
	}
	return Token{}, problems, nil
}

// allHostsToken is the all-hosts token when url's host is trusted, else "".
func (c Credentials) allHostsToken(ctx context.Context, url string) (string, error) {
	host, ok := Host(url)
	if !ok || c.Trusted == nil {
		return "", nil
	}
	trusted, err := c.Trusted(ctx, host)
	if err != nil {
		return "", fmt.Errorf("tell whether %s is a trusted git host: %w", host, err)
	}
	if !trusted {
		return "", nil
	}
	return c.Tokens.All, nil
}

// helperHost is the host as the credential programs are asked about it:
// lower case, with its port when the URL gives one.
func helperHost(ep *transport.Endpoint) string { return strings.ToLower(hostPort(ep)) }

// hostPort names a host the way tokens are filed: with its port when the
// URL gives one.
func hostPort(ep *transport.Endpoint) string {
	if ep.Port != 0 && ep.Port != 443 && ep.Port != 80 {
		return fmt.Sprintf("%s:%d", ep.Host, ep.Port)
	}
	return ep.Host
}

func (c Credentials) sshAuth(ep *transport.Endpoint, getenv func(string) string) (transport.AuthMethod, error) {
	user := ep.User
	if user == "" {
		user = "git"
	}
	var hostsFiles []string
	if f := getenv("SSH_KNOWN_HOSTS"); f != "" {
		hostsFiles = append(hostsFiles, f)
	} else if c.Home != "" {
		hostsFiles = append(hostsFiles, filepath.Join(c.Home, ".ssh", "known_hosts"))
	}
	for _, f := range hostsFiles {
		if _, err := os.Stat(f); err != nil {
			return nil, fmt.Errorf("ssh to %s: no known_hosts file at %s to check the server's key; run `ssh %s@%s` once to trust it", ep.Host, f, user, ep.Host)
		}
	}
	hostKeys, err := gitssh.NewKnownHostsCallback(hostsFiles...)
	if err != nil {
		return nil, fmt.Errorf("ssh to %s: read known_hosts: %w", ep.Host, err)
	}
	if getenv("SSH_AUTH_SOCK") != "" {
		auth, err := gitssh.NewSSHAgentAuth(user)
		if err != nil {
			return nil, fmt.Errorf("ssh to %s: use the ssh agent: %w", ep.Host, err)
		}
		auth.HostKeyCallback = hostKeys
		return auth, nil
	}
	if c.Home == "" {
		return nil, fmt.Errorf("ssh to %s: no ssh agent (SSH_AUTH_SOCK) and no home folder with keys", ep.Host)
	}
	for _, name := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
		key := filepath.Join(c.Home, ".ssh", name)
		if _, err := os.Stat(key); err != nil {
			continue
		}
		auth, err := gitssh.NewPublicKeysFromFile(user, key, "")
		if err != nil {
			return nil, fmt.Errorf("ssh to %s: key %s cannot be used without its passphrase; add it to your ssh agent (ssh-add): %w", ep.Host, key, err)
		}
		auth.HostKeyCallback = hostKeys
		return auth, nil
	}
	return nil, fmt.Errorf("ssh to %s: no ssh agent (SSH_AUTH_SOCK) and no key in %s", ep.Host, filepath.Join(c.Home, ".ssh"))
}

// AuthFailed reports whether err is a remote's refusal of the
// credentials given (or of none).
func AuthFailed(err error) bool {
	// go-git does not always wrap its sentinels (a PermanentError hides them), so its words count too.
	msg := err.Error()
	return errors.Is(err, transport.ErrAuthenticationRequired) || errors.Is(err, transport.ErrAuthorizationFailed) ||
		strings.Contains(msg, transport.ErrAuthenticationRequired.Error()) || strings.Contains(msg, transport.ErrAuthorizationFailed.Error())
}

// TokenHint says how to give host (as Host names it) an https token.
func TokenHint(host string) string {
	name := host
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
		name = h
	}
	return fmt.Sprintf("store an https token in the OS keyring with `callboard token set %s`, or log in with `gh auth login --hostname %s` or `glab auth login --hostname %s`, or keep one in a git credential helper, or give one in %s, or in %s if %s is a trusted git host (a location's host, or listed in Settings)",
		host, name, name, hostEnv(name), TokenEnv, host)
}

// explain adds what to do to an authentication failure.
func explain(err error, url string) error {
	if !AuthFailed(err) {
		return err
	}
	host := url
	if ep, perr := transport.NewEndpoint(url); perr == nil {
		host = hostPort(ep)
	}
	return hintError{err, TokenHint(host)}
}

// hintError is an error with what to do about it; servers' replies end in
// newlines, which are trimmed so the hint reads on the same line.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return strings.TrimSpace(e.err.Error()) + ": " + e.hint }

func (e hintError) Unwrap() error { return e.err }
