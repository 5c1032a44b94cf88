package catalogapi

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/catalogquery"
)

// defaultLimit is by-query's page size when none is asked, Backstage's.
const defaultLimit = 200

// queryBody is the body of POST /entities/by-query: a cursor and the
// page's limit and fields.
type queryBody struct {
	Cursor string   `json:"cursor"`
	Limit  *int     `json:"limit"`
	Fields []string `json:"fields"`
}

// byQuery answers GET and POST /entities/by-query: one page of a query
// in the order asked, its total, and the cursors of the pages around it.
func (h *Handler) byQuery(w http.ResponseWriter, r *http.Request) {
	if err := nonEmpty(r, "fullTextFilterTerm", "cursor"); err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	limit, hasLimit, err := intParam(r, "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	offset, _, err := intParam(r, "offset")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fieldParams := q["fields"]
	var extraFields []string
	encCursor := q.Get("cursor")
	if r.Method == http.MethodPost {
		var b queryBody
		if err := json.NewDecoder(io.LimitReader(r.Body, maxCursor+4096)).Decode(&b); err != nil {
			h.fail(w, r, inputError("request/body must be object"))
			return
		}
		if b.Cursor != "" {
			encCursor = b.Cursor
		}
		if b.Limit != nil {
			if *b.Limit < 0 {
				h.fail(w, r, inputError("request/body/limit must be >= 0"))
				return
			}
			limit, hasLimit = *b.Limit, true
		}
		extraFields = b.Fields
	}
	if !hasLimit {
		limit = defaultLimit
	}
	fields, err := parseFields(fieldParams, extraFields)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var c cursor
	initial := encCursor == ""
	if !initial {
		if c, err = decodeCursor(encCursor); err != nil {
			h.fail(w, r, inputError("Malformed cursor: %s", err))
			return
		}
	} else {
		filter, err := h.filter(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if p := predicateOf(filter); p != nil {
			c.Query, _ = json.Marshal(p)
		}
		for _, of := range q["orderField"] {
			field, order, hasOrder := strings.Cut(of, ",")
			if hasOrder && order != "asc" && order != "desc" {
				h.fail(w, r, inputError("Invalid order field order, must be asc or desc"))
				return
			}
			if !hasOrder {
				order = "asc"
			}
			c.OrderFields = append(c.OrderFields, orderField{Field: field, Order: order})
		}
		if c.OrderFields == nil {
			c.OrderFields = []orderField{}
		}
		c.FullTextFilter = &fullTextFilter{Term: q.Get("fullTextFilterTerm")}
		if ff := q["fullTextFilterFields"]; len(ff) > 0 {
			for _, f := range ff {
				for _, x := range strings.Split(f, ",") {
					if x = strings.TrimSpace(x); x != "" {
						c.FullTextFilter.Fields = append(c.FullTextFilter.Fields, x)
					}
				}
			}
		}
		if t := q.Get("totalItems"); t != "" && t != "include" && t != "exclude" {
			h.fail(w, r, inputError("Invalid totalItems parameter \"%s\", expected one of: include, exclude", t))
			return
		}
	}
	filter, err := filterOf(c.Query)
	if err != nil {
		h.fail(w, r, inputError("Malformed cursor: %s", err))
		return
	}
	var order catalogquery.Order
	sorted := len(c.OrderFields) > 0
	if sorted {
		order = catalogquery.Order{Key: strings.ToLower(c.OrderFields[0].Field), Desc: c.OrderFields[0].Order == "desc"}
	}
	query := catalogquery.Query{Filter: filter}
	if ft := c.FullTextFilter; ft != nil && strings.TrimSpace(ft.Term) != "" {
		fields := ft.Fields
		if fields == nil {
			fields = []string{cmpOr(order.Key, "metadata.uid")}
		}
		query.FullText = &catalogquery.FullText{Term: ft.Term, Fields: fields}
	}
	v, err := h.View(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := v.Match(query)
	var after *catalogquery.Position
	if n := len(c.OrderFieldValues); n > 0 {
		after = &catalogquery.Position{}
		if n == 2 {
			after.Value = deref(c.OrderFieldValues[0])
		}
		after.UID = deref(c.OrderFieldValues[n-1])
	}
	if !initial {
		offset = 0 // a cursor carries its own position
	}
	want := limit + 1
	if c.IsPrevious {
		want = limit
	}
	hits := m.Query(order, c.IsPrevious, after, offset, want)
	total := 0
	switch {
	case c.TotalItems != nil:
		total = *c.TotalItems
	case q.Get("totalItems") == "exclude":
	default:
		total = m.CountWithValue(order.Key)
	}
	if c.IsPrevious {
		slices.Reverse(hits)
	}
	more := limit > 0 && (c.IsPrevious || len(hits) > limit)
	if len(hits) > limit {
		hits = hits[:limit]
	}
	valuesOf := func(hit catalogquery.Hit) []*string {
		if sorted {
			return []*string{ptr(hit.Value), ptr(hit.UID)}
		}
		return []*string{ptr(hit.UID)}
	}
	first := c.FirstSortFieldValues
	if first == nil && len(hits) > 0 {
		first = valuesOf(hits[0])
	}
	pageInfo := map[string]string{}
	if more && len(hits) > 0 {
		next := c
		next.OrderFieldValues, next.FirstSortFieldValues, next.IsPrevious, next.TotalItems = valuesOf(hits[len(hits)-1]), first, false, &total
		pageInfo["nextCursor"] = encodeCursor(next)
	}
	if c.FirstSortFieldValues != nil && len(hits) > 0 && !equalValues(valuesOf(hits[0]), c.FirstSortFieldValues) {
		prev := c
		prev.OrderFieldValues, prev.IsPrevious, prev.TotalItems = valuesOf(hits[0]), true, &total
		pageInfo["prevCursor"] = encodeCursor(prev)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	io.WriteString(w, `{"items":[`)
	if err := h.writeEntities(r.Context(), w, v, hits, fields, false); err != nil {
		h.log.Warn("write entities", "err", err)
		return
	}
	tail, _ := json.Marshal(map[string]any{"totalItems": total, "pageInfo": pageInfo})
	io.WriteString(w, "],")
	w.Write(tail[1:])
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func equalValues(a, b []*string) bool {
	return slices.EqualFunc(a, b, func(x, y *string) bool { return (x == nil) == (y == nil) && deref(x) == deref(y) })
}
