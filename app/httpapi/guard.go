package httpapi

import (
	"crypto/subtle"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/callboard/callboard/app/portal"
)

// defaultBodyTimeout is how long a request's body may take to arrive: 24
// MB (the largest body taken) at 400 KB/s.
const defaultBodyTimeout = 60 * time.Second

// guard checks, before next sees a request: the Host (no DNS rebinding),
// the token, that an API request comes from the page's own origin (reads
// too: an answer may hold what another site must not learn, and costs
// work), and, through CrossOriginProtection, any write; it bounds the time
// the body may take.
func (h *handler) guard(next http.Handler) http.Handler {
	// Browsers send Origin or Sec-Fetch-Site; a write from another origin is refused.
	writes := http.NewCrossOriginProtection().Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.opts.LoopbackOnly && !loopbackHost(r) {
			refuse(w, http.StatusForbidden, portal.CodeInvalid, fmt.Sprintf("host %q is not a loopback address", r.Host))
			return
		}
		if h.opts.Token != "" && !h.authorized(w, r) {
			refuse(w, http.StatusUnauthorized, portal.CodeInvalid, "missing or wrong token: open the address callboard serve printed, with its ?token=")
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") && !sameOrigin(r) {
			refuse(w, http.StatusForbidden, portal.CodeInvalid, fmt.Sprintf("%s %s from another site is refused", r.Method, r.URL.Path))
			return
		}
		h.limitBody(w, r)
		writes.ServeHTTP(w, r)
	})
}

// sameOrigin reports whether r comes from the page's own origin, or from
// no page at all (the CLI, curl, a typed address). Browsers say where a
// request comes from in Sec-Fetch-Site; older ones only send Origin, and
// only on some requests.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
		origin := r.Header.Get("Origin")
		if origin == "" {
			return true
		}
		u, err := url.Parse(origin)
		return err == nil && u.Host == r.Host
	}
	return false // same-site is another port or subdomain: another program
}

func (h *handler) authorized(w http.ResponseWriter, r *http.Request) bool {
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && equal(bearer, h.opts.Token) {
		return true
	}
	if q := r.URL.Query().Get("token"); q != "" && equal(q, h.opts.Token) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: q, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		return true
	}
	c, err := r.Cookie(tokenCookie)
	return err == nil && equal(c.Value, h.opts.Token)
}

func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// unixHost is the Host the unix-socket clients (apiclient, the proxy) send.
const unixHost = "callboard"

// loopbackHost reports whether r names this machine in its Host: a
// loopback name or address, or, on the unix socket only, unixHost.
func loopbackHost(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == unixHost {
		addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		return ok && addr.Network() == "unix"
	}
	// "" is a request without Host, which no browser sends.
	return host == "" || IsLoopback(host)
}

// IsLoopback reports whether host (no port) names this machine only.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// limitBody gives r's body BodyTimeout to arrive. The deadline is lifted
// once the body is read, since the connection's read deadline also ends a
// handler's wait for its client to go (a long sync, the event stream).
func (h *handler) limitBody(w http.ResponseWriter, r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	d := h.opts.BodyTimeout
	if d <= 0 {
		d = defaultBodyTimeout
	}
	rc := http.NewResponseController(w)
	if err := rc.SetReadDeadline(time.Now().Add(d)); err != nil {
		return // not a network connection (a test recorder): nothing to hold
	}
	r.Body = &deadlineBody{ReadCloser: r.Body, lift: func() { _ = rc.SetReadDeadline(time.Time{}) }}
}

// deadlineBody lifts the read deadline when its body has been read to
// the end. Not on an error: what the server then drains of a cut-off
// body must stay bounded too.
type deadlineBody struct {
	io.ReadCloser
	lift   func()
	lifted bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.lifted {
		b.lifted = true
		b.lift()
	}
	return n, err
}
