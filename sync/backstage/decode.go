package backstage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Entity is one entity as the backend sends it: its JSON as received and
// what Callboard reads of it to tell it apart and see it change.
type Entity struct {
	Ref  string // kind:namespace/name, lower-cased, the default namespace filled in
	ETag string // metadata.etag: changes whenever the backend's output does
	// JSON is the whole entity (nil from a read of its etag alone).
	JSON json.RawMessage
}

// page is one answer of GET /entities/by-query.
type page struct {
	Items      []Entity
	TotalItems int
	NextCursor string
}

// head is what a page's item must hold to be an entity at all.
type head struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
		ETag      string `json:"etag"`
	} `json:"metadata"`
}

// decodeEntity reads one item: an object with a kind and a name. whole
// keeps its JSON.
func decodeEntity(raw json.RawMessage, whole bool) (Entity, error) {
	var h head
	if err := json.Unmarshal(raw, &h); err != nil {
		return Entity{}, fmt.Errorf("an entity is not an object with a kind and metadata: %w", err)
	}
	if h.Kind == "" || h.Metadata.Name == "" {
		return Entity{}, fmt.Errorf("an entity has no kind or metadata.name")
	}
	e := Entity{Ref: refOf(h.Kind, h.Metadata.Namespace, h.Metadata.Name), ETag: h.Metadata.ETag}
	if whole {
		e.JSON = bytes.Clone(raw)
	}
	return e, nil
}

func refOf(kind, namespace, name string) string {
	if namespace == "" {
		namespace = "default"
	}
	return strings.ToLower(kind + ":" + namespace + "/" + name)
}

// decodePage reads one answer of /entities/by-query; whole keeps each
// item's JSON. At most maxItems items are accepted.
func decodePage(b []byte, whole bool, maxItems int) (page, error) {
	var raw struct {
		Items      []json.RawMessage `json:"items"`
		TotalItems int               `json:"totalItems"`
		PageInfo   struct {
			NextCursor string `json:"nextCursor"`
		} `json:"pageInfo"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return page{}, fmt.Errorf("%w: a page of entities: %v", ErrBadResponse, err)
	}
	if raw.Items == nil {
		return page{}, fmt.Errorf("%w: a page of entities has no items", ErrBadResponse)
	}
	if len(raw.Items) > maxItems {
		return page{}, fmt.Errorf("%w: a page holds %d entities, more than the %d asked for", ErrBadResponse, len(raw.Items), maxItems)
	}
	p := page{TotalItems: raw.TotalItems, NextCursor: raw.PageInfo.NextCursor, Items: make([]Entity, 0, len(raw.Items))}
	for i, it := range raw.Items {
		e, err := decodeEntity(it, whole)
		if err != nil {
			return page{}, fmt.Errorf("%w: item %d of a page: %v", ErrBadResponse, i, err)
		}
		p.Items = append(p.Items, e)
	}
	return p, nil
}

// decodeRefs reads the answer of POST /entities/by-refs: one item per ref
// asked for, in order, null for one the backend no longer has.
func decodeRefs(b []byte, asked int) ([]Entity, error) {
	var raw struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: entities by ref: %v", ErrBadResponse, err)
	}
	if len(raw.Items) != asked {
		return nil, fmt.Errorf("%w: %d entities asked for by ref, %d answered", ErrBadResponse, asked, len(raw.Items))
	}
	out := make([]Entity, 0, len(raw.Items))
	for i, it := range raw.Items {
		if bytes.Equal(bytes.TrimSpace(it), []byte("null")) {
			continue
		}
		e, err := decodeEntity(it, true)
		if err != nil {
			return nil, fmt.Errorf("%w: item %d of entities by ref: %v", ErrBadResponse, i, err)
		}
		out = append(out, e)
	}
	return out, nil
}
