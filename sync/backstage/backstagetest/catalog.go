package backstagetest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// Catalog serves a generated catalog through the two endpoints a
// Backstage location reads, as the backend answers them: by-query with
// cursor pages (and the etag fields alone when asked), by-refs. Entities
// are edited and deleted in place, their etags moving as the backend's do.
// Docs, when set, is its TechDocs storage: built files by path under
// /api/techdocs/static/docs/.
type Catalog struct {
	Docs     map[string][]byte
	URL      string
	Token    string
	Requests atomic.Int64
	Bytes    atomic.Int64
	mu       sync.Mutex
	refs     []string // in the backend's order
	byRef    map[string]*stored
	version  int
	srv      *httptest.Server
}

// stored is one entity as JSON, whole and projected to the fields asked
// for: encoded once, so the server holds bytes, not maps.
type stored struct {
	whole     []byte
	projected map[string][]byte // by the fields asked for
}

// Generate makes n entities of a gencat-like catalog: components, APIs,
// systems, groups and users that point at each other.
func Generate(n int) []map[string]any {
	out := make([]map[string]any, 0, n)
	for i := range n {
		var e map[string]any
		switch {
		case i%10 == 0:
			e = entity("Group", fmt.Sprintf("team-%d", i), map[string]any{"type": "team", "children": []any{}})
		case i%10 == 1:
			e = entity("User", fmt.Sprintf("user-%d", i), map[string]any{"memberOf": []any{fmt.Sprintf("team-%d", i-1)}})
		case i%10 == 2:
			e = entity("API", fmt.Sprintf("api-%d", i), map[string]any{"type": "openapi", "lifecycle": "production", "owner": fmt.Sprintf("team-%d", i-2),
				"definition": "openapi: 3.0.0\ninfo:\n  title: api\n  version: 1.0.0\npaths: {}\n"})
		case i%10 == 3:
			e = entity("System", fmt.Sprintf("system-%d", i), map[string]any{"owner": fmt.Sprintf("team-%d", i-3)})
		default:
			e = entity("Component", fmt.Sprintf("svc-%d", i), map[string]any{"type": "service", "lifecycle": "production", "owner": fmt.Sprintf("team-%d", i-i%10),
				"system": fmt.Sprintf("system-%d", i-i%10+3), "providesApis": []any{fmt.Sprintf("api-%d", i-i%10+2)}})
		}
		md := e["metadata"].(map[string]any)
		md["description"] = fmt.Sprintf("Entity %d of a generated catalog", i)
		md["annotations"] = map[string]any{"backstage.io/managed-by-location": fmt.Sprintf("url:https://git.example/acme/repo-%d/blob/main/catalog-info.yaml", i/10),
			"backstage.io/source-location": fmt.Sprintf("url:https://git.example/acme/repo-%d/tree/main/", i/10)}
		out = append(out, e)
	}
	return out
}

func entity(kind, name string, spec map[string]any) map[string]any {
	return map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": kind,
		"metadata": map[string]any{"name": name, "namespace": "default", "uid": "uid-" + strings.ToLower(kind) + "-" + name}, "spec": spec}
}

// NewCatalog serves es on loopback to requests carrying token (any
// request when token is "", as a backend that lets guests read); it stops
// with the test.
func NewCatalog(t testing.TB, token string, es []map[string]any) *Catalog {
	t.Helper()
	c := &Catalog{Token: token, byRef: map[string]*stored{}}
	for _, e := range es {
		c.put(e)
	}
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.srv.Close)
	c.URL = c.srv.URL
	return c
}

func refOf(e map[string]any) string {
	md := e["metadata"].(map[string]any)
	return strings.ToLower(fmt.Sprintf("%s:%s/%s", e["kind"], md["namespace"], md["name"]))
}

// put adds or replaces e with a new etag; the caller holds mu or owns c.
func (c *Catalog) put(e map[string]any) {
	ref := refOf(e)
	if _, ok := c.byRef[ref]; !ok {
		c.refs = append(c.refs, ref)
	}
	c.version++
	e["metadata"].(map[string]any)["etag"] = fmt.Sprintf("etag-%d", c.version)
	b, _ := json.Marshal(e) // plain JSON values: it cannot fail
	c.byRef[ref] = &stored{whole: b, projected: map[string][]byte{}}
}

