package remote

import (
	"context"

	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/callboard/callboard/sync/gitfetch"
)

// GitTokens returns the Options.Token of Callboard's git credentials: a
// host gets the https token a clone from it would (its own from the
// environment, the OS keyring, the GitHub or GitLab CLI or git's
// credential helpers, or the all-hosts token when the host is trusted),
// and nothing else.
func GitTokens(c gitfetch.Credentials) func(ctx context.Context, host string) (string, error) {
	return func(ctx context.Context, host string) (string, error) {
		auth, err := c.AuthFor(ctx, "https://"+host+"/")
		if err != nil {
			return "", err
		}
		if basic, ok := auth.(*githttp.BasicAuth); ok {
			return basic.Password, nil
		}
		return "", nil
	}
}

// GitRefused returns the Options.Refused of Callboard's git credentials:
// a host that refused its token has the credential programs' answers for
// it forgotten, as a refused fetch has (gitfetch.Credentials.Failed), so
// a token renewed since (gh auth refresh) is asked for.
func GitRefused(c gitfetch.Credentials) func(host string) {
	return func(host string) { c.Forget("https://" + host + "/") }
}
