package apiclient

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
)

// Client is the portal API of another process, reached over a unix socket.
// Its methods (client_gen.go) are generated from portal.API; this file is
// the plumbing they share.
type Client struct {
	http *http.Client
	base string
}

// New returns a client for the instance listening on socketPath.
func New(socketPath string) *Client {
	return &Client{http: &http.Client{Transport: SocketTransport(socketPath)}, base: "http://callboard"}
}

// SocketTransport sends every HTTP request to the unix socket at socketPath,
// whatever host the request names.
func SocketTransport(socketPath string) *http.Transport {
	return &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socketPath)
		},
	}
}

// Focus asks the instance to bring its window to the front.
func (c *Client) Focus(ctx context.Context) error {
	return c.call(ctx, http.MethodPost, "/api/v1/window/focus", nil, nil, nil)
}

// OpenLink asks the instance to show a callboard:// link's page: in its
// window, returning "", or, when it only serves a browser, returning the
// page's http URL. The instance reads the link; a link it refuses is a
// *portal.Error with CodeInvalid, an instance with neither CodeConflict.
func (c *Client) OpenLink(ctx context.Context, link string) (url string, err error) {
	var out struct {
		URL string `json:"url"`
	}
	err = c.call(ctx, http.MethodPost, "/api/v1/window/open", nil, struct {
		Link string `json:"link"`
	}{link}, &out)
	return out.URL, err
}

// call sends one request, with in as its JSON body when not nil, and
// decodes the answer into out when not nil.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, in, out any) error {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var reqBody io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode the request to the running instance: %w", err)
		}
		reqBody = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, reqBody)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("call running instance: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read reply of running instance: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return remoteError(resp, body)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("decode reply of running instance: %w", err)
	}
	return nil
}

// stream opens an event stream and returns its events, each payload
// decoded by decode, until ctx ends or the instance closes the stream.
// It returns once the stream is open, so no event after that is missed.
func (c *Client) stream(ctx context.Context, path string, q url.Values, decode func(name string, data []byte) (any, error)) (<-chan events.Event, error) {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("open the event stream of the running instance: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return nil, remoteError(resp, body)
	}
	out := make(chan events.Event, 64)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		lines := bufio.NewScanner(resp.Body)
		lines.Buffer(nil, 16<<20) // a scaffold:done carries a whole run
		name := ""
		for lines.Scan() {
			line := lines.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && name != "":
				data, err := decode(name, []byte(strings.TrimPrefix(line, "data: ")))
				if err != nil {
					continue // a payload this client cannot read: skip it as a slow listener would
				}
				select {
				case out <- events.Event{Name: name, Data: data}:
				case <-ctx.Done():
					return
				}
			case line == "":
				name = ""
			}
		}
	}()
	return out, nil
}

// remoteError is the instance's error body as a *portal.Error, whose
// Unwrap gives the sentinel of its code. A body that is not one (a proxy
// in between) is classified by its status.
func remoteError(resp *http.Response, body []byte) error {
	var e portal.Error
	if json.Unmarshal(body, &e) == nil && e.Code != "" && e.Message != "" {
		return &e
	}
	e = portal.Error{Code: portal.CodeInternal, Message: "running instance: " + resp.Status}
	switch resp.StatusCode {
	case http.StatusNotFound:
		e.Code = portal.CodeNotFound
	case http.StatusBadRequest:
		e.Code = portal.CodeInvalid
	case http.StatusConflict:
		e.Code = portal.CodeConflict
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		e.Code = portal.CodeUnavailable
	}
	return &e
}

// emptySegment refuses an empty path parameter before it is sent: the
// URL would name another endpoint.
func emptySegment(param string) error {
	return &portal.Error{Code: portal.CodeInvalid, Message: param + " is empty: " + portal.ErrInvalid.Error()}
}
