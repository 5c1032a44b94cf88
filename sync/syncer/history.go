package syncer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/outbox"
)

// Version is one commit that changed an entity's source file, and what it
// changed of the entity.
type Version struct {
	Commit  string
	Author  string
	Email   string
	When    time.Time
	Message string
	// Changes are the entity's fields this commit set, changed or removed,
	// by dotted path; empty when the commit touched only other entities of
	// the file. Removed is set when the entity left the file here.
	Changes []FieldChange
	Removed bool
}

// FieldChange is one field of an entity between two versions; "" stands
// for absent.
type FieldChange struct {
	Path string
	Old  string
	New  string
}

// History reads, from the clone of location id, the commits that changed
// file (newest first, at most limit), with the field-level changes each
// made to entity ref. It needs no network. It stops when ctx ends; an
// answer is kept until the branch moves, so asking again costs nothing.
func (s *Syncer) History(ctx context.Context, id, file, ref string, limit int) ([]Version, error) {
	if err := outbox.CheckPath(file); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	loc, err := s.location(ctx, id)
	if err != nil {
		return nil, err
	}
	head, err := s.open(loc)
	if err != nil {
		return nil, err
	}
	want, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRefused, err)
	}
	key := historyKey{location: id, head: head.Commit, file: file, ref: want.String(), limit: limit}
	if v, ok := s.history.get(key); ok {
		return v, nil
	}
	repo := head.Repository()
	// One more commit than asked gives the oldest shown its predecessor.
	changes, err := pathLog(ctx, repo.Storer, head.Commit, file, limit+1)
	if err != nil {
		return nil, fmt.Errorf("read the history of %s in location %s: %w", file, id, err)
	}
	states := make([]map[string]string, len(changes))
	parsed := map[plumbing.Hash]map[string]string{} // a file reverted to an earlier version is read once
	for i, c := range changes {
		st, ok := parsed[c.Blob]
		if !ok {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			st = entityIn(repo, c.Blob, want)
			parsed[c.Blob] = st
		}
		states[i] = st
	}
	var out []Version
	for i, ch := range changes[:min(len(changes), limit)] {
		var before map[string]string
		if i+1 < len(changes) {
			before = states[i+1]
		}
		c := ch.Commit
		v := Version{Commit: c.Hash.String(), Author: c.Author.Name, Email: c.Author.Email, When: c.Author.When,
			Message: strings.TrimSpace(c.Message), Removed: states[i] == nil && before != nil}
		v.Changes = diffFields(before, states[i])
		out = append(out, v)
	}
	s.history.put(key, out)
	return out, nil
}

// entityIn reads the catalog file in blob and returns entity want's
// fields, flattened to dotted paths, or nil when the file does not define
// it (or is gone, or larger than the catalog reads).
func entityIn(repo *git.Repository, blob plumbing.Hash, want catalog.Ref) map[string]string {
	if blob.IsZero() {
		return nil
	}
	b, err := repo.BlobObject(blob)
	if err != nil || b.Size > catalog.MaxFileSize {
		return nil
	}
	r, err := b.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	dec := yaml.NewDecoder(io.LimitReader(r, catalog.MaxFileSize))
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			return nil // the end, or a version that does not parse: nothing to compare
		}
		md, _ := doc["metadata"].(map[string]any)
		kind, _ := doc["kind"].(string)
		name, _ := md["name"].(string)
		ns, _ := md["namespace"].(string)
		if ns == "" {
			ns = catalog.DefaultNamespace
		}
		if strings.EqualFold(kind, want.Kind) && strings.EqualFold(name, want.Name) && strings.EqualFold(ns, want.Namespace) {
			out := map[string]string{}
			flatten("", doc, out)
			return out
		}
	}
}

// flatten writes v's scalars under dotted paths (list items by index).
func flatten(prefix string, v any, out map[string]string) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			flatten(join(k), y, out)
		}
	case []any:
		for i, y := range x {
			flatten(join(fmt.Sprint(i)), y, out)
		}
	case nil:
		out[prefix] = "null"
	default:
		out[prefix] = fmt.Sprint(x)
	}
}

// diffFields lists the paths whose values differ, sorted.
func diffFields(before, after map[string]string) []FieldChange {
	var out []FieldChange
	for p, v := range after {
		if old, ok := before[p]; !ok || old != v {
			out = append(out, FieldChange{Path: p, Old: before[p], New: v})
		}
	}
	for p, old := range before {
		if _, ok := after[p]; !ok {
			out = append(out, FieldChange{Path: p, Old: old})
		}
	}
	slices.SortFunc(out, func(a, b FieldChange) int { return strings.Compare(a.Path, b.Path) })
	return out
}
