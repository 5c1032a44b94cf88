package catalogapi

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
)

var quiet = slog.New(slog.DiscardHandler)

// exchange is one recorded request to the Backstage peer and its answer.
type exchange struct {
	Method   string          `json:"method"`
	URL      string          `json:"url"`
	Body     json.RawMessage `json:"body,omitempty"`
	Status   int             `json:"status"`
	Link     string          `json:"link,omitempty"`
	Response json.RawMessage `json:"response"`
}

// peerCase is what one catalog-client call made of the peer.
type peerCase struct {
	Name      string     `json:"name"`
	Exchanges []exchange `json:"exchanges"`
}

func readPeer(t *testing.T) []peerCase {
	t.Helper()
	f, err := os.Open("testdata/peer.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []peerCase
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var c peerCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// peerUIDs maps each entity's ref to the uid the peer gave it, so the
// orders Backstage breaks ties in (by uid) are the same here.
func peerUIDs(cases []peerCase) (map[string]string, map[string]any) {
	uids := map[string]string{}
	var generated map[string]any
	var visit func(v any)
	visit = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				visit(x)
			}
		case map[string]any:
			md, _ := v["metadata"].(map[string]any)
			kind, _ := v["kind"].(string)
			name, _ := md["name"].(string)
			uid, _ := md["uid"].(string)
			if kind != "" && name != "" && uid != "" {
				ref := strings.ToLower(kind + ":default/" + name)
				uids[ref] = uid
				if kind == "Location" && strings.HasPrefix(name, "generated-") {
					generated = v
				}
				return
			}
			for _, x := range v {
				visit(x)
			}
		}
	}
	for _, c := range cases {
		for _, x := range c.Exchanges {
			var v any
			_ = json.Unmarshal(x.Response, &v)
			visit(v)
		}
	}
	return uids, generated
}

// gencatPath stands for the catalog's folder, wherever the peer or the
// test found it.
var gencatPath = regexp.MustCompile(`[^"\s]*/testdata/gencat`)

// nameGencat is gencatPath.ReplaceAll(b, "<gencat>"), without a regexp
// scan of every answer.
func nameGencat(b []byte) []byte {
	const mark = "/testdata/gencat"
	var out []byte
	for {
		i := bytes.Index(b, []byte(mark))
		if i < 0 {
			return append(out, b...)
		}
		j := i
		for j > 0 && b[j-1] != '"' && b[j-1] != ' ' && b[j-1] != '\n' {
			j--
		}
		out = append(append(out, b[:j]...), "<gencat>"...)
		b = b[i+len(mark):]
	}
}

