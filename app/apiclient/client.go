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

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
)

// Client is the portal API of another process, reached over a unix socket.
type Client struct {
	http *http.Client
	base string
}

var _ portal.API = (*Client)(nil)

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

// Info implements portal.API.
func (c *Client) Info(ctx context.Context) (portal.Info, error) {
	var v portal.Info
	return v, c.do(ctx, http.MethodGet, "/api/v1/info", nil, &v)
}

// ListEntities implements portal.API.
func (c *Client) ListEntities(ctx context.Context, q portal.EntityQuery) (portal.EntityList, error) {
	var v portal.EntityList
	return v, c.do(ctx, http.MethodGet, "/api/v1/entities", q.Values(), &v)
}

// ListDocs implements portal.API.
func (c *Client) ListDocs(ctx context.Context) ([]portal.DocsEntry, error) {
	var v []portal.DocsEntry
	return v, c.do(ctx, http.MethodGet, "/api/v1/docs", nil, &v)
}

func docsPath(ref string) (string, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return "", fmt.Errorf("%w: %v", portal.ErrInvalid, err)
	}
	return "/api/v1/docs/" + url.PathEscape(r.Kind) + "/" + url.PathEscape(r.Namespace) + "/" + url.PathEscape(r.Name), nil
}

// Docs implements portal.API.
func (c *Client) Docs(ctx context.Context, ref string) (portal.DocsSite, error) {
	var v portal.DocsSite
	p, err := docsPath(ref)
	if err != nil {
		return v, err
	}
	return v, c.do(ctx, http.MethodGet, p, nil, &v)
}

// DocsPage implements portal.API.
func (c *Client) DocsPage(ctx context.Context, ref, page string) (portal.DocsPage, error) {
	var v portal.DocsPage
	p, err := docsPath(ref)
	if err != nil {
		return v, err
	}
	return v, c.do(ctx, http.MethodGet, p+"/page", url.Values{"path": {page}}, &v)
}

// Template implements portal.API.
func (c *Client) Template(ctx context.Context, ref string) (portal.TemplateDetail, error) {
	var v portal.TemplateDetail
	return v, c.do(ctx, http.MethodGet, "/api/v1/templates", url.Values{"ref": {ref}}, &v)
}

// Scaffold implements portal.API.
func (c *Client) Scaffold(ctx context.Context, req portal.ScaffoldRequest) (portal.ScaffoldRun, error) {
	var v portal.ScaffoldRun
	return v, c.send(ctx, http.MethodPost, "/api/v1/runs", nil, req, &v)
}

// ScaffoldRuns implements portal.API.
func (c *Client) ScaffoldRuns(ctx context.Context) ([]portal.ScaffoldRun, error) {
	var v []portal.ScaffoldRun
	return v, c.do(ctx, http.MethodGet, "/api/v1/runs", nil, &v)
}

// ScaffoldRun implements portal.API.
func (c *Client) ScaffoldRun(ctx context.Context, id string) (portal.ScaffoldRun, error) {
	var v portal.ScaffoldRun
	return v, c.do(ctx, http.MethodGet, "/api/v1/runs/"+url.PathEscape(id), nil, &v)
}

// CancelScaffold implements portal.API.
func (c *Client) CancelScaffold(ctx context.Context, id string) error {
	return c.send(ctx, http.MethodPost, "/api/v1/runs/"+url.PathEscape(id)+"/cancel", nil, struct{}{}, nil)
}

// Search implements portal.API.
func (c *Client) Search(ctx context.Context, q portal.SearchQuery) (portal.SearchResult, error) {
	var v portal.SearchResult
	return v, c.do(ctx, http.MethodGet, "/api/v1/search", q.Values(), &v)
}

