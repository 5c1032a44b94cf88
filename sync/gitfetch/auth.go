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

// Credentials finds how to authenticate to a remote: https tokens read
// from the environment at start (TakeTokens) or from the OS keyring, ssh
// through the user's agent or keys with known_hosts checking. Nothing is
// stored by Callboard; tokens never appear in errors or logs (go-git's
// BasicAuth prints its password masked).
type Credentials struct {
	// Tokens are the environment's tokens, read once at start.
	Tokens Tokens
	// Getenv gives SSH_AUTH_SOCK and SSH_KNOWN_HOSTS; nil reads none.
	Getenv func(string) string
	// Home is the user's home, for ~/.ssh; empty leaves ssh to the agent.
	Home string
	// Keyring, when set, is asked for a host's token after the environment.
	Keyring *Keyring
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
// known. A host's own token (CALLBOARD_GIT_TOKEN_<HOST>, then the keyring)
// goes to that host only; the all-hosts token only to a trusted host. A
// URL holding a secret is refused (ErrSecretInURL).
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
		token := c.Tokens.forHost(ep.Host)
		if token == "" && c.Tokens.All != "" {
			if token, err = c.allHostsToken(ctx, url); err != nil {
				return nil, err
			}
		}
		if token == "" && c.Keyring != nil {
			if token, err = c.Keyring.Token(hostPort(ep)); err != nil {
				return nil, err
			}
		}
		if token == "" {
			return nil, nil
		}
		user := ep.User
		if user == "" {
			user = "callboard" // GitHub and GitLab accept any user name with a token
		}
		return &githttp.BasicAuth{Username: user, Password: token}, nil
	case "ssh":
		return c.sshAuth(ep, getenv)
	}
	return nil, nil
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

// explain adds what to do to an authentication failure.
func explain(err error, url string) error {
	// go-git does not always wrap its sentinels (a PermanentError hides them), so its words count too.
	msg := err.Error()
	if errors.Is(err, transport.ErrAuthenticationRequired) || errors.Is(err, transport.ErrAuthorizationFailed) ||
		strings.Contains(msg, transport.ErrAuthenticationRequired.Error()) || strings.Contains(msg, transport.ErrAuthorizationFailed.Error()) {
		host, keyed := url, url
		if ep, perr := transport.NewEndpoint(url); perr == nil {
			host, keyed = ep.Host, hostPort(ep)
		}
		return hintError{err, fmt.Sprintf("store an https token in the OS keyring with `callboard token set %s`, or give one in %s, or in %s if %s is a trusted git host (a location's host, or listed in Settings)", keyed, hostEnv(host), TokenEnv, keyed)}
	}
	return err
}

// hintError is an error with what to do about it; servers' replies end in
// newlines, which are trimmed so the hint reads on the same line.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return strings.TrimSpace(e.err.Error()) + ": " + e.hint }

func (e hintError) Unwrap() error { return e.err }
