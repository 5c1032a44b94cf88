package gitfetch

import "log/slog"

// Source kinds: where a host's https token came from, in the order
// Credentials asks.
const (
	FromHostEnv  = "env"            // CALLBOARD_GIT_TOKEN_<HOST>
	FromKeyring  = "keyring"        // callboard token set
	FromGitHub   = "gh"             // gh auth token --hostname H
	FromGitLab   = "glab"           // glab config get token --host H
	FromGitCreds = "git-credential" // git credential fill
	FromAllEnv   = "env-all"        // CALLBOARD_GIT_TOKEN, trusted hosts only
	FromNone     = "none"
)

// Token is an https token for one host and where it came from. It prints
// as its source, never its secret.
type Token struct {
	// Secret is the token (the password of Basic auth).
	Secret string
	// Username goes with it; "" lets the caller choose.
	Username string
	// Kind is one of the From* constants.
	Kind string
	// Source says where it came from for a person: "GitHub CLI token for
	// github.com", "environment CALLBOARD_GIT_TOKEN_GITHUB_COM".
	Source string
}

// String is the token's source, so a Token logged or printed by mistake
// shows no secret.
func (t Token) String() string { return t.Source }

// GoString keeps %#v from printing the secret too.
func (t Token) GoString() string { return "gitfetch.Token{Source: " + t.Source + "}" }

// LogValue logs the source alone.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.Source) }

// Status is where a host's https token comes from, without the token:
// what Settings and `callboard token status` show.
type Status struct {
	// Kind is one of the From* constants; FromNone when no source has one.
	Kind string
	// Source says where it came from for a person, or "none".
	Source string
	// Problems are the sources that could not be asked (a helper that
	// timed out, a keyring that failed), in words.
	Problems []string
}
