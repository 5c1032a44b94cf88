package backstage

import "errors"

// ErrUnauthorized means the backend refused the token (401): none was
// sent, or it is not valid there (expired, mistyped, another backend's).
var ErrUnauthorized = errors.New("the Backstage backend refused the token")

// ErrForbidden means the backend knows the token but does not let it read
// the catalog (403).
var ErrForbidden = errors.New("the Backstage backend does not let the token read the catalog")

// ErrUnreachable means the backend did not answer: no connection, no
// name, a timeout or a server error. What was read before stays.
var ErrUnreachable = errors.New("the Backstage backend cannot be reached")

// ErrBadURL means a base URL is not one Callboard reads a Backstage from.
var ErrBadURL = errors.New("not a Backstage URL")

// ErrBadResponse means an answer is not what the catalog API sends, or
// is over a bound (bytes, entities, a cursor that repeats).
var ErrBadResponse = errors.New("the Backstage backend's answer cannot be read")
