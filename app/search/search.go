package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/edgengram"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Result types.
const (
	TypeEntity   = "entity"
	TypeDocs     = "docs"
	TypeTemplate = "template"
	// TypePlugin is a document a plugin added: Name is the plugin, Path
	// where the document leads (an app route or a web address).
	TypePlugin = "plugin"
	// TypeQuestion is a question with its answers' text: Name is its
	// slug, Path its app route, Extra the entities it is about.
	TypeQuestion = "question"
	// TypeDecision is an architecture decision record: Ref is its
	// entity, Name its file, Status its normalised status, Path its app
	// route.
	TypeDecision = "adr"
)

// Doc is one searchable document: an entity, a docs page section, a
// template or a plugin's document.
type Doc struct {
	ID       string `json:"-"`
	Type     string `json:"type"` // TypeEntity, TypeDocs, TypeTemplate, TypePlugin or TypeQuestion
	Ref      string `json:"ref"`  // the entity the document is, or belongs to
	Location string `json:"location"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	// NameExact is the lower-cased name as one term, for an entity or a
	// template only: a docs section or a plugin's document carries the name
	// of what it is about, and must not outrank the thing itself.
	NameExact   string   `json:"nameExact"`
	KindLower   string   `json:"kindLower"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	TagsExact   []string `json:"tagsExact"`
	Owner       string   `json:"owner"`
	System      string   `json:"system"`
	EntityType  string   `json:"entityType"`
	Lifecycle   string   `json:"lifecycle"`
	// Status is a decision record's status (proposed, accepted, …).
	Status string `json:"status"`
	// Extra holds annotations worth searching, e.g. github.com/project-slug.
	Extra    string `json:"extra"`
	Headings string `json:"headings"`
	Body     string `json:"body"`
	// Path is where a docs section lives, e.g. "guides/setup#install".
	Path string `json:"path"`
}

// mappingVersion changes whenever the mapping or what goes into a field
// does: an index built with another is deleted and rebuilt (it is derived
// data). 4: docs sections no longer carry nameExact. 5: decision
// records' status, a facet.
const mappingVersion = "5"

// Analyzers for typing in progress: every prefix of 2 to 24 characters
// becomes a term, so "paym" is one term lookup instead of a prefix query
// expanding to every term that starts so.
const (
	prefixWords = "prefix_words" // each word of a text
	prefixWhole = "prefix_whole" // the whole value, e.g. a name with its hyphens
)

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := m.AddCustomTokenFilter("edge_2_24", map[string]any{"type": edgengram.Name, "min": 2.0, "max": 24.0}); err != nil {
		return nil, err
	}
	for name, tokenizer := range map[string]string{prefixWords: unicodetok.Name, prefixWhole: single.Name} {
		if err := m.AddCustomAnalyzer(name, map[string]any{"type": custom.Name, "tokenizer": tokenizer,
			"token_filters": []any{lowercase.Name, "edge_2_24"}}); err != nil {
			return nil, err
		}
	}
	text := func(analyzer string, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer, f.Store, f.IncludeTermVectors = analyzer, store, false
		return f
	}
	alias := func(name, analyzer string) *mapping.FieldMapping {
		f := text(analyzer, false)
		f.Name = name
		return f
	}
	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = store
		return f
	}
	doc := bleve.NewDocumentMapping()
	for name, fs := range map[string][]*mapping.FieldMapping{
		"type": {kw(true)}, "ref": {kw(true)}, "location": {kw(false)}, "kind": {kw(true)}, "owner": {kw(true)}, "system": {kw(false)},
		"entityType": {kw(true)}, "lifecycle": {kw(true)}, "status": {kw(true)}, "kindLower": {kw(false)}, "tagsExact": {kw(false)}, "path": {kw(true)},
		"nameExact":   {kw(false), alias("nameExactPrefix", prefixWhole)},
		"name":        {text(standard.Name, true), alias("namePrefix", prefixWords)},
		"title":       {text(standard.Name, true), alias("titlePrefix", prefixWords)},
		"tags":        {text(standard.Name, false), alias("tagsPrefix", prefixWords)},
		"description": {text(en.AnalyzerName, true)}, "extra": {text(standard.Name, false)},
		"headings": {text(en.AnalyzerName, false)}, "body": {text(en.AnalyzerName, true)},
	} {
		doc.AddFieldMappingsAt(name, fs...)
	}
	m.DefaultMapping = doc
	m.DefaultAnalyzer = keyword.Name
	m.StoreDynamic, m.IndexDynamic, m.DocValuesDynamic = false, false, false
	return m, nil
}

