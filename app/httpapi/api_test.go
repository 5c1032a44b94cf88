package httpapi_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/portal/apitest"
	"github.com/callboard/callboard/app/portal/portaltest"
)

// TestAPIOverSocket runs the API's behavioural suite the way the CLI
// reaches a running instance: the client, the data dir's unix socket, this
// package's handler, the Service.
func TestAPIOverSocket(t *testing.T) {
	t.Parallel()
	apitest.Run(t, func(t *testing.T, root string) apitest.Fixture {
		l, f := apitest.Open(t, root)
		ln, err := l.Listen()
		if err != nil {
			t.Fatal(err)
		}
		// Cleanups run last first: the server stops before the instance closes.
		portaltest.Serve(t, httpapi.New(l.Service, httpapi.Options{LoopbackOnly: true, Log: quiet}), ln)
		c, err := instance.Dial(t.Context(), root)
		if err != nil {
			t.Fatal(err)
		}
		f.API, f.Events, f.Wire = c, socketEvents(l.Paths.Socket), true
		return f
	})
}

// socketEvents reads the instance's event stream over its socket.
func socketEvents(socket string) func(t *testing.T) <-chan apitest.Event {
	return func(t *testing.T) <-chan apitest.Event {
		client := portaltest.SocketClient(socket)
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://callboard/api/v1/events", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		rd := bufio.NewReader(resp.Body)
		// The stream is subscribed once its first line is written.
		if line, err := rd.ReadString('\n'); err != nil || line != ": connected\n" {
			t.Fatalf("the event stream began with %q, %v", line, err)
		}
		out := make(chan apitest.Event, 4096)
		done := make(chan struct{})
		t.Cleanup(func() { resp.Body.Close(); <-done })
		go func() {
			defer close(done)
			name := ""
			for {
				line, err := rd.ReadString('\n')
				if err != nil {
					return
				}
				line = strings.TrimSuffix(line, "\n")
				switch {
				case strings.HasPrefix(line, "event: "):
					name = strings.TrimPrefix(line, "event: ")
				case strings.HasPrefix(line, "data: "):
					select {
					case out <- apitest.Event{Name: name, Data: json.RawMessage(strings.TrimPrefix(line, "data: "))}:
					default:
						t.Errorf("more events than the test reads; %s dropped", name)
					}
				}
			}
		}()
		return out
	}
}
