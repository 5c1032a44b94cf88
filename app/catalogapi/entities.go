package catalogapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/catalogquery"
	"github.com/callboard/callboard/app/store"
)

// batch is how many entities are read from the store at once while an
// answer is written, so a large answer is never all in memory.
const batch = 500

// maxWorkers bounds the goroutines one answer reads and writes entities
// with; more than the CPUs would only wait.
const maxWorkers = 4

// span is where one entity's JSON lies: in a worker's buffer, or kept
// by the answer cache (b); w is -1 for an entity that is gone.
type span struct {
	w          int
	start, end int
	b          []byte
}

// writeEntities writes the entities of hits as JSON array items, each
// projected, reading them batch by batch, their relations from the view.
// For by-refs (refs), a hit whose entity is gone since the view saw it
// is written as null (else left out), and whole answers are taken from
// and kept in the answer cache. Each batch is read and rendered by
// several workers, each into its own buffer, and written in order.
func (h *Handler) writeEntities(ctx context.Context, w io.Writer, v *catalogquery.View, hits []catalogquery.Hit, p projection, refs bool) error {
	workers := min(runtime.GOMAXPROCS(0), maxWorkers)
	if len(hits) < 4*workers {
		workers = 1
	}
	cache := refs && p == nil
	bufs := make([][]byte, workers)
	for i := range bufs {
		bufs[i] = h.bufs.get()
	}
	defer func() {
		for _, b := range bufs {
			h.bufs.put(b)
		}
	}()
	reads := make([]store.RefAt, 0, min(batch, len(hits)))
	at := make([]int, 0, min(batch, len(hits))) // the hit of each read
	spans := make([]span, 0, min(batch, len(hits)))
	first := true
	for start := 0; start < len(hits); start += batch {
		part := hits[start:min(start+batch, len(hits))]
		reads, at, spans = reads[:0], at[:0], spans[:len(part)]
		for i, hit := range part {
			if hit.Ref == "" {
				spans[i] = span{w: -1}
				continue
			}
			if cache {
				if b, ok := h.answers.get(v, hit.Ref); ok {
					spans[i] = span{b: b}
					continue
				}
			}
			reads = append(reads, store.RefAt{Ref: hit.Ref, LocationID: hit.LocationID})
			at = append(at, i)
		}
		for i := range bufs {
			bufs[i] = bufs[i][:0]
		}
		err := h.db.RecordsParallel(ctx, reads, workers, func(wk, j int, record []byte) error {
			i := at[j]
			if record == nil {
				spans[i] = span{w: -1}
				return nil
			}
			b := bufs[wk]
			s := span{w: wk, start: len(b)}
			b, err := appendEntity(b, part[i], record, v.Relations(part[i].Ref), p)
			if err != nil {
				return err
			}
			s.end = len(b)
			bufs[wk], spans[i] = b, s
			return nil
		})
		if err != nil {
			return err
		}
		for i, s := range spans {
			if s.w < 0 && !refs {
				continue
			}
			if !first {
				if _, err := io.WriteString(w, ","); err != nil {
					return err
				}
			}
			first = false
			b := s.b
			switch {
			case s.w < 0:
				_, err = io.WriteString(w, "null")
			case b == nil:
				b = bufs[s.w][s.start:s.end]
				if cache {
					h.answers.put(v, part[i].Ref, b)
				}
				fallthrough
			default:
				_, err = w.Write(b)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// appendEntity appends the entity of hit, projected by p, as JSON.
func appendEntity(dst []byte, hit catalogquery.Hit, record []byte, rels []store.Relation, p projection) ([]byte, error) {
	if p == nil {
		return appendEntityJSON(dst, hit.UID, hit.Ref, record, rels)
	}
	e, err := entityOf(hit.UID, hit.Ref, record, rels)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(p.apply(e))
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

// afterCursor is the /entities pagination cursor: base64 JSON of the
// next page's limit and offset.
type afterCursor struct {
	Limit  *int `json:"limit,omitempty"`
	Offset *int `json:"offset,omitempty"`
}

func (h *Handler) entities(w http.ResponseWriter, r *http.Request) {
	if err := nonEmpty(r, "after"); err != nil {
		h.fail(w, r, err)
		return
	}
	filter, err := h.filter(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fields, err := parseFields(r.URL.Query()["fields"], nil)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var order *catalogquery.Order
	for _, o := range r.URL.Query()["order"] {
		dir, field, ok := strings.Cut(o, ":")
		if !ok || (dir != "asc" && dir != "desc") || field == "" {
			h.fail(w, r, inputError("Invalid order parameter \"%s\", expected \"<asc or desc>:<field name>\"", o))
			return
		}
		if order == nil {
			order = &catalogquery.Order{Key: strings.ToLower(field), Desc: dir == "desc"}
		}
	}
	offset, _, err := intParam(r, "offset")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	limit, hasLimit, err := intParam(r, "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if hasLimit && limit == 0 {
		h.fail(w, r, inputError("Invalid limit, must be greater than zero"))
		return
	}
	if after := r.URL.Query().Get("after"); after != "" {
		var c afterCursor
		b, err := base64.StdEncoding.DecodeString(after)
		if err != nil || json.Unmarshal(b, &c) != nil {
			h.fail(w, r, inputError("Malformed after cursor, could not be parsed"))
			return
		}
		if c.Limit != nil {
			limit, hasLimit = *c.Limit, true
		}
		if c.Offset != nil {
			offset = *c.Offset
		}
		if limit < 0 || offset < 0 {
			h.fail(w, r, inputError("Malformed after cursor, could not be parsed"))
			return
		}
	}
	v, err := h.View(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := v.Match(catalogquery.Query{Filter: filter})
	var hits []catalogquery.Hit
	if paged := hasLimit || offset > 0 || r.URL.Query().Has("offset") || r.URL.Query().Has("after"); !paged {
		// Unpaged, Backstage answers as by-query does: by uid, or only
		// the entities with a value of the order field, in its order.
		o := catalogquery.Order{}
		if order != nil {
			o = *order
		}
		hits = m.Query(o, false, nil, 0, m.CountWithValue(o.Key))
	} else {
		want := m.Count()
		if hasLimit {
			want = min(want, limit+1)
		}
		hits = m.Entities(order, offset, want)
	}
	if hasLimit && len(hits) > limit {
		hits = hits[:limit]
		next, _ := json.Marshal(afterCursor{Limit: &limit, Offset: ptr(offset + limit)})
		u := *r.URL
		q := u.Query()
		q.Del("offset")
		q.Set("after", base64.StdEncoding.EncodeToString(next))
		w.Header().Set("Link", "<"+u.Path+"?"+q.Encode()+">; rel=\"next\"")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	io.WriteString(w, "[")
	if err := h.writeEntities(r.Context(), w, v, hits, fields, false); err != nil {
		h.log.Warn("write entities", "err", err)
		return
	}
	io.WriteString(w, "]")
}

func ptr[T any](v T) *T { return &v }

// refsRequest is the body of POST /entities/by-refs.
type refsRequest struct {
	EntityRefs json.RawMessage `json:"entityRefs"`
	Fields     []string        `json:"fields"`
}

// maxRefs bounds one by-refs request, so a body cannot ask for millions.
const maxRefs = 10000

func (h *Handler) byRefs(w http.ResponseWriter, r *http.Request) {
	var req refsRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<20)).Decode(&req); err != nil {
		h.fail(w, r, inputError("request/body must be object"))
		return
	}
	if req.EntityRefs == nil {
		h.fail(w, r, inputError("request/body must have required property 'entityRefs'"))
		return
	}
	var refs []string
	if err := json.Unmarshal(req.EntityRefs, &refs); err != nil {
		h.fail(w, r, inputError("request/body/entityRefs must be array"))
		return
	}
	if len(refs) > maxRefs {
		h.fail(w, r, inputError("request/body/entityRefs must NOT have more than %d items", maxRefs))
		return
	}
	fields, err := parseFields(r.URL.Query()["fields"], req.Fields)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	filter, err := h.filter(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.View(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var m *catalogquery.Match
	if filter != nil {
		m = v.Match(catalogquery.Query{Filter: filter})
	}
	hits := make([]catalogquery.Hit, len(refs))
	for i, ref := range refs {
		ref = strings.ToLower(ref)
		if hit, ok := v.Get(ref); ok && (m == nil || m.Has(ref)) {
			hits[i] = hit
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	io.WriteString(w, `{"items":[`)
	if err := h.writeEntities(r.Context(), w, v, hits, fields, true); err != nil {
		h.log.Warn("write entities", "err", err)
		return
	}
	io.WriteString(w, "]}")
}

// one answers a single entity, or 404 with msg.
func (h *Handler) one(w http.ResponseWriter, r *http.Request, v *catalogquery.View, hit catalogquery.Hit, ok bool, msg string) {
	if !ok {
		h.fail(w, r, notFound("%s", msg))
		return
	}
	e, found, err := h.entity(r.Context(), v, hit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !found {
		h.fail(w, r, notFound("%s", msg))
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (h *Handler) entity(ctx context.Context, v *catalogquery.View, hit catalogquery.Hit) (map[string]any, bool, error) {
	var e map[string]any
	err := h.db.Records(ctx, []store.RefAt{{Ref: hit.Ref, LocationID: hit.LocationID}}, func(_ int, record []byte) error {
		if record == nil {
			return nil
		}
		var err error
		e, err = entityOf(hit.UID, hit.Ref, record, v.Relations(hit.Ref))
		return err
	})
	return e, e != nil, err
}

// document reads the entity of hit as stored, without what answers add
// to it (uid, etag, relations).
func (h *Handler) document(ctx context.Context, hit catalogquery.Hit) (map[string]any, bool, error) {
	var s stored
	err := h.db.Records(ctx, []store.RefAt{{Ref: hit.Ref, LocationID: hit.LocationID}}, func(_ int, record []byte) error {
		if record == nil {
			return nil
		}
		if err := json.Unmarshal(record, &s); err != nil {
			return fmt.Errorf("decode %s: %w", hit.Ref, err)
		}
		return nil
	})
	return s.Entity, s.Entity != nil, err
}

func (h *Handler) byUID(w http.ResponseWriter, r *http.Request) {
	uid := r.PathValue("uid")
	v, err := h.View(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hit, ok := v.GetUID(uid)
	h.one(w, r, v, hit, ok, "No entity with uid "+uid)
}

func (h *Handler) byName(w http.ResponseWriter, r *http.Request) {
	kind, ns, name := r.PathValue("kind"), r.PathValue("namespace"), r.PathValue("name")
	v, err := h.View(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hit, ok := v.Get(strings.ToLower(kind + ":" + ns + "/" + name))
	h.one(w, r, v, hit, ok, "No entity named '"+name+"' found, with kind '"+kind+"' in namespace '"+ns+"'")
}

// ancestry answers the chain of Location entities that led to an
// entity: each entity's parent is the Location entity of its location
// whose file is the entity's origin location.
func (h *Handler) ancestry(w http.ResponseWriter, r *http.Request) {
	root := strings.ToLower(r.PathValue("kind") + ":" + r.PathValue("namespace") + "/" + r.PathValue("name"))
	v, err := h.View(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type item struct {
		Entity           map[string]any `json:"entity"`
		ParentEntityRefs []string       `json:"parentEntityRefs"`
	}
	var items []item
	seen := map[string]bool{}
	for ref := root; ref != "" && !seen[ref]; {
		seen[ref] = true
		hit, ok := v.Get(ref)
		if !ok {
			break
		}
		e, found, err := h.entity(r.Context(), v, hit)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if !found {
			break
		}
		parent := h.parentOf(v, hit, e)
		it := item{Entity: e, ParentEntityRefs: []string{}}
		if parent != "" && !seen[parent] {
			it.ParentEntityRefs = append(it.ParentEntityRefs, parent)
		}
		items = append(items, it)
		ref = parent
	}
	if len(items) == 0 {
		h.fail(w, r, notFound("No such entity %s", root))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rootEntityRef": root, "items": items})
}

// parentOf is the ref of the Location entity that led to e: the one
// of e's location whose file is e's origin, or, for the file at the root
// of a location, a Location entity that targets that file.
func (h *Handler) parentOf(v *catalogquery.View, hit catalogquery.Hit, e map[string]any) string {
	md, _ := e["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	origin, _ := ann["backstage.io/managed-by-origin-location"].(string)
	own, _ := ann["backstage.io/managed-by-location"].(string)
	find := func(key, value string, sameLocation bool) string {
		m := v.Match(catalogquery.Query{Filter: &catalogquery.Filter{AnyOf: [][]catalogquery.Condition{{
			{Key: "kind", Values: []string{"location"}},
			{Key: key, Values: []string{strings.ToLower(value)}},
		}}}})
		for _, p := range m.Entities(nil, 0, 8) {
			if p.Ref != hit.Ref && (!sameLocation || p.LocationID == hit.LocationID) {
				return p.Ref
			}
		}
		return ""
	}
	if origin != "" && origin != own {
		return find("metadata.annotations.backstage.io/managed-by-location", origin, true)
	}
	if _, target, ok := strings.Cut(own, ":"); ok {
		return find("spec.target", target, false)
	}
	return ""
}

func (h *Handler) facets(w http.ResponseWriter, r *http.Request) {
	names := r.URL.Query()["facet"]
	if len(names) == 0 {
		h.fail(w, r, inputError("request/query must have required property 'facet'"))
		return
	}
	filter, err := h.filter(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.View(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := v.Match(catalogquery.Query{Filter: filter})
	out := map[string][]catalogquery.FacetCount{}
	for _, f := range names {
		counts := m.Facet(strings.ToLower(f))
		slices.SortFunc(counts, func(a, b catalogquery.FacetCount) int { return strings.Compare(a.Value, b.Value) })
		out[f] = counts
	}
	writeJSON(w, http.StatusOK, map[string]any{"facets": out})
}

// locationOut is a location as Backstage lists it.
type locationOut struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Target string `json:"target"`
}

func locationOf(l store.Location) locationOut {
	typ := "url"
	if u, err := url.Parse(l.URL); err != nil || u.Scheme == "" || u.Scheme == "file" {
		typ = "file"
	}
	return locationOut{ID: l.ID, Type: typ, Target: l.URL}
}