// Graph implements portal.API.
func (c *Client) Graph(ctx context.Context, q portal.GraphQuery) (portal.Graph, error) {
	p := url.Values{"ref": {q.Ref}, "type": q.Types}
	if q.Depth != 0 {
		p.Set("depth", fmt.Sprint(q.Depth))
	}
	if q.Direction != "" {
		p.Set("direction", q.Direction)
	}
	var v portal.Graph
	return v, c.do(ctx, http.MethodGet, "/api/v1/graph", p, &v)
}

// History implements portal.API.
func (c *Client) History(ctx context.Context, ref string, limit int) ([]portal.EntityVersion, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", portal.ErrInvalid, err)
	}
	p := url.Values{}
	if limit > 0 {
		p.Set("limit", fmt.Sprint(limit))
	}
	var v []portal.EntityVersion
	path := "/api/v1/entities/" + url.PathEscape(r.Kind) + "/" + url.PathEscape(r.Namespace) + "/" + url.PathEscape(r.Name) + "/history"
	return v, c.do(ctx, http.MethodGet, path, p, &v)
}

// UserState implements portal.API.
func (c *Client) UserState(ctx context.Context) (portal.UserState, error) {
	var v portal.UserState
	return v, c.do(ctx, http.MethodGet, "/api/v1/me", nil, &v)
}

// SetStar implements portal.API.
func (c *Client) SetStar(ctx context.Context, ref string, on bool) error {
	return c.send(ctx, http.MethodPost, "/api/v1/stars", nil, map[string]any{"ref": ref, "on": on}, nil)
}

// Open implements portal.API.
func (c *Client) Open(ctx context.Context, req portal.OpenRequest) error {
	return c.send(ctx, http.MethodPost, "/api/v1/open", nil, req, nil)
}

// ReportFrontendError implements portal.API.
func (c *Client) ReportFrontendError(ctx context.Context, e portal.FrontendError) error {
	return c.send(ctx, http.MethodPost, "/api/v1/frontend-errors", nil, e, nil)
}

// Visit implements portal.API.
func (c *Client) Visit(ctx context.Context, ref string) error {
	return c.send(ctx, http.MethodPost, "/api/v1/visits", nil, map[string]string{"ref": ref}, nil)
}

// GetEntity implements portal.API.
func (c *Client) GetEntity(ctx context.Context, ref string) (portal.EntityDetail, error) {
	kind, rest, ok := strings.Cut(ref, ":")
	ns, name, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		// Let the instance apply the defaults and report the error.
		kind, ns, name = "-", "-", ref
	}
	var v portal.EntityDetail
	path := "/api/v1/entities/" + url.PathEscape(kind) + "/" + url.PathEscape(ns) + "/" + url.PathEscape(name)
	return v, c.do(ctx, http.MethodGet, path, nil, &v)
}

// ListLocations implements portal.API.
func (c *Client) ListLocations(ctx context.Context) ([]portal.Location, error) {
	var v []portal.Location
	return v, c.do(ctx, http.MethodGet, "/api/v1/locations", nil, &v)
}

// Sync implements portal.API.
func (c *Client) Sync(ctx context.Context, locationID string) ([]portal.Location, error) {
	p := url.Values{}
	if locationID != "" {
		p.Set("location", locationID)
	}
	var v []portal.Location
	return v, c.do(ctx, http.MethodPost, "/api/v1/sync", p, &v)
}

// AddLocation implements portal.API.
func (c *Client) AddLocation(ctx context.Context, in portal.NewLocation) (portal.Location, error) {
	var v portal.Location
	return v, c.send(ctx, http.MethodPost, "/api/v1/locations", nil, in, &v)
}

// RemoveLocation implements portal.API.
func (c *Client) RemoveLocation(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/api/v1/locations/"+url.PathEscape(id), nil, nil)
}

// ReadFile implements portal.API.
func (c *Client) ReadFile(ctx context.Context, locationID, path string) (portal.CatalogFile, error) {
	var v portal.CatalogFile
	return v, c.do(ctx, http.MethodGet, "/api/v1/locations/"+url.PathEscape(locationID)+"/file", url.Values{"path": {path}}, &v)
}

