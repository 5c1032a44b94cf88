package updates

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLatest(t *testing.T) {
	t.Parallel()
	// The other host a redirect may not lead to: a second loopback server.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the check followed a redirect to another host: %s", r.URL)
		w.Write([]byte(`{"version":"9.0.0"}`))
	}))
	t.Cleanup(other.Close)
	mux := http.NewServeMux()
	feed := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if h := r.Header.Get("Authorization") + r.Header.Get("Cookie"); h != "" {
				t.Errorf("the check sent a credential: %q", h)
			}
			w.Write([]byte(body))
		}
	}
	mux.HandleFunc("/newer", feed(`{"tag_name":"v1.3.0","html_url":"https://example.com/v1.3.0","body":"- new"}`))
	mux.HandleFunc("/same", feed(`{"version":"1.2.0"}`))
	mux.HandleFunc("/older", feed(`{"version":"1.1.0"}`))
	mux.HandleFunc("/malformed", feed(`{"version":`))
	mux.HandleFunc("/huge", feed(`{"version":"1.3.0","notes":"`+strings.Repeat("x", MaxFeedBytes)+`"}`))
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/newer", http.StatusFound) })
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/newer", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	tests := []struct {
		path    string
		version string // the release read, when no error
		newer   bool   // whether it is newer than 1.2.0
		err     string
		is      error
	}{
		{path: "/newer", version: "v1.3.0", newer: true},
		{path: "/same", version: "1.2.0"},
		{path: "/older", version: "1.1.0"},
		{path: "/moved", version: "v1.3.0", newer: true},
		{path: "/malformed", is: ErrFeed},
		{path: "/huge", is: ErrTooLarge},
		{path: "/missing", err: "404"},
		{path: "/slow", is: context.DeadlineExceeded},
		{path: "/away", err: "another host"},
	}
	f := NewFetcher("1.2.0", nil)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			if tt.path == "/slow" {
				// The fetcher's own timeout is longer than a test should wait.
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, 200*time.Millisecond)
				defer cancel()
			}
			rel, err := f.Latest(ctx, srv.URL+tt.path)
			switch {
			case tt.is != nil:
				if !errors.Is(err, tt.is) {
					t.Fatalf("Latest = %+v, %v; want an error wrapping %v", rel, err, tt.is)
				}
			case tt.err != "":
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Latest = %+v, %v; want an error saying %q", rel, err, tt.err)
				}
			case err != nil:
				t.Fatal(err)
			case rel.Version != tt.version || Newer("1.2.0", rel.Version) != tt.newer:
				t.Errorf("Latest = %+v; want version %s, newer than 1.2.0 %v", rel, tt.version, tt.newer)
			}
		})
	}
}

func TestCheckFeedURL(t *testing.T) {
	t.Parallel()
	for raw, ok := range map[string]bool{
		DefaultFeed:                           true,
		"https://intranet.example/cb.json":    true,
		"http://127.0.0.1:8080/feed":          true,
		"http://[::1]/feed":                   true,
		"http://localhost/feed":               true,
		"http://example.com/feed":             false,
		"https://user:token@example.com/feed": false,
		"ftp://example.com/feed":              false,
		"example.com/feed":                    false,
		"":                                    false,
	} {
		if err := CheckFeedURL(raw); (err == nil) != ok {
			t.Errorf("CheckFeedURL(%q) = %v, want ok %v", raw, err, ok)
		}
	}
}
