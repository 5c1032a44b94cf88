package listing

import "github.com/callboard/callboard/app/store"

// row is an entity as the listing keeps it, 160 bytes instead of
// store.Row's 272: the fields most entities share (kind, namespace,
// owner, type, lifecycle, system, techdocs-ref, tags) are indices into
// its table's strings, and its location is its table's.
type row struct {
	t                                                    *table
	ref, name, title, description, email, extra, file    string
	kind, namespace, owner, typ, lifecycle, system, docs uint32
	tagsFrom, tagsTo                                     uint32 // its tags: t.tags[tagsFrom:tagsTo]
	errors                                               bool
}

// table is one location's rows and the strings they share.
type table struct {
	id   string
	rows []row
	strs []string // strs[0] is ""
	tags []uint32 // indices into strs, every row's tags one after another
}

func newTable(id string, rs []store.Row) *table {
	t := &table{id: id, rows: make([]row, len(rs)), strs: []string{""}}
	ids := map[string]uint32{"": 0}
	in := func(s string) uint32 {
		i, ok := ids[s]
		if !ok {
			i = uint32(len(t.strs))
			ids[s] = i
			t.strs = append(t.strs, s)
		}
		return i
	}
	for i := range rs {
		r := &rs[i]
		t.rows[i] = row{t: t, ref: r.Ref, name: r.Name, title: r.Title, description: r.Description, email: r.Email, extra: r.Extra, file: r.File,
			kind: in(r.Kind), namespace: in(r.Namespace), owner: in(r.Owner), typ: in(r.Type), lifecycle: in(r.Lifecycle), system: in(r.System), docs: in(r.Docs),
			tagsFrom: uint32(len(t.tags)), errors: r.Errors}
		for _, tag := range r.Tags {
			t.tags = append(t.tags, in(tag))
		}
		t.rows[i].tagsTo = uint32(len(t.tags))
	}
	return t
}

func (r *row) str(i uint32) string { return r.t.strs[i] }

func (r *row) tagList() []uint32 { return r.t.tags[r.tagsFrom:r.tagsTo] }

// Row returns r as the store gave it.
func (r *row) Row() store.Row {
	var tags []string
	if r.tagsTo > r.tagsFrom {
		tags = make([]string, 0, r.tagsTo-r.tagsFrom)
		for _, s := range r.tagList() {
			tags = append(tags, r.str(s))
		}
	}
	return store.Row{Ref: r.ref, Kind: r.str(r.kind), Namespace: r.str(r.namespace), Name: r.name, Title: r.title, Description: r.description,
		Owner: r.str(r.owner), Type: r.str(r.typ), Lifecycle: r.str(r.lifecycle), System: r.str(r.system), Tags: tags, Email: r.email, Extra: r.extra,
		Docs: r.str(r.docs), LocationID: r.t.id, File: r.file, Errors: r.errors}
}

// all returns every row of t as the store gave it.
func (t *table) all() []store.Row {
	out := make([]store.Row, len(t.rows))
	for i := range t.rows {
		out[i] = t.rows[i].Row()
	}
	return out
}