// WriteFile implements portal.API.
func (c *Client) WriteFile(ctx context.Context, w portal.FileWrite) (portal.OutboxEntry, error) {
	var v portal.OutboxEntry
	return v, c.send(ctx, http.MethodPut, "/api/v1/locations/"+url.PathEscape(w.LocationID)+"/file", nil, w, &v)
}

// Outbox implements portal.API.
func (c *Client) Outbox(ctx context.Context) ([]portal.OutboxEntry, error) {
	var v []portal.OutboxEntry
	return v, c.do(ctx, http.MethodGet, "/api/v1/outbox", nil, &v)
}

// ResolveConflict implements portal.API.
func (c *Client) ResolveConflict(ctx context.Context, entryID, keep string) error {
	return c.send(ctx, http.MethodPost, "/api/v1/outbox/resolve", nil, portal.Resolution{ID: entryID, Keep: keep}, nil)
}

// Settings implements portal.API.
func (c *Client) Settings(ctx context.Context) (portal.Settings, error) {
	var v portal.Settings
	return v, c.do(ctx, http.MethodGet, "/api/v1/settings", nil, &v)
}

// UpdateSettings implements portal.API.
func (c *Client) UpdateSettings(ctx context.Context, s portal.Settings) (portal.Settings, error) {
	var v portal.Settings
	return v, c.send(ctx, http.MethodPut, "/api/v1/settings", nil, s, &v)
}

// Progress calls fn with each sync:progress event of the instance until
// ctx ends; it returns once the stream is open, so no event after that is
// missed.
func (c *Client) Progress(ctx context.Context, fn func(events.SyncProgressData)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/api/v1/events", nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("open the event stream of the running instance: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("open the event stream of the running instance: %s", resp.Status)
	}
	go func() {
		defer resp.Body.Close()
		lines := bufio.NewScanner(resp.Body)
		name := ""
		for lines.Scan() {
			line := lines.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && name == events.SyncProgress:
				var p events.SyncProgressData
				if json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &p) == nil {
					fn(p)
				}
			case line == "":
				name = ""
			}
		}
	}()
	return nil
}

// Focus asks the instance to bring its window to the front.
func (c *Client) Focus(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, "/api/v1/window/focus", nil, nil)
}

func (c *Client) do(ctx context.Context, method, path string, q url.Values, out any) error {
	return c.send(ctx, method, path, q, nil, out)
}

// send is do with a JSON request body, when in is not nil.
func (c *Client) send(ctx context.Context, method, path string, q url.Values, in, out any) error {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var reqBody io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
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
	return json.Unmarshal(body, out)
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

// Plugins implements portal.API.
func (c *Client) Plugins(ctx context.Context) ([]portal.PluginInfo, error) {
	var v []portal.PluginInfo
	return v, c.do(ctx, http.MethodGet, "/api/v1/plugins", nil, &v)
}

// SetPlugin implements portal.API.
func (c *Client) SetPlugin(ctx context.Context, in portal.PluginSettings) (portal.PluginInfo, error) {
	var v portal.PluginInfo
	return v, c.send(ctx, http.MethodPut, "/api/v1/plugins/"+url.PathEscape(in.Name), nil, in, &v)
}

// PluginLog implements portal.API.
func (c *Client) PluginLog(ctx context.Context, name string) ([]string, error) {
	var v []string
	return v, c.do(ctx, http.MethodGet, "/api/v1/plugins/"+url.PathEscape(name)+"/log", nil, &v)
}

// EntityPlugins implements portal.API.
func (c *Client) EntityPlugins(ctx context.Context, ref string) ([]portal.PluginContent, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", portal.ErrInvalid, err)
	}
	var v []portal.PluginContent
	path := "/api/v1/entities/" + url.PathEscape(r.Kind) + "/" + url.PathEscape(r.Namespace) + "/" + url.PathEscape(r.Name) + "/plugins"
	return v, c.do(ctx, http.MethodGet, path, nil, &v)
}
