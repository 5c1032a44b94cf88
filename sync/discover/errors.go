package discover

import (
	"errors"
	"fmt"
	"time"
)

var (
	// ErrBadSource marks a source URL or filter that cannot be used.
	ErrBadSource = errors.New("not an organisation Callboard can discover")
	// ErrTooMany marks a listing past Options.MaxRepos, or an org past
	// Options.MaxTeams or Options.MaxPeople.
	ErrTooMany = errors.New("too many to list")
	// ErrTooLarge marks a response body past Options.MaxBody.
	ErrTooLarge = errors.New("response too large")
	// ErrRateLimited marks a request the forge refused for its rate limit
	// when waiting for it would outlast the context or the retries.
	ErrRateLimited = errors.New("rate limited")
	// ErrAuth marks a token the forge refused (401), or none where one is
	// needed.
	ErrAuth = errors.New("the forge refused the credentials")
	// ErrNotFound marks an organisation or group that does not exist or
	// that the token cannot see.
	ErrNotFound = errors.New("no such organisation")
	// ErrScope marks a token without a scope the request needs; the
	// error is a *ScopeError naming it.
	ErrScope = errors.New("the token lacks a scope")
)

// ScopeError says which scope a token needs and lacks.
type ScopeError struct {
	Host  string
	Scope string // as the forge names it: read:org, repo, read_api
	What  string // what needed it
}

func (e *ScopeError) Error() string {
	return fmt.Sprintf("the token for %s lacks the %q scope, which %s needs: grant it to the token (or `gh auth refresh -h %s -s %s`)",
		e.Host, e.Scope, e.What, e.Host, e.Scope)
}

// Is makes a ScopeError an ErrScope.
func (e *ScopeError) Is(target error) bool { return target == ErrScope }

// StatusError is an answer other than the ones a request expects.
type StatusError struct {
	Code    int
	Message string // the forge's message, bounded
	URL     string
}

func (e *StatusError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("%s answered %d: %s", e.URL, e.Code, e.Message)
	}
	return fmt.Sprintf("%s answered %d", e.URL, e.Code)
}

// limitError is ErrRateLimited with when the limit lifts.
type limitError struct {
	host  string
	until time.Time
}

func (e *limitError) Error() string {
	return fmt.Sprintf("%s: rate limited until %s", e.host, e.until.UTC().Format(time.RFC3339))
}

func (e *limitError) Unwrap() error { return ErrRateLimited }
