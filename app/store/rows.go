package store

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/catalog"
)

// Row is a stored entity as the catalog table, Home and the palette list
// it: the few fields they show, filter, sort and search on. The store
// projects it from an entity's record (Rows), so what a row says follows
// what is stored.
type Row struct {
	Ref         string
	Kind        string
	Namespace   string
	Name        string
	Title       string
	Description string
	Owner       string // an entity ref
	Type        string
	Lifecycle   string
	System      string // an entity ref
	Tags        []string
	Email       string // a User's spec.profile.email
	// Extra holds annotation values worth searching: project slugs.
	Extra string
	// Docs is the entity's backstage.io/techdocs-ref, "" without docs.
	Docs       string
	LocationID string
	File       string
	// Errors is set when the newest version was refused and this is the
	// last good one.
	Errors bool
}

// Rows returns the row of every entity location id provides, in ref
// order, with the location record they belong to, from one consistent
// snapshot. Records are decoded on every CPU while the store is read, so
// they are never all in memory at once. ok is false when there is no such
// location.
func (d *DB) Rows(ctx context.Context, id string) (rows []Row, loc Location, ok bool, err error) {
	type job struct {
		i      int
		ref    string
		record []byte
	}
	jobs := make(chan job, 256)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				row, err := rowOf(id, j.record)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("decode %s: %w", j.ref, err)
				}
				for len(rows) <= j.i {
					rows = append(rows, Row{})
				}
				rows[j.i] = row
				mu.Unlock()
			}
		})
	}
	n := 0
	loc, ok, err = d.entitiesOf(ctx, id, func(ref string, record []byte) error {
		jobs <- job{n, ref, record}
		n++
		return nil
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		return nil, loc, ok, err
	}
	if firstErr != nil {
		return nil, loc, ok, fmt.Errorf("read the rows of location %s: %w", id, firstErr)
	}
	sortByRef(rows)
	return rows, loc, ok, nil
}

// sortByRef puts rows, read in the store's order (by uid), in ref order,
// moving each row once: a row is a few hundred bytes, and the swaps of
// sorting them in place would move each many times.
func sortByRef(rows []Row) {
	order := make([]int32, len(rows)) // rows[j] is to hold rows[order[j]]
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(rows[a].Ref, rows[b].Ref) })
	for i := range order {
		if order[i] < 0 {
			continue // placed with an earlier cycle
		}
		first := rows[i]
		for j := i; ; {
			k := int(order[j])
			order[j] = -1
			if k == i {
				rows[j] = first
				break
			}
			rows[j] = rows[k]
			j = k
		}
	}
}

// rowRecord is the part of a stored Entity a Row shows; the decoder skips
// the rest (definitions, links, annotations) without building it.
type rowRecord struct {
	Entity struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name        string         `json:"name"`
			Namespace   string         `json:"namespace"`
			Title       string         `json:"title"`
			Description string         `json:"description"`
			Tags        []string       `json:"tags"`
			Annotations map[string]any `json:"annotations"`
		} `json:"metadata"`
		Spec struct {
			Type      any `json:"type"`
			Lifecycle any `json:"lifecycle"`
			Owner     any `json:"owner"`
			System    any `json:"system"`
			Profile   any `json:"profile"`
		} `json:"spec"`
	} `json:"entity"`
	Source struct {
		File string `json:"file"`
	} `json:"source"`
	Errors []json.RawMessage `json:"errors"`
}

// rowOf projects the record of an entity of location id to its row.
func rowOf(id string, record []byte) (Row, error) {
	var r rowRecord
	if err := json.Unmarshal(record, &r); err != nil {
		return Row{}, err
	}
	e, md := r.Entity, r.Entity.Metadata
	ref := catalog.Ref{Kind: e.Kind, Namespace: md.Namespace, Name: md.Name}
	row := Row{Ref: ref.String(), Kind: e.Kind, Namespace: md.Namespace, Name: md.Name, Title: md.Title,
		Description: md.Description, Tags: md.Tags, LocationID: id, File: r.Source.File, Errors: len(r.Errors) > 0}
	text := func(v any) string { s, _ := v.(string); return s }
	row.Type, row.Lifecycle = text(e.Spec.Type), text(e.Spec.Lifecycle)
	row.Owner = refOf(text(e.Spec.Owner), "group", md.Namespace)
	row.System = refOf(text(e.Spec.System), "system", md.Namespace)
	if profile, ok := e.Spec.Profile.(map[string]any); ok {
		row.Email, _ = profile["email"].(string)
	}
	var extra []string
	for _, k := range searchedAnnotations {
		if v, ok := md.Annotations[k].(string); ok && v != "" {
			extra = append(extra, v)
		}
	}
	row.Extra = strings.Join(extra, " ")
	row.Docs, _ = md.Annotations["backstage.io/techdocs-ref"].(string)
	return row, nil
}

// searchedAnnotations are the annotations whose values search finds.
var searchedAnnotations = []string{"github.com/project-slug", "gitlab.com/project-slug", "backstage.io/source-location", "jira/project-key"}

// refOf is the full ref of a reference written in a spec, or "".
func refOf(s, kind, namespace string) string {
	if s == "" {
		return ""
	}
	r, err := catalog.ParseRef(s, kind, namespace)
	if err != nil {
		return ""
	}
	return r.String()
}
