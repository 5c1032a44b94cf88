package stackoverflow

import "errors"

// Why a fetch stopped. Their messages never hold the token.
var (
	// errUnavailable: the API could not be reached or answered badly.
	errUnavailable = errors.New("the Stack Exchange API is unavailable")
	// errRefused: the API refused the request (a wrong token or team).
	errRefused = errors.New("the Stack Exchange API refused the request")
	// errBackoff: the API asked to wait before the next request.
	errBackoff = errors.New("the Stack Exchange API asked to back off")
	// errQuota: the day's request quota is spent.
	errQuota = errors.New("the Stack Exchange API quota is spent")
	// errTooBig: an answer passed the byte bound.
	errTooBig = errors.New("the Stack Exchange API answer is too big")
)