// Index is a full-text index of the catalog on disk (bleve's scorch). It
// is derived data: Open rebuilds a missing, damaged or outdated one empty,
// and the portal fills it from the store.
type Index struct {
	idx bleve.Index
	dir string
	// facets holds the facet values of the index's segments.
	facets facetCache
	// readOnly: scorch opened read-only waits forever on a batch, so
	// writes are refused here (OpenReadOnly).
	readOnly bool
}

// Open opens the index in dir, or makes an empty one; fresh reports that
// it is empty and must be filled.
func Open(dir string) (x *Index, fresh bool, err error) {
	idx, err := bleve.Open(dir)
	if err == nil {
		if v, gerr := idx.GetInternal([]byte("mapping-version")); gerr == nil && string(v) == mappingVersion {
			return &Index{idx: idx, dir: dir}, false, nil
		}
		idx.Close()
	}
	if err != nil && !errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		// Damaged: it is derived data, so it is made again.
		err = nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, false, fmt.Errorf("remove the old search index %s: %w", dir, err)
	}
	m, err := newMapping()
	if err != nil {
		return nil, false, fmt.Errorf("the search index mapping: %w", err)
	}
	idx, err = bleve.New(dir, m)
	if err != nil {
		return nil, false, fmt.Errorf("create the search index %s: %w", dir, err)
	}
	if err := idx.SetInternal([]byte("mapping-version"), []byte(mappingVersion)); err != nil {
		idx.Close()
		return nil, false, fmt.Errorf("create the search index %s: %w", dir, err)
	}
	return &Index{idx: idx, dir: dir}, true, nil
}

// Close closes the index.
func (x *Index) Close() error { return x.idx.Close() }

// Count is how many documents the index holds.
func (x *Index) Count() (uint64, error) { return x.idx.DocCount() }

