package catalogapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// maxCursor bounds a cursor's encoded size: Backstage's own stay far
// below it.
const maxCursor = 64 << 10

// cursor is by-query's position as Backstage encodes it: base64 of this
// JSON, carrying the query itself, so later pages need nothing else.
type cursor struct {
	OrderFields          []orderField    `json:"orderFields"`
	IsPrevious           bool            `json:"isPrevious"`
	Query                json.RawMessage `json:"query,omitempty"`
	FullTextFilter       *fullTextFilter `json:"fullTextFilter,omitempty"`
	OrderFieldValues     []*string       `json:"orderFieldValues"`
	FirstSortFieldValues []*string       `json:"firstSortFieldValues,omitempty"`
	TotalItems           *int            `json:"totalItems,omitempty"`
}

type orderField struct {
	Field string `json:"field"`
	Order string `json:"order"`
}

type fullTextFilter struct {
	Term   string   `json:"term"`
	Fields []string `json:"fields,omitempty"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.StdEncoding.EncodeToString(b)
}

var errCursor = errors.New("malformed cursor")

// decodeCursor reads a cursor, refusing what Backstage's schema refuses:
// not base64 JSON, orderFields, orderFieldValues or isPrevious missing,
// an order other than asc or desc.
func decodeCursor(s string) (cursor, error) {
	var c cursor
	if len(s) > maxCursor {
		return c, fmt.Errorf("%w: too long", errCursor)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(s); err != nil {
			return c, fmt.Errorf("%w: not base64", errCursor)
		}
	}
	var shape struct {
		OrderFields      json.RawMessage `json:"orderFields"`
		IsPrevious       json.RawMessage `json:"isPrevious"`
		OrderFieldValues json.RawMessage `json:"orderFieldValues"`
	}
	if err := json.Unmarshal(b, &shape); err != nil {
		return c, fmt.Errorf("%w: not JSON", errCursor)
	}
	if shape.OrderFields == nil || shape.IsPrevious == nil || shape.OrderFieldValues == nil {
		return c, fmt.Errorf("%w: orderFields, isPrevious and orderFieldValues are required", errCursor)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%w: %v", errCursor, err)
	}
	for _, o := range c.OrderFields {
		if o.Order != "asc" && o.Order != "desc" {
			return c, fmt.Errorf("%w: order must be asc or desc", errCursor)
		}
	}
	if len(c.OrderFieldValues) > 2 || len(c.FirstSortFieldValues) > 2 {
		return c, fmt.Errorf("%w: too many order field values", errCursor)
	}
	return c, nil
}
