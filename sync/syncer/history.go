package syncer

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/outbox"
)

// History is what a clone holds of an entity's changes.
type History struct {
	Versions []Version
	// Shallow says the clone ends before the entity's history does: the
	// walk reached a commit whose parents the clone lacks (see Deepen).
	Shallow bool
}

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
	// Boundary marks a commit whose parents the clone lacks: Changes are
	// every field the entity has there, not what the commit changed.
	Boundary bool
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
// answer is kept until the branch moves or the clone deepens, so asking
// again costs nothing. A shallow clone answers with what it holds.
func (s *Syncer) History(ctx context.Context, id, file, ref string, limit int) (History, error) {
	if err := outbox.CheckPath(file); err != nil {
		return History{}, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	loc, err := s.location(ctx, id)
	if err != nil {
		return History{}, err
	}
	head, err := s.open(loc)
	if err != nil {
		return History{}, err
	}
	want, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return History{}, fmt.Errorf("%w: %v", ErrRefused, err)
	}
	repo := head.Repository()
	shallows, err := repo.Storer.Shallow()
	if err != nil {
		return History{}, fmt.Errorf("read the history of %s in location %s: %w", file, id, gitfetch.Corrupt(err))
	}
	key := historyKey{location: id, head: head.Commit, file: file, ref: want.String(), limit: limit, shallows: len(shallows)}
	if h, ok := s.history.get(key); ok {
		return h, nil
	}
	boundary := make(map[plumbing.Hash]bool, len(shallows))
	for _, h := range shallows {
		boundary[h] = true
	}
	// One more commit than asked gives the oldest shown its predecessor.
	changes, cut, err := pathLog(ctx, repo.Storer, head.Commit, file, limit+1, boundary)
	if err != nil {
		return History{}, fmt.Errorf("read the history of %s in location %s: %w", file, id, err)
	}
	states := make([]map[string]string, len(changes))
	parsed := map[plumbing.Hash]map[string]string{} // a file reverted to an earlier version is read once
	for i, c := range changes {
		st, ok := parsed[c.Blob]
		if !ok {
			if err := ctx.Err(); err != nil {
				return History{}, err
			}
			st = entityIn(repo, c.Blob, want)
			parsed[c.Blob] = st
		}
		states[i] = st
	}
	out := History{Shallow: cut}
	for i, ch := range changes[:min(len(changes), limit)] {
		var before map[string]string
		if i+1 < len(changes) {
			before = states[i+1]
		}
		c := ch.Commit
		v := Version{Commit: c.Hash.String(), Author: c.Author.Name, Email: c.Author.Email, When: c.Author.When,
			Message: strings.TrimSpace(c.Message), Removed: states[i] == nil && before != nil, Boundary: ch.Boundary}
		v.Changes = diffFields(before, states[i])
		out.Versions = append(out.Versions, v)
	}
	s.history.put(key, out)
	return out, nil
}

// entityIn reads the catalog file in blob and returns entity want's
// fields, flattened to dotted paths, or nil when the file does not define
// it (or is gone, or larger than the catalog reads). The file is read as
// the catalog reads it, within its size and YAML budget: only the document
// that defines want is decoded.
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
	data, err := io.ReadAll(io.LimitReader(r, catalog.MaxFileSize))
	if err != nil {
		return nil
	}
	return fieldsOf(data, want)
}

// fieldsOf is entityIn for a file's contents.
func fieldsOf(data []byte, want catalog.Ref) map[string]string {
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			continue // a document that does not parse defines nothing to compare
		}
		kind, _ := doc.Scalar("kind")
		name, _ := doc.Scalar("metadata", "name")
		ns, _ := doc.Scalar("metadata", "namespace")
		if !strings.EqualFold(kind, want.Kind) || !strings.EqualFold(name, want.Name) || !strings.EqualFold(cmp.Or(ns, catalog.DefaultNamespace), want.Namespace) {
			continue
		}
		v, err := doc.Decode(nil)
		if err != nil {
			return nil
		}
		out := map[string]string{}
		flatten("", v, out)
		return out
	}
	return nil
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
