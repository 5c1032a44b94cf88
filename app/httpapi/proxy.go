package httpapi

import (
	"net/http"
	"net/http/httputil"
	"net/url"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/portal"
)

// NewProxy serves the UI and forwards the API to the instance listening on
// socketPath, for a `serve` started while another process owns the data dir.
func NewProxy(socketPath string, opts Options) http.Handler {
	h := &handler{opts: opts, log: opts.Log.With("component", "httpapi")}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(&url.URL{Scheme: "http", Host: unixHost})
			r.Out.Host = unixHost
			// This side's guard has judged where the request comes from,
			// against this side's Host; the instance behind the socket
			// would judge the Origin against unixHost and refuse it.
			r.Out.Header.Del("Origin")
			r.Out.Header.Del("Sec-Fetch-Site")
		},
		Transport:     apiclient.SocketTransport(socketPath),
		FlushInterval: -1, // the event stream must not be buffered
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			refuse(w, http.StatusBadGateway, portal.CodeUnavailable, err.Error())
		},
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", rp)
	if opts.UI != nil {
		mux.Handle("/", static(opts.UI))
	}
	return h.guard(mux)
}
