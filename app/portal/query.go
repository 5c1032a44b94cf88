package portal

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// FacetNames are the facets a query can filter on, in the order the UI
// shows them; in a URL each is a repeatable parameter of that name.
var FacetNames = []string{"kind", "type", "owner", "lifecycle", "tag", "namespace", "system"}

// Values writes q as URL parameters: text, kind/type/owner/... (repeatable),
// starred, mine, errors, sort, desc, offset, limit, filter=key=value.
func (q EntityQuery) Values() url.Values {
	p := url.Values{}
	set := func(k, v string) {
		if v != "" {
			p.Set(k, v)
		}
	}
	flag := func(k string, on bool) {
		if on {
			p.Set(k, "1")
		}
	}
	set("text", q.Text)
	if q.Kind != "" {
		p.Add("kind", q.Kind)
	}
	for _, f := range FacetNames {
		for _, v := range q.Facets[f] {
			p.Add(f, v)
		}
	}
	flag("starred", q.Starred)
	flag("mine", q.Mine)
	flag("errors", q.HasErrors)
	set("sort", q.Sort)
	flag("desc", q.Desc)
	if q.Offset > 0 {
		p.Set("offset", strconv.Itoa(q.Offset))
	}
	if q.Limit > 0 {
		p.Set("limit", strconv.Itoa(q.Limit))
	}
	keys := make([]string, 0, len(q.Filters))
	for k := range q.Filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		p.Add("filter", k+"="+q.Filters[k])
	}
	return p
}

// ParseEntityQuery reads the URL parameters Values writes; a malformed
// number or filter is ErrInvalid.
func ParseEntityQuery(p url.Values) (EntityQuery, error) {
	q := EntityQuery{Text: p.Get("text"), Sort: p.Get("sort")}
	for _, f := range FacetNames {
		for _, v := range p[f] {
			if v = strings.TrimSpace(v); v != "" {
				if q.Facets == nil {
					q.Facets = map[string][]string{}
				}
				q.Facets[f] = append(q.Facets[f], v)
			}
		}
	}
	for _, b := range []struct {
		name string
		into *bool
	}{{"starred", &q.Starred}, {"mine", &q.Mine}, {"errors", &q.HasErrors}, {"desc", &q.Desc}} {
		*b.into = p.Get(b.name) == "1" || p.Get(b.name) == "true"
	}
	for _, n := range []struct {
		name string
		into *int
	}{{"offset", &q.Offset}, {"limit", &q.Limit}} {
		v := p.Get(n.name)
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 {
			return q, fmt.Errorf("%s %q is not a non-negative number: %w", n.name, v, ErrInvalid)
		}
		*n.into = i
	}
	for _, f := range p["filter"] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return q, fmt.Errorf("filter %q is not of the form key=value: %w", f, ErrInvalid)
		}
		if q.Filters == nil {
			q.Filters = map[string]string{}
		}
		q.Filters[k] = v
	}
	return q, nil
}

// Values writes q as URL parameters: q, type, kind, entityType, owner,
// lifecycle, tag, ref (repeatable), offset, limit.
func (q SearchQuery) Values() url.Values {
	p := url.Values{}
	if q.Text != "" {
		p.Set("q", q.Text)
	}
	for name, vs := range map[string][]string{"type": q.Types, "kind": q.Kinds, "entityType": q.EntityType, "owner": q.Owners, "lifecycle": q.Lifecycles, "tag": q.Tags, "ref": q.Refs} {
		for _, v := range vs {
			p.Add(name, v)
		}
	}
	if q.Offset > 0 {
		p.Set("offset", strconv.Itoa(q.Offset))
	}
	if q.Limit > 0 {
		p.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.NoFacets {
		p.Set("facets", "0")
	}
	return p
}

// ParseSearchQuery reads what SearchQuery.Values writes.
func ParseSearchQuery(p url.Values) (SearchQuery, error) {
	q := SearchQuery{Text: p.Get("q"), Types: p["type"], Kinds: p["kind"], EntityType: p["entityType"], Owners: p["owner"], Lifecycles: p["lifecycle"], Tags: p["tag"], Refs: p["ref"],
		NoFacets: p.Get("facets") == "0"}
	for _, n := range []struct {
		name string
		into *int
	}{{"offset", &q.Offset}, {"limit", &q.Limit}} {
		if v := p.Get(n.name); v != "" {
			i, err := strconv.Atoi(v)
			if err != nil || i < 0 {
				return q, fmt.Errorf("%s %q is not a non-negative number: %w", n.name, v, ErrInvalid)
			}
			*n.into = i
		}
	}
	return q, nil
}
