package remote

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// forge answers as GitHub's raw and contents API endpoints (Enterprise
// paths: /raw/o/r/ref/path, /api/v3/repos/o/r/contents/path?ref=, and
// github.com's own hosts when named so) and GitLab's raw file endpoint
// (/api/v4/projects/:id/repository/files/:path/raw?ref=) do: raw content,
// an ETag that answers If-None-Match with 304, the contents API's JSON
// with base64 content unless the raw media type is asked for. Files are
// "o/r@ref:path". A token, when set, is required by the API endpoints and
// for private repositories (prefix "private/").
type forge struct {
	token string

	mu       sync.Mutex
	files    map[string]string
	requests []request
	status   int // when set, every request gets it
}

type request struct {
	Host, Path, Auth, IfNoneMatch string
}

func newForge(token string, files map[string]string) *forge {
	return &forge{token: token, files: files}
}

func (f *forge) set(key, content string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[key] = content
}

func (f *forge) fail(status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = status
}

func (f *forge) seen() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.requests...)
}

func (f *forge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, request{Host: r.Host, Path: r.URL.RequestURI(), Auth: r.Header.Get("Authorization"), IfNoneMatch: r.Header.Get("If-None-Match")})
	status := f.status
	f.mu.Unlock()
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	host, _, _ := strings.Cut(r.Host, ":")
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	for i := range segs {
		segs[i], _ = url.PathUnescape(segs[i])
	}
	var key, auth string
	api := false
	switch {
	case host == "raw.githubusercontent.com" && len(segs) >= 4:
		key = segs[0] + "/" + segs[1] + "@" + segs[2] + ":" + strings.Join(segs[3:], "/")
		auth = strings.TrimPrefix(r.Header.Get("Authorization"), "token ")
	case host == "api.github.com" && len(segs) >= 5 && segs[0] == "repos" && segs[3] == "contents":
		key, api = segs[1]+"/"+segs[2]+"@"+r.URL.Query().Get("ref")+":"+strings.Join(segs[4:], "/"), true
		auth = strings.TrimPrefix(r.Header.Get("Authorization"), "token ")
	case len(segs) >= 5 && segs[0] == "raw":
		key = segs[1] + "/" + segs[2] + "@" + segs[3] + ":" + strings.Join(segs[4:], "/")
		auth = strings.TrimPrefix(r.Header.Get("Authorization"), "token ")
	case len(segs) >= 7 && segs[0] == "api" && segs[1] == "v3" && segs[2] == "repos" && segs[5] == "contents":
		key, api = segs[3]+"/"+segs[4]+"@"+r.URL.Query().Get("ref")+":"+strings.Join(segs[6:], "/"), true
		auth = strings.TrimPrefix(r.Header.Get("Authorization"), "token ")
	case len(segs) == 8 && segs[0] == "api" && segs[1] == "v4" && segs[4] == "repository" && segs[7] == "raw":
		key = segs[3] + "@" + r.URL.Query().Get("ref") + ":" + segs[6]
		auth = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	default:
		http.NotFound(w, r)
		return
	}
	needToken := api || strings.HasPrefix(key, "private/")
	if needToken && f.token != "" && auth != f.token {
		// GitHub answers 404 rather than 401 for a private repository.
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	content, ok := f.files[key]
	f.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256([]byte(content))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if api && !strings.Contains(r.Header.Get("Accept"), "application/vnd.github.raw") {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"type": "file", "encoding": "base64", "content": base64.StdEncoding.EncodeToString([]byte(content))})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, content)
}

// serve runs f on a TLS server on loopback and returns its base URL and a
// transport that trusts it.
func serve(t *testing.T, h http.Handler) (string, *http.Transport) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, srv.Client().Transport.(*http.Transport).Clone()
}