// Apply indexes docs (replacing any with the same ID) and deletes the
// documents with the ids given, in one batch.
func (x *Index) Apply(ctx context.Context, docs []Doc, deletes []string) error {
	if x.readOnly {
		return ErrReadOnly
	}
	// Before the analysis and before the write, which are each long
	// enough for an instance closing to be kept waiting.
	if err := ctx.Err(); err != nil {
		return err
	}
	b := x.idx.NewBatch()
	for _, id := range deletes {
		b.Delete(id)
	}
	for i := range docs {
		d := &docs[i]
		d.NameExact, d.KindLower = "", strings.ToLower(d.Kind)
		if d.Type == TypeEntity || d.Type == TypeTemplate {
			d.NameExact = strings.ToLower(d.Name)
		}
		d.TagsExact = d.TagsExact[:0]
		for _, t := range d.Tags {
			d.TagsExact = append(d.TagsExact, strings.ToLower(t))
		}
		if err := b.Index(d.ID, d); err != nil {
			return fmt.Errorf("index %s: %w", d.ID, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := x.idx.Batch(b); err != nil {
		return fmt.Errorf("write the search index: %w", err)
	}
	return nil
}

// SetMark and Mark keep small facts with the index, such as which version
// of a location it holds.
func (x *Index) SetMark(key, value string) error {
	if x.readOnly {
		return ErrReadOnly
	}
	return x.idx.SetInternal([]byte("mark:"+key), []byte(value))
}

// Mark reads what SetMark stored, or "".
func (x *Index) Mark(key string) string {
	v, _ := x.idx.GetInternal([]byte("mark:" + key))
	return string(v)
}

// IDsOf lists the ids of the documents of location id.
func (x *Index) IDsOf(ctx context.Context, location string) ([]string, error) {
	var out []string
	q := query.NewTermQuery(location)
	q.SetField("location")
	for from := 0; ; from += 10000 {
		req := bleve.NewSearchRequestOptions(q, 10000, from, false)
		res, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("list the documents of %s: %w", location, err)
		}
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if len(res.Hits) < 10000 {
			return out, nil
		}
	}
}

// Query is a search: free text and filters. Within a filter the values
// are alternatives; filters all apply.
type Query struct {
	Text       string
	Types      []string
	Kinds      []string
	EntityType []string
	Owners     []string
	Lifecycles []string
	Tags       []string
	Statuses   []string // decision records' statuses
	// Refs keeps documents of these entities (the docs reader searches one site).
	Refs   []string
	Offset int
	Limit  int
	// Facets asks for the facet counts (the search page does; the palette,
	// which answers every keystroke, does not).
	Facets bool
}

// Hit is one result.
type Hit struct {
	ID          string
	Type        string
	Ref         string
	Kind        string
	Name        string
	Title       string
	Description string
	EntityType  string
	Owner       string
	Path        string
	Status      string // a decision record's
	// Snippet is a short plain-text passage around the first match in the
	// description or body, for the result list to highlight.
	Snippet string
	Score   float64
}

// Count is how many results have a facet value.
type Count struct {
	Value string
	Count int
}

// Result is a page of hits, the total, and facet counts over all matches.
type Result struct {
	Total  int
	Hits   []Hit
	Facets map[string][]Count
}

// maxQuery bounds the text searched: past it, a query says nothing more.
const maxQuery = 200

// Terms splits text into the words searched: letters and digits, lower-cased.
func Terms(text string) []string {
	if len(text) > maxQuery {
		text = text[:maxQuery]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return slices.Compact(words)
}

// textQuery ranks as a person would: the exact name first, then names that
// start with the text, then titles, tags, descriptions and docs bodies;
// every word must match somewhere, words of four letters or more with one
// typo allowed, the last word also as a prefix (typing in progress).
func textQuery(text string) query.Query {
	words := Terms(text)
	if len(words) == 0 {
		return nil
	}
	whole := strings.Join(words, "-")
	exact := query.NewTermQuery(whole)
	exact.SetField("nameExact")
	exact.SetBoost(100)
	tops := []query.Query{exact}
	if typed := strings.ToLower(strings.TrimSpace(text)); typed != whole {
		// As typed, for names with dots or underscores.
		raw := query.NewTermQuery(typed)
		raw.SetField("nameExact")
		raw.SetBoost(100)
		tops = append(tops, raw)
	}
	prefix := query.NewTermQuery(whole)
	prefix.SetField("nameExactPrefix")
	prefix.SetBoost(30)
	var all []query.Query
	for i, w := range words {
		var any []query.Query
		// The last word may still be being typed: it matches names, titles
		// and tags by prefix (the n-gram fields hold whole words too, so
		// these also match it exactly); the other words match whole.
		typing := i == len(words)-1 && utf8.RuneCountInString(w) >= 2
		for _, f := range []struct {
			field, prefix string
			boost         float64
		}{{"name", "namePrefix", 12}, {"title", "titlePrefix", 8}, {"tags", "tagsPrefix", 6}, {"extra", "", 4}, {"description", "", 2}, {"headings", "", 2}, {"body", "", 1}, {"entityType", "", 1}} {
			if typing && f.prefix != "" {
				p := query.NewTermQuery(w)
				p.SetField(f.prefix)
				p.SetBoost(f.boost)
				any = append(any, p)
				continue
			}
			m := query.NewMatchQuery(w)
			m.SetField(f.field)
			m.SetBoost(f.boost)
			any = append(any, m)
		}
		// Typos are forgiven in names and titles, where people look for
		// something they know; a fuzzy match in long text costs a lot and
		// is mostly noise.
		if utf8.RuneCountInString(w) >= 4 {
			for _, f := range []struct {
				field string
				boost float64
			}{{"name", 3}, {"title", 2}} {
				fz := query.NewFuzzyQuery(w)
				fz.SetField(f.field)
				fz.SetFuzziness(1)
				fz.SetBoost(f.boost)
				any = append(any, fz)
			}
		}
		all = append(all, query.NewDisjunctionQuery(any))
	}
	return query.NewDisjunctionQuery(append(tops, prefix, query.NewConjunctionQuery(all)))
}

func anyOf(field string, values []string) query.Query {
	var qs []query.Query
	for _, v := range values {
		t := query.NewTermQuery(v)
		t.SetField(field)
		qs = append(qs, t)
	}
	return query.NewDisjunctionQuery(qs)
}

// typeRank orders hits of equal score: the things themselves first.
var typeRank = map[string]int{TypeEntity: 0, TypeTemplate: 1, TypePlugin: 2, TypeDocs: 3, TypeQuestion: 4, TypeDecision: 5}

// Search runs q. Text is taken as words, never as query syntax, so
// operators, quotes or unbalanced brackets are just characters.
func (x *Index) Search(ctx context.Context, q Query) (Result, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	root := searchQuery(q)
	var counted *facetQuery
	if q.Facets {
		counted = &facetQuery{Query: root, cache: &x.facets}
		root = counted
	}
	req := bleve.NewSearchRequestOptions(root, limit, q.Offset, false)
	req.Fields = []string{"type", "ref", "kind", "name", "title", "description", "entityType", "owner", "path", "body", "status"}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	out := Result{Total: int(res.Total), Hits: make([]Hit, 0, len(res.Hits)), Facets: map[string][]Count{}}
	if counted != nil && counted.counter != nil {
		out.Facets = counted.counter.results()
	}
	words := Terms(q.Text)
	for _, h := range res.Hits {
		s := func(k string) string { v, _ := h.Fields[k].(string); return v }
		hit := Hit{ID: h.ID, Type: s("type"), Ref: s("ref"), Kind: s("kind"), Name: s("name"), Title: s("title"), Description: s("description"),
			EntityType: s("entityType"), Owner: s("owner"), Path: s("path"), Status: s("status"), Score: h.Score}
		hit.Snippet = snippet(words, hit.Description, s("body"))
		out.Hits = append(out.Hits, hit)
	}
	// Between equally good matches the entity or template itself comes
	// before the docs pages and documents about it (bleve breaks ties by
	// id, which puts "docs:" first). Sorting in the index by type as well
	// cost half again the query time at 100,000 entities.
	slices.SortStableFunc(out.Hits, func(a, b Hit) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return cmp.Compare(typeRank[a.Type], typeRank[b.Type])
	})
	return out, nil
}

// searchQuery is q's text and filters as one query.
func searchQuery(q Query) query.Query {
	tq := textQuery(q.Text)
	if tq == nil {
		tq = query.NewMatchAllQuery()
	}
	must := []query.Query{tq}
	for field, values := range map[string][]string{"type": q.Types, "kindLower": lower(q.Kinds), "entityType": q.EntityType, "owner": q.Owners, "lifecycle": q.Lifecycles, "tagsExact": lower(q.Tags), "status": q.Statuses, "ref": q.Refs} {
		if len(values) > 0 {
			must = append(must, anyOf(field, values))
		}
	}
	return query.NewConjunctionQuery(must)
}

func lower(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.ToLower(v)
	}
	return out
}

// snippet is about 160 characters of the first text holding a word,
// starting near the word.
func snippet(words []string, texts ...string) string {
	for _, t := range texts {
		lt := strings.ToLower(t)
		for _, w := range words {
			if i := strings.Index(lt, w); i >= 0 {
				start := max(0, i-40)
				for start > 0 && !utf8.RuneStart(t[start]) {
					start--
				}
				end := min(len(t), start+160)
				for end < len(t) && !utf8.RuneStart(t[end]) {
					end++
				}
				s := strings.Join(strings.Fields(t[start:end]), " ")
				if start > 0 {
					s = "…" + s
				}
				if end < len(t) {
					s += "…"
				}
				return s
			}
		}
	}
	for _, t := range texts {
		if t != "" {
			return firstChars(t, 160)
		}
	}
	return ""
}

func firstChars(t string, n int) string {
	t = strings.Join(strings.Fields(t), " ")
	if len(t) <= n {
		return t
	}
	end := n
	for end < len(t) && !utf8.RuneStart(t[end]) {
		end++
	}
	return t[:end] + "…"
}