// loadGencat syncs testdata/gencat into a store as Backstage reads it
// from a file location, with the Location Backstage makes for its
// config entry.
func loadGencat(t testing.TB, generated map[string]any) *store.DB {
	t.Helper()
	ctx := context.Background()
	dir, err := filepath.Abs("testdata/gencat")
	if err != nil {
		t.Fatal(err)
	}
	files, err := catalog.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := catalog.Process(ctx, files, catalog.Options{LocationRef: func(file string) string { return "file:" + filepath.Join(dir, file) }}, "catalog-info.yaml")
	if len(res.Errors) > 0 {
		t.Fatalf("gencat: %v", res.Errors)
	}
	snap := store.Snapshot{Commit: "c1", Entities: res.Entities, Edges: res.Edges}
	if generated != nil {
		b, _ := json.Marshal(generated)
		b = gencatPath.ReplaceAll(b, []byte(dir))
		var e catalog.Entity
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		delete(e.Raw, "relations")
		md := e.Raw["metadata"].(map[string]any)
		delete(md, "uid")
		delete(md, "etag")
		snap.Entities = append(snap.Entities, catalog.Processed{Entity: e, Source: catalog.Source{File: "app-config.yaml", Line: 1}})
	}
	db, err := store.Open(ctx, t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.PutLocation(ctx, store.Location{ID: "gencat", URL: dir, Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceLocation(ctx, "gencat", snap, time.Unix(1e9, 0)); err != nil {
		t.Fatal(err)
	}
	return db
}

// normal makes an answer comparable: etags dropped, the catalog's
// folder named alike, facet values in one order.
func normal(t *testing.T, b []byte) any {
	t.Helper()
	b = nameGencat(b)
	var v any
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return string(b)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			delete(v, "etag")
			// Backstage answers the ref lists of spec sorted; Callboard
			// as written.
			if spec, ok := v["spec"].(map[string]any); ok {
				for _, x := range spec {
					if list, ok := x.([]any); ok && !slices.ContainsFunc(list, func(y any) bool { _, s := y.(string); return !s }) {
						slices.SortFunc(list, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
					}
				}
			}
			if pi, ok := v["pageInfo"].(map[string]any); ok {
				for k := range pi {
					pi[k] = "<cursor>"
				}
			}
			if req, ok := v["request"].(map[string]any); ok {
				delete(req, "url")
			}
			// What follows is JavaScript's own parser and schema speaking.
			if e, ok := v["error"].(map[string]any); ok {
				if m, _ := e["message"].(string); strings.HasPrefix(strings.ToLower(m), "malformed cursor:") {
					e["message"] = "Malformed cursor: …"
				}
			}
			for k, x := range v {
				v[k] = walk(x)
			}
		case []any:
			for i, x := range v {
				v[i] = walk(x)
			}
		}
		return v
	}
	return walk(v)
}

// TestAgainstBackstage replays the requests @backstage/catalog-client
// made of the real catalog backend (make conformance-catalog-api records
// them) and wants the same answers: entities and their order, totals,
// facets, errors; cursors are followed as this server wrote them.
func TestAgainstBackstage(t *testing.T) {
	t.Parallel()
	cases := readPeer(t)
	if len(cases) < 300 {
		t.Fatalf("%d recorded cases, want at least 300", len(cases))
	}
	uids, generated := peerUIDs(cases)
	db := loadGencat(t, generated)
	h := New(db, Options{Log: quiet, UID: func(ref string) string {
		if u, ok := uids[ref]; ok {
			return u
		}
		return "unknown-" + ref
	}})
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if len(c.Exchanges) > 0 && len(c.Exchanges[0].Response) > 0 && c.Exchanges[0].Response[0] == '[' {
				var a []json.RawMessage
				_ = json.Unmarshal(c.Exchanges[0].Response, &a)
				t.Logf("peer listed %d", len(a))
			}
			var last map[string]any
			for i, x := range c.Exchanges {
				target := x.URL
				body := []byte(x.Body)
				target, body = followCursor(t, target, body, last)
				req := httptest.NewRequest(x.Method, target, bytes.NewReader(body))
				if len(body) > 0 {
					req.Header.Set("Content-Type", "application/json")
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != x.Status {
					t.Fatalf("exchange %d %s %s: status %d, peer %d: %s\npeer: %.400s", i, x.Method, x.URL, rec.Code, x.Status, rec.Body.String(), x.Response)
				}
				if (rec.Header().Get("Link") != "") != (x.Link != "") {
					t.Errorf("exchange %d %s: link %q, peer %q", i, x.URL, rec.Header().Get("Link"), x.Link)
				}
				got, want := normal(t, rec.Body.Bytes()), normal(t, x.Response)
				if strings.Contains(x.URL, "entity-facets") {
					sortFacets(got)
					sortFacets(want)
				}
				if x.Status == http.StatusNotFound && want == nil {
					continue
				}
				if reflect.DeepEqual(want, got) {
					// cmp.Diff only to explain a difference: it is slow.
				} else if diff := cmp.Diff(want, got); diff != "" {
					if a, ok := want.([]any); ok {
						b, _ := got.([]any)
						for j := range min(len(a), len(b)) {
							if d := cmp.Diff(a[j], b[j]); d != "" {
								diff = fmt.Sprintf("%d listed, peer %d; first difference at %d:\n%s", len(b), len(a), j, d)
								break
							}
						}
					}
					if len(diff) > 3000 {
						diff = diff[:3000]
					}
					t.Fatalf("exchange %d %s %s (-peer +callboard):\n%s", i, x.Method, x.URL, diff)
				}
				last, _ = got.(map[string]any)
				if err := json.Unmarshal(rec.Body.Bytes(), &last); err != nil {
					last = nil
				}
			}
		})
	}
}

// followCursor replaces a recorded by-query cursor with the one this
// server gave in its last answer (next or previous, as the recorded one
// says), since cursors carry each server's own positions.
func followCursor(t *testing.T, target string, body []byte, last map[string]any) (string, []byte) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	recorded := u.Query().Get("cursor")
	var b map[string]any
	if len(body) > 0 && json.Unmarshal(body, &b) == nil {
		if c, ok := b["cursor"].(string); ok {
			recorded = c
		}
	}
	if recorded == "" || last == nil || !strings.Contains(u.Path, "by-query") {
		return target, body
	}
	raw, _ := base64.StdEncoding.DecodeString(recorded)
	var rc cursor
	_ = json.Unmarshal(raw, &rc)
	pi, _ := last["pageInfo"].(map[string]any)
	key := "nextCursor"
	if rc.IsPrevious {
		key = "prevCursor"
	}
	ours, _ := pi[key].(string)
	if ours == "" {
		t.Fatalf("the peer followed %s, but this server gave none", key)
	}
	if b != nil {
		b["cursor"] = ours
		body, _ = json.Marshal(b)
		return target, body
	}
	q := u.Query()
	q.Set("cursor", ours)
	u.RawQuery = q.Encode()
	return u.String(), body
}

func sortFacets(v any) {
	m, _ := v.(map[string]any)
	fs, _ := m["facets"].(map[string]any)
	for _, counts := range fs {
		list, _ := counts.([]any)
		slices.SortFunc(list, func(a, b any) int {
			return strings.Compare(a.(map[string]any)["value"].(string), b.(map[string]any)["value"].(string))
		})
	}
}
