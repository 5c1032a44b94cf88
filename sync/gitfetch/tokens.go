package gitfetch

import (
	"fmt"
	"os"
	"strings"
)

// Tokens are the https tokens the environment gave at start, kept in
// memory only: the all-hosts token, and per-host ones by variable name.
type Tokens struct {
	// All is CALLBOARD_GIT_TOKEN: it goes only to trusted hosts
	// (Credentials.Trusted).
	All string
	// ByHost holds CALLBOARD_GIT_TOKEN_<HOST> by variable name; each goes
	// only to its host.
	ByHost map[string]string
}

// forHost is the per-host token for host (without port), or "".
func (t Tokens) forHost(host string) string { return t.ByHost[hostEnv(host)] }

// TokensFromEnv reads the tokens out of environ (KEY=VALUE entries, as
// os.Environ gives them) and names the variables they came from.
func TokensFromEnv(environ []string) (Tokens, []string) {
	var t Tokens
	var names []string
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || (k != TokenEnv && !strings.HasPrefix(k, TokenEnv+"_")) {
			continue
		}
		names = append(names, k)
		if v == "" {
			continue
		}
		if k == TokenEnv {
			t.All = v
			continue
		}
		if t.ByHost == nil {
			t.ByHost = map[string]string{}
		}
		t.ByHost[k] = v
	}
	return t, names
}

// TakeTokens reads the tokens from the process environment and removes
// them from it, before any child process starts: plugins run as the same
// user and could read them from /proc/<pid>/environ, which os.Unsetenv
// alone does not change (it shows the environment the process started
// with), so on Linux the values are overwritten there too. The tokens are
// returned even when that fails.
func TakeTokens() (Tokens, error) {
	t, names := TokensFromEnv(os.Environ())
	for _, k := range names {
		if err := os.Unsetenv(k); err != nil {
			return t, fmt.Errorf("remove %s from the environment: %w", k, err)
		}
	}
	if len(names) == 0 {
		return t, nil
	}
	if err := scrubStartEnviron(names); err != nil {
		return t, fmt.Errorf("remove %s from the environment the process started with: %w", strings.Join(names, ", "), err)
	}
	return t, nil
}
