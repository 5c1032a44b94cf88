package backstage

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/internal/jsonl"
	"github.com/callboard/callboard/sync/backstage/backstagetest"
	"github.com/google/go-cmp/cmp"
)

const peerToken = "cbsrc-static-token-0123456789abcdef"

var peerDir = filepath.Join("testdata", "peer")

// oracle is what @backstage/catalog-client read from the peer at stage,
// by ref.
func oracle(t *testing.T, stage string) map[string]any {
	t.Helper()
	es, err := jsonl.Read[map[string]any](filepath.Join(peerDir, stage+".oracle.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for _, e := range es {
		md := e["metadata"].(map[string]any)
		ns, _ := md["namespace"].(string)
		out[refOf(e["kind"].(string), ns, md["name"].(string))] = e
	}
	return out
}

// entities are es by ref, decoded.
func entities(t *testing.T, es []Entity) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, e := range es {
		var m any
		if err := json.Unmarshal(e.JSON, &m); err != nil {
			t.Fatal(err)
		}
		out[e.Ref] = m
	}
	return out
}

// TestReadReplaysPeer reads the recorded peer through each stage: a whole
// read gives what catalog-client read, entity by entity; an idle read
// reads etags alone; an edit and a deletion are found by etag.
func TestReadReplaysPeer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := backstagetest.Serve(t, peerDir, "first", peerToken)
	c, err := New(srv.URL, Options{Token: peerToken})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(oracle(t, "first"), entities(t, ch.Changed)); !ch.Whole || diff != "" {
		t.Fatalf("whole read (whole %v) differs from catalog-client's (-want +got):\n%s", ch.Whole, diff)
	}
	first := c.Requests()
	st := c.NewState(ch.Changed)
	ch, err = c.Read(ctx, &st)
	if err != nil || !ch.Idle() || len(ch.Unchanged) != len(st.ETags) {
		t.Fatalf("idle read: %v, whole %v, %d changed, %d removed, %d unchanged", err, ch.Whole, len(ch.Changed), len(ch.Removed), len(ch.Unchanged))
	}
	if idle := c.Requests() - first; idle != 1 {
		t.Errorf("an idle read made %d requests, want 1", idle)
	}

	srv.Stage(t, peerDir, "edited")
	ch, err = c.Read(ctx, &st)
	if err != nil {
		t.Fatal(err)
	}
	want := oracle(t, "edited")
	if len(ch.Changed) != 1 || len(ch.Removed) != 0 {
		t.Fatalf("edited: %d changed (%v), %d removed, want 1 and 0", len(ch.Changed), refs(ch.Changed), len(ch.Removed))
	}
	if diff := cmp.Diff(want[ch.Changed[0].Ref], entities(t, ch.Changed)[ch.Changed[0].Ref]); diff != "" {
		t.Errorf("the edited entity differs from catalog-client's (-want +got):\n%s", diff)
	}
	if got := refs(append(ch.Unchanged, ch.Changed...)); !slices.Equal(got, sortedKeys(want)) {
		t.Errorf("edited: the catalog is %v, want %v", got, sortedKeys(want))
	}
	st = c.NewState(append(ch.Unchanged, ch.Changed...))

	srv.Stage(t, peerDir, "deleted")
	ch, err = c.Read(ctx, &st)
	if err != nil {
		t.Fatal(err)
	}
	want = oracle(t, "deleted")
	// What pointed at the deleted entity changed too (its relations).
	if len(ch.Removed) != 1 || want[ch.Removed[0]] != nil {
		t.Fatalf("deleted: removed %v", ch.Removed)
	}
	for ref, e := range entities(t, ch.Changed) {
		if diff := cmp.Diff(want[ref], e); diff != "" {
			t.Errorf("deleted: %s differs from catalog-client's (-want +got):\n%s", ref, diff)
		}
	}
	if got := refs(append(ch.Unchanged, ch.Changed...)); !slices.Equal(got, sortedKeys(want)) {
		t.Errorf("deleted: the catalog is %v, want %v", got, sortedKeys(want))
	}
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestReadErrors: a refused token, a forbidden one and a backend gone
// each say which, and how to fix it.
func TestReadErrors(t *testing.T) {
	t.Parallel()
	recorded := backstagetest.Serve(t, peerDir, "first", peerToken)
	forbidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"error":{"name":"NotAllowedError"}}`, http.StatusForbidden)
	}))
	t.Cleanup(forbidden.Close)
	for _, tc := range []struct {
		name, url, token string
		want             error
		says             string
	}{
		{"wrong token", recorded.URL, "wrong", ErrUnauthorized, "callboard token set 127.0.0.1"},
		{"no token", recorded.URL, "", ErrUnauthorized, "401"},
		{"forbidden", forbidden.URL, "t", ErrForbidden, "catalog.entity.read"},
		// Port 1, where nothing listens: a closed test server's port can be
		// taken by another test's server before this one dials it.
		{"gone", "http://127.0.0.1:1", "t", ErrUnreachable, "127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tc.url, Options{Token: tc.token})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Read(context.Background(), nil)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
}

// TestReadBounds: answers over a bound are refused with a clear error.
func TestReadBounds(t *testing.T) {
	t.Parallel()
	entity := `{"kind":"Component","metadata":{"name":"a%d","etag":"e"}}`
	pageOf := func(n int, cursor string) string {
		items := make([]string, n)
		for i := range items {
			items[i] = strings.Replace(entity, "%d", strings.Repeat("x", i), 1)
		}
		return `{"items":[` + strings.Join(items, ",") + `],"totalItems":100,"pageInfo":{"nextCursor":"` + cursor + `"}}`
	}
	for _, tc := range []struct {
		name string
		body string
		opts Options
		says string
	}{
		{"repeated cursor", pageOf(2, "same"), Options{PageSize: 2}, "cursor it gave before"},
		{"too many entities", pageOf(2, ""), Options{PageSize: 2, MaxEntities: 1}, "more than 1 entities"},
		{"page over its size", pageOf(3, ""), Options{PageSize: 2}, "more than the 2 asked for"},
		{"body too large", pageOf(2, ""), Options{PageSize: 2, MaxBody: 50}, "over 0 MiB"},
		{"not an entity", `{"items":[{"kind":"Component"}],"pageInfo":{}}`, Options{}, "no kind or metadata.name"},
		{"not json", `<html>`, Options{}, "cannot be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(tc.body)) }))
			t.Cleanup(srv.Close)
			c, err := New(srv.URL, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Read(context.Background(), nil)
			if !errors.Is(err, ErrBadResponse) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want ErrBadResponse saying %q", err, tc.says)
			}
		})
	}
}

// TestRedirectDropsToken: the token goes to the backend's host only; a
// redirect to another host is followed without it.
func TestRedirectDropsToken(t *testing.T) {
	t.Parallel()
	var sent []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent = append(sent, r.Header.Get("Authorization"))
		w.Write([]byte(`{"items":[],"totalItems":0,"pageInfo":{}}`))
	}))
	t.Cleanup(other.Close)
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(home.Close)
	c, err := New(home.URL, Options{Token: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Read(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || sent[0] != "" {
		t.Fatalf("the other host was sent %q, want no token", sent)
	}
}

func TestParseBaseURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://backstage.acme.example", "https://backstage.acme.example", true},
		{"https://Backstage.Acme.Example/portal/", "https://backstage.acme.example/portal", true},
		{"http://127.0.0.1:7022", "http://127.0.0.1:7022", true},
		{"http://backstage.acme.example", "", false},
		{"https://user:pw@backstage.acme.example", "", false},
		{"https://backstage.acme.example/?token=x", "", false},
		{"backstage.acme.example", "", false},
		{"ftp://backstage.acme.example", "", false},
	} {
		u, err := ParseBaseURL(tc.in)
		if (err == nil) != tc.ok || err == nil && u.String() != tc.want {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %q ok %v", tc.in, u, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadURL) {
			t.Errorf("ParseBaseURL(%q): %v is not ErrBadURL", tc.in, err)
		}
	}
}

func TestViewURL(t *testing.T) {
	t.Parallel()
	if got, want := ViewURL("https://bs.example/", "Default", "Component", "a b"), "https://bs.example/catalog/default/component/a%20b"; got != want {
		t.Errorf("ViewURL = %q, want %q", got, want)
	}
}

// refs are the refs of es, sorted.
func refs(es []Entity) []string {
	m := make(map[string]bool, len(es))
	for _, e := range es {
		m[e.Ref] = true
	}
	return slices.Sorted(maps.Keys(m))
}