// item is the entity ref as the fields ask for it.
func (c *Catalog) item(ref, fields string) []byte {
	s := c.byRef[ref]
	if fields == "" {
		return s.whole
	}
	if b, ok := s.projected[fields]; ok {
		return b
	}
	var e map[string]any
	_ = json.Unmarshal(s.whole, &e)
	b, _ := json.Marshal(project(e, fields))
	s.projected[fields] = b
	return b
}

// Edit changes the description of the entity ref.
func (c *Catalog) Edit(ref, description string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var e map[string]any
	_ = json.Unmarshal(c.byRef[ref].whole, &e)
	e["metadata"].(map[string]any)["description"] = description
	c.put(e)
}

// Put adds e, or replaces the entity of its ref, with a new etag.
func (c *Catalog) Put(e map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(e)
}

// Stop stops serving: the backend is out of reach.
func (c *Catalog) Stop() { c.srv.Close() }

// Delete removes the entity ref.
func (c *Catalog) Delete(ref string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byRef, ref)
	c.refs = slices.DeleteFunc(c.refs, func(r string) bool { return r == ref })
}

func (c *Catalog) serve(w http.ResponseWriter, r *http.Request) {
	c.Requests.Add(1)
	if c.Token != "" && r.Header.Get("Authorization") != "Bearer "+c.Token {
		http.Error(w, `{"error":{"name":"AuthenticationError","message":"Illegal token"}}`, http.StatusUnauthorized)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var body bytes.Buffer
	switch r.URL.Path {
	case "/api/catalog/entities/by-query":
		q := r.URL.Query()
		offset := 0
		if cur := q.Get("cursor"); cur != "" {
			b, _ := base64.StdEncoding.DecodeString(cur)
			offset, _ = strconv.Atoi(string(b))
		}
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit <= 0 {
			limit = 20
		}
		end := min(offset+limit, len(c.refs))
		items := make([][]byte, 0, end-offset)
		for _, ref := range c.refs[offset:end] {
			items = append(items, c.item(ref, q.Get("fields")))
		}
		info := "{}"
		if end < len(c.refs) {
			info = `{"nextCursor":"` + base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(end))) + `"}`
		}
		fmt.Fprintf(&body, `{"items":[%s],"totalItems":%d,"pageInfo":%s}`, bytes.Join(items, []byte(",")), len(c.refs), info)
	case "/api/catalog/entities/by-refs":
		var in struct{ EntityRefs []string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		items := make([][]byte, len(in.EntityRefs))
		for i, ref := range in.EntityRefs {
			items[i] = []byte("null")
			if _, ok := c.byRef[ref]; ok {
				items[i] = c.item(ref, "")
			}
		}
		fmt.Fprintf(&body, `{"items":[%s]}`, bytes.Join(items, []byte(",")))
	default:
		if doc, ok := c.Docs[strings.TrimPrefix(r.URL.Path, "/api/techdocs/static/docs/")]; ok {
			n, _ := w.Write(doc)
			c.Bytes.Add(int64(n))
			return
		}
		http.NotFound(w, r)
		return
	}
	b := body.Bytes()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	n, _ := w.Write(b)
	c.Bytes.Add(int64(n))
}

// project keeps the fields asked for (kind,metadata.name,…), all when
// none are.
func project(e map[string]any, fields string) any {
	if fields == "" {
		return e
	}
	out := map[string]any{}
	for f := range strings.SplitSeq(fields, ",") {
		src, dst := e, out
		parts := strings.Split(f, ".")
		for i, p := range parts {
			v, ok := src[p]
			if !ok {
				break
			}
			if i == len(parts)-1 {
				dst[p] = v
				break
			}
			m, _ := v.(map[string]any)
			if m == nil {
				break
			}
			if dst[p] == nil {
				dst[p] = map[string]any{}
			}
			src, dst = m, dst[p].(map[string]any)
		}
	}
	return out
}
