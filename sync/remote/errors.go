package remote

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
)

var (
	// ErrBadURL marks a URL that cannot be read: not http(s), with user
	// information or a secret in it, a host that is not a plain DNS name
	// or address, or a path that climbs out of its repository.
	ErrBadURL = errors.New("not a URL Callboard reads")
	// ErrNoFile marks a URL that names a repository or a folder, not a file.
	ErrNoFile = errors.New("the URL names no file")
	// ErrNoRepository marks a plain URL, which names no git repository.
	ErrNoRepository = errors.New("the URL names no git repository")
	// ErrNotAllowed marks a host the user has not allowed reads from.
	ErrNotAllowed = errors.New("host not allowed")
	// ErrTooLarge marks a file over the reader's size limit.
	ErrTooLarge = errors.New("file too large")
	// ErrBudget marks a read refused because the session spent its reads,
	// bytes or time.
	ErrBudget = errors.New("read budget spent")
	// ErrRedirect marks a redirect to another host or scheme, which is not
	// followed.
	ErrRedirect = errors.New("redirect refused")
)

// StatusError is a server's answer other than 200 or 304.
type StatusError struct {
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("the server answered %d %s", e.Code, http.StatusText(e.Code))
}

// Is makes a 404 or 410 an fs.ErrNotExist: the file is not there, which
// for an optional Location target is no error.
func (e *StatusError) Is(target error) bool {
	return target == fs.ErrNotExist && (e.Code == http.StatusNotFound || e.Code == http.StatusGone)
}

// Final reports whether the answer says the file is not there for us (it
// does not exist, or we may not read it), rather than that the server
// failed for now: a cached copy is not a stand-in for the former.
func (e *StatusError) Final() bool {
	switch e.Code {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusGone:
		return true
	}
	return false
}
