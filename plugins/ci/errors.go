package ci

import "errors"

// Errors of a runs fetch; each is wrapped with the reason, which never holds
// the token.
var (
	// errUnavailable is a GitHub that could not answer: no network, no
	// answer in time, a 5xx, a rate limit or an answer that is not the API's.
	// Cached runs stand in.
	errUnavailable = errors.New("GitHub API unavailable")
	// errRefused is a 401 or 403 that is not a rate limit.
	errRefused = errors.New("GitHub refused the token")
	// errNotFound is a 404: no such repository, or the token cannot see it.
	errNotFound = errors.New("repository not found")
	// errAPI is any other answer GitHub gave that is not runs.
	errAPI = errors.New("GitHub API error")
)
