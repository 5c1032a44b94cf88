package httpapi

import (
	"net/http"
	"time"
)

// NewServer returns the server for h, with the limits a server facing
// untrusted clients needs: 10 s for a request's headers (of at most 64 KB),
// 2 minutes for an idle keep-alive connection. The body's time is bounded
// per request (Options.BodyTimeout), not here: the server's ReadTimeout
// would also end the event stream, whose request never ends.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}