// clock is a settable time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func TestReadConditional(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newForge("", map[string]string{"o/r@main:api/openapi.yaml": "openapi: 3.0.0\n"})
	base, tr := serve(t, f)
	c := newClock()
	r := New(Options{Transport: tr, Now: c.Now})
	u := base + "/o/r/blob/main/api/openapi.yaml"

	s := r.Session(Home{}, Budget{})
	got, err := s.Read(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Data) != "openapi: 3.0.0\n" || got.Stale != nil || !got.ReadAt.Equal(c.Now()) {
		t.Fatalf("first read = %+v", got)
	}
	if _, err := s.Read(ctx, u); err != nil { // the same session reads it once
		t.Fatal(err)
	}
	c.add(time.Hour)
	s = r.Session(Home{}, Budget{})
	got, err = s.Read(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Data) != "openapi: 3.0.0\n" || !got.ReadAt.Equal(c.Now()) {
		t.Fatalf("second read = %+v", got)
	}
	if st := s.Stats(); st != (Stats{Unchanged: 1}) {
		t.Errorf("stats of the second session = %+v, want one 304", st)
	}
	f.set("o/r@main:api/openapi.yaml", "openapi: 3.1.0\n")
	got, err = r.Session(Home{}, Budget{}).Read(ctx, u)
	if err != nil || string(got.Data) != "openapi: 3.1.0\n" {
		t.Fatalf("after a change: %+v, %v", got, err)
	}
	reqs := f.seen()
	if len(reqs) != 3 || reqs[0].Path != "/raw/o/r/main/api/openapi.yaml" || reqs[0].IfNoneMatch != "" || reqs[1].IfNoneMatch == "" {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestReadWithToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newForge("s3cret", map[string]string{"o/r@main:a.json": `{"a":1}`, "g/sub/repo@main:d/b.yaml": "b: 2\n"})
	base, tr := serve(t, f)
	host := strings.TrimPrefix(base, "https://")
	var asked []string
	var mu sync.Mutex
	r := New(Options{Transport: tr, Token: func(_ context.Context, h string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, h)
		return "s3cret", nil
	}})
	s := r.Session(Home{}, Budget{})
	got, err := s.Read(ctx, base+"/o/r/blob/main/a.json")
	if err != nil || string(got.Data) != `{"a":1}` {
		t.Fatalf("GitHub Enterprise through its API: %+v, %v", got, err)
	}
	got, err = s.Read(ctx, base+"/g/sub/repo/-/blob/main/d/b.yaml")
	if err != nil || string(got.Data) != "b: 2\n" {
		t.Fatalf("GitLab: %+v, %v", got, err)
	}
	want := []request{
		{Host: host, Path: "/api/v3/repos/o/r/contents/a.json?ref=main", Auth: "token s3cret"},
		{Host: host, Path: "/api/v4/projects/g%2Fsub%2Frepo/repository/files/d%2Fb.yaml/raw?ref=main", Auth: "Bearer s3cret"},
	}
	if diff := cmp.Diff(want, f.seen()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{host}, asked); diff != "" {
		t.Errorf("tokens asked for (-want +got):\n%s", diff)
	}
}

// githubServer serves f as github.com's own hosts (and any other name),
// with a certificate for them, and returns a transport that dials every
// host to it and trusts it.
func githubServer(t *testing.T, f http.Handler) *http.Transport {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"github.com", "api.github.com", "raw.githubusercontent.com", "github.com.evil.example", "evil.example"}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: names, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(f)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	addr := srv.Listener.Addr().String()
	return &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}
}

func TestTokenGoesToItsHostOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newForge("gh-token", map[string]string{"private/r@main:a.yaml": "a: 1\n", "o/r@main:b.yaml": "b: 1\n"})
	tr := githubServer(t, f)
	r := New(Options{Transport: tr, Token: func(_ context.Context, host string) (string, error) {
		if host == "github.com" {
			return "gh-token", nil
		}
		return "", nil
	}})
	s := r.Session(Home{}, Budget{})
	for _, u := range []string{
		"https://github.com/private/r/blob/main/a.yaml",
		"https://raw.githubusercontent.com/o/r/main/b.yaml",
	} {
		if got, err := s.Read(ctx, u); err != nil || len(got.Data) == 0 {
			t.Errorf("Read(%s) = %+v, %v", u, got, err)
		}
	}
	for _, u := range []string{
		"https://github.com.evil.example/private/r/blob/main/a.yaml",
		"https://evil.example/private/r/raw/main/a.yaml",
	} {
		if _, err := s.Read(ctx, u); err == nil {
			t.Errorf("Read(%s) read a private file without the token", u)
		}
	}
	for _, req := range f.seen() {
		switch req.Host {
		case "api.github.com":
			if req.Auth != "token gh-token" {
				t.Errorf("api.github.com got Authorization %q", req.Auth)
			}
		case "github.com.evil.example", "evil.example":
			if req.Auth != "" {
				t.Errorf("%s got Authorization %q", req.Host, req.Auth)
			}
		default:
			t.Errorf("unexpected request %+v", req)
		}
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	other := newForge("", map[string]string{"o/r@main:a.yaml": "stolen\n"})
	otherBase, _ := serve(t, other)
	var mu sync.Mutex
	var auths []string
	mux := http.NewServeMux()
	mux.HandleFunc("/raw/o/r/main/away.yaml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherBase+"/raw/o/r/main/a.yaml", http.StatusFound)
	})
	mux.HandleFunc("/raw/o/r/main/moved.yaml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/raw/o/r/main/here.yaml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/raw/o/r/main/here.yaml", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		fmt.Fprint(w, "here\n")
	})
	base, tr := serve(t, mux)
	// Both servers are on 127.0.0.1: the port tells them apart.
	r := New(Options{Transport: tr, Token: func(context.Context, string) (string, error) { return "", nil }})
	s := r.Session(Home{}, Budget{})
	if _, err := s.Read(ctx, base+"/o/r/blob/main/away.yaml"); !errors.Is(err, ErrRedirect) {
		t.Errorf("a redirect to another host: %v, want ErrRedirect", err)
	}
	if len(other.seen()) != 0 {
		t.Errorf("the other host got %+v", other.seen())
	}
	got, err := s.Read(ctx, base+"/o/r/blob/main/moved.yaml")
	if err != nil || string(got.Data) != "here\n" {
		t.Errorf("a redirect within the host: %+v, %v", got, err)
	}
}

func TestOfflineUsesTheCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newForge("", map[string]string{"o/r@main:a.yaml": "a: 1\n", "o/r@main:b.yaml": "b: 1\n"})
	srv := httptest.NewTLSServer(f)
	defer srv.Close()
	c := newClock()
	cache := NewMemCache()
	r := New(Options{Transport: srv.Client().Transport, Now: c.Now, Cache: cache})
	a := srv.URL + "/o/r/blob/main/a.yaml"
	b := srv.URL + "/o/r/blob/main/b.yaml"
	if _, err := r.Session(Home{}, Budget{}).Read(ctx, a); err != nil {
		t.Fatal(err)
	}
	read := c.Now()
	c.add(3 * time.Hour)

	f.fail(http.StatusServiceUnavailable)
	got, err := r.Session(Home{}, Budget{}).Read(ctx, a)
	if err != nil || string(got.Data) != "a: 1\n" || !got.ReadAt.Equal(read) || got.Stale == nil {
		t.Errorf("server failing: %+v, %v; want the copy of %v, marked stale", got, err, read)
	}
	f.fail(http.StatusNotFound)
	if _, err := r.Session(Home{}, Budget{}).Read(ctx, a); err == nil {
		t.Errorf("a 404 is not stood in for by the cache")
	}
	f.fail(0)

	srv.Close() // the network is gone
	s := r.Session(Home{}, Budget{})
	got, err = s.Read(ctx, a)
	if err != nil || string(got.Data) != "a: 1\n" || got.Stale == nil || !strings.Contains(got.Stale.Error(), "cannot be reached") {
		t.Errorf("offline: %+v, %v", got, err)
	}
	if _, err := s.Read(ctx, b); err == nil || !strings.Contains(err.Error(), "earlier in this sync") {
		t.Errorf("offline, never read: %v", err)
	}
	if st := s.Stats(); st != (Stats{Cached: 1, Failed: 1}) {
		t.Errorf("stats = %+v", st)
	}
}

func TestAHangingServerDoesNotStallTheSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	release := make(chan struct{})
	var mu sync.Mutex
	hits := 0
	base, tr := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		<-release
	}))
	defer close(release)
	cache := NewMemCache()
	u := base + "/o/r/blob/main/a.yaml"
	if err := cache.Put(ctx, u, Entry{Data: []byte("kept\n"), ReadAt: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	r := New(Options{Transport: tr, Cache: cache, Timeout: 50 * time.Millisecond})
	s := r.Session(Home{}, Budget{})
	got, err := s.Read(ctx, u)
	if err != nil || string(got.Data) != "kept\n" || !errors.Is(got.Stale, context.DeadlineExceeded) {
		t.Fatalf("hanging server: %+v, %v", got, err)
	}
	for i := range 5 {
		if _, err := s.Read(ctx, fmt.Sprintf("%s/o/r/blob/main/%d.yaml", base, i)); err == nil || !strings.Contains(err.Error(), "earlier in this sync") {
			t.Fatalf("read from a server that did not answer: %v", err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if hits > 1 {
		t.Errorf("the server was asked %d times in one session, want once at most", hits)
	}
}

func TestBounds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newForge("", map[string]string{"o/r@main:big.txt": strings.Repeat("x", 2000), "o/r@main:a.txt": "a", "o/r@main:b.txt": "b"})
	base, tr := serve(t, f)
	host := strings.TrimPrefix(base, "https://")

	r := New(Options{Transport: tr, MaxSize: 1000})
	if _, err := r.Session(Home{}, Budget{}).Read(ctx, base+"/o/r/blob/main/big.txt"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a file over MaxSize: %v, want ErrTooLarge", err)
	}
	s := r.Session(Home{}, Budget{Reads: 1})
	if _, err := s.Read(ctx, base+"/o/r/blob/main/a.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(ctx, base+"/o/r/blob/main/b.txt"); !errors.Is(err, ErrBudget) {
		t.Errorf("past the budget: %v, want ErrBudget", err)
	}

	allow := New(Options{Transport: tr, AllowHint: "add it under Remote read hosts in Settings",
		Allowed: func(_ context.Context, h string) (bool, error) { return h == "example.com", nil }})
	_, err := allow.Session(Home{}, Budget{}).Read(ctx, base+"/o/r/blob/main/a.txt")
	if !errors.Is(err, ErrNotAllowed) || !strings.Contains(err.Error(), host) || !strings.Contains(err.Error(), "Settings") {
		t.Errorf("a host not allowed: %v", err)
	}
	before := len(f.seen())
	home := Home{URL: base + "/o/r.git", Branch: "main"}
	got, err := r.Session(home, Budget{}).Read(ctx, base+"/o/r/blob/main/docs/x.yaml")
	if err != nil || got.Path != "docs/x.yaml" || got.Data != nil {
		t.Errorf("a URL into the home repository: %+v, %v", got, err)
	}
	if len(f.seen()) != before {
		t.Errorf("a URL into the home repository was fetched")
	}
}

func TestNoTokenOverPlainHTTP(t *testing.T) {
	t.Parallel()
	var auth []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		fmt.Fprint(w, "x")
	}))
	defer srv.Close()
	asked := false
	r := New(Options{Token: func(context.Context, string) (string, error) { asked = true; return "t", nil }})
	if _, err := r.Session(Home{}, Budget{}).Read(context.Background(), srv.URL+"/spec.yaml"); err != nil {
		t.Fatal(err)
	}
	if asked || len(auth) != 1 || auth[0] != "" {
		t.Errorf("plain http: token asked %v, Authorization %q", asked, auth)
	}
}

// A host that refuses the token sent to it is reported to Refused, so the
// credentials forget it; the read fails as it would without Refused.
func TestRefusedToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		token   string
		refused bool
	}{
		{"401 to a token", http.StatusUnauthorized, "s3cret", true},
		{"403 to a token", http.StatusForbidden, "s3cret", true},
		{"401 without a token", http.StatusUnauthorized, "", false},
		{"404 to a token", http.StatusNotFound, "s3cret", false},
		{"500 to a token", http.StatusInternalServerError, "s3cret", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newForge("", map[string]string{})
			f.fail(tc.status)
			base, tr := serve(t, f)
			host := strings.TrimPrefix(base, "https://")
			var mu sync.Mutex
			var refused []string
			r := New(Options{Transport: tr,
				Token: func(context.Context, string) (string, error) { return tc.token, nil },
				Refused: func(h string) {
					mu.Lock()
					defer mu.Unlock()
					refused = append(refused, h)
				}})
			_, err := r.Session(Home{}, Budget{}).Read(context.Background(), base+"/o/r/blob/main/a.yaml")
			var status *StatusError
			if !errors.As(err, &status) || status.Code != tc.status {
				t.Errorf("Read: %v; want the server's %d", err, tc.status)
			}
			var want []string
			if tc.refused {
				want = []string{host}
			}
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff(want, refused); diff != "" {
				t.Errorf("hosts refused (-want +got):\n%s", diff)
			}
		})
	}
}
