package gitfetch

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
)

// ErrSecretInURL marks a repository URL that carries a credential: a user
// name or password in an http(s) URL, or a query parameter named like a
// token. Such a URL would be stored, listed and logged, so it is refused.
var ErrSecretInURL = errors.New("the URL holds a secret")

// tokenHint says where tokens go instead of URLs.
const tokenHint = "store the token with `callboard token set HOST` (the OS keyring), or give it in " + TokenEnv + "_HOST or " + TokenEnv

// CheckURL refuses a repository URL that carries a credential. The error
// names what is wrong and where tokens go instead, never the secret: it
// wraps ErrSecretInURL. Local paths and scp-like ssh addresses
// (git@host:path, whose user is the ssh login) pass.
func CheckURL(raw string) error {
	if !strings.Contains(raw, "://") {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse quotes the URL in its error; only the reason is kept.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return fmt.Errorf("not a repository URL: %w", err)
	}
	where := u.Scheme + "://" + u.Host
	if u.User != nil {
		_, hasPassword := u.User.Password()
		// ssh logs in as the URL's user (ssh://git@host/…), which is no
		// secret; anywhere else a user name is how tokens get pasted in.
		if hasPassword || u.Scheme != "ssh" && u.Scheme != "git+ssh" && u.Scheme != "ssh+git" {
			return fmt.Errorf("%w: %s has a user name or password before the host; take it out and %s", ErrSecretInURL, where, strings.ReplaceAll(tokenHint, "HOST", u.Host))
		}
	}
	for _, part := range []string{u.RawQuery, u.Fragment} {
		q, _ := url.ParseQuery(part) // keys of a malformed query still count
		for key := range q {
			if secretKey(key) {
				return fmt.Errorf("%w: %s has %q in its query; take it out and %s", ErrSecretInURL, where, key, strings.ReplaceAll(tokenHint, "HOST", u.Host))
			}
		}
	}
	return nil
}

// secretKey tells a query parameter that holds a credential: token,
// access_token, private_token, key, sig, password, secret, auth and their
// kin (X-Amz-Signature, api-key, client_secret, …).
func secretKey(key string) bool {
	k := strings.ReplaceAll(strings.ToLower(key), "-", "_")
	switch k {
	case "key", "sig", "auth", "pwd", "pass", "session", "jwt", "bearer":
		return true
	}
	for _, word := range []string{"token", "secret", "password", "passwd", "signature", "credential", "apikey", "api_key", "access_key", "private_key"} {
		if strings.Contains(k, word) {
			return true
		}
	}
	return strings.HasSuffix(k, "_key") || strings.HasSuffix(k, "_sig") || strings.HasSuffix(k, "_auth") || strings.HasPrefix(k, "auth_")
}

// Redact is raw fit to show or log: a URL's user information, query and
// fragment are replaced by "REDACTED" when CheckURL refuses it.
func Redact(raw string) string {
	if CheckURL(raw) == nil {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(a URL that cannot be shown)"
	}
	if u.User != nil {
		u.User = url.User("REDACTED")
	}
	if u.RawQuery != "" {
		u.RawQuery = "REDACTED"
	}
	if u.Fragment != "" {
		u.Fragment, u.RawFragment = "REDACTED", ""
	}
	return u.String()
}

// Host names the server a network repository URL reaches, the way tokens
// and trusted hosts are filed: lower case, with the port when it is not
// the protocol's own (github.com, git.example:8443). A local path has no
// host: ok is false.
func Host(raw string) (host string, ok bool) {
	ep, err := transport.NewEndpoint(raw)
	if err != nil || ep.Host == "" || ep.Protocol == "file" {
		return "", false
	}
	host = strings.ToLower(ep.Host)
	if ep.Port != 0 && ep.Port != defaultPort(ep.Protocol) {
		host = fmt.Sprintf("%s:%d", host, ep.Port)
	}
	return host, true
}

func defaultPort(protocol string) int {
	switch protocol {
	case "https":
		return 443
	case "http":
		return 80
	case "ssh":
		return 22
	case "git":
		return 9418
	}
	return 0
}
