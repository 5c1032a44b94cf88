package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/wire"
)

// keepalive is how often an idle event stream says it is alive, so
// proxies and browsers do not take it for dead.
const keepalive = 25 * time.Second

// stream answers an event subscription with Server-Sent Events until the
// client goes away or the channel closes: `event: <name>` and `data:
// <payload as JSON>`, a comment line every keepalive.
func (h *handler) stream(w http.ResponseWriter, r *http.Request, ch <-chan events.Event, err error) {
	if err != nil {
		h.fail(w, err)
		return
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, ": connected\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	tick := time.NewTicker(keepalive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			fmt.Fprint(w, ": keepalive\n\n")
		case ev, ok := <-ch:
			if !ok {
				return
			}
			data, err := json.Marshal(wire.Normalize(ev.Data))
			if err != nil {
				h.log.Error("encode event", "event", ev.Name, "err", err)
				continue
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Name, data)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
