package backstagetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/callboard/callboard/internal/jsonl"
)

// Exchange is one request to the catalog API and the backend's answer.
type Exchange struct {
	Method string `json:"method"`
	// Path is the request's path and query, as sent.
	Path string `json:"path"`
	Body string `json:"body,omitempty"`
	// Token is whether the request carried the right token.
	Token    bool            `json:"token"`
	Status   int             `json:"status"`
	Response json.RawMessage `json:"response"`
}

func (x Exchange) key() string { return fmt.Sprintf("%s %s %v\n%s", x.Method, x.Path, x.Token, x.Body) }

// Recorder is an http.RoundTripper that makes each request through Next
// and keeps it with its answer.
type Recorder struct {
	Next  http.RoundTripper
	Token string
	mu    sync.Mutex
	got   []Exchange
}

// RoundTrip makes r and records it.
func (rec *Recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := rec.Next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	x := Exchange{Method: r.Method, Path: r.URL.RequestURI(), Body: string(body), Token: r.Header.Get("Authorization") == "Bearer "+rec.Token, Status: resp.StatusCode}
	if json.Valid(b) {
		x.Response = b
	} else {
		x.Response, _ = json.Marshal(string(b))
	}
	rec.mu.Lock()
	rec.got = append(rec.got, x)
	rec.mu.Unlock()
	return resp, nil
}

// Save writes the exchanges recorded since the last Save to file, one a
// line, and forgets them.
func (rec *Recorder) Save(file string) error {
	rec.mu.Lock()
	got := rec.got
	rec.got = nil
	rec.mu.Unlock()
	return jsonl.Write(file, got)
}

// Server serves recorded exchanges on loopback, one stage at a time.
type Server struct {
	URL   string
	Token string
	srv   *httptest.Server
	stage atomic.Pointer[map[string]Exchange]
	// Requests counts the requests served.
	Requests atomic.Int64
	Bytes    atomic.Int64
}

// Serve starts a server of the recorded stages in dir (<stage>.jsonl),
// serving stage first, to requests carrying token. It stops with the test.
func Serve(t testing.TB, dir, stage, token string) *Server {
	t.Helper()
	s := &Server{Token: token}
	s.Stage(t, dir, stage)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Stage serves the exchanges of stage from now on.
func (s *Server) Stage(t testing.TB, dir, stage string) {
	t.Helper()
	xs, err := ReadStage(filepath.Join(dir, stage+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]Exchange, len(xs))
	for _, x := range xs {
		m[x.key()] = x
	}
	s.stage.Store(&m)
}

// Stop closes the server: the backend is gone.
func (s *Server) Stop() { s.srv.Close() }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.Requests.Add(1)
	x := Exchange{Method: r.Method, Path: r.URL.RequestURI(), Body: string(body), Token: r.Header.Get("Authorization") == "Bearer "+s.Token}
	got, ok := (*s.stage.Load())[x.key()]
	if !ok && !x.Token {
		// Any request without the right token is answered as the
		// recorded one without it was.
		for _, y := range *s.stage.Load() {
			if !y.Token {
				got, ok = y, true
				break
			}
		}
	}
	if !ok {
		http.Error(w, "not recorded: "+x.key(), http.StatusTeapot)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(got.Status)
	n, _ := w.Write(got.Response)
	s.Bytes.Add(int64(n))
}

// ReadStage reads the exchanges recorded in file.
func ReadStage(file string) ([]Exchange, error) {
	return jsonl.Read[Exchange](file)
}
