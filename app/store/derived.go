package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

// Derived locations: a Location target naming a file of another
// repository makes that repository, at that branch, a location of its
// own, derived from the location whose catalog lists it (its parent). It
// is synced like any other; its roots are the files its parents list; it
// goes, with its entities, once no location lists it. The links live in
// the location records (l/<id>), so they change with the locations in one
// transaction.

// Links are a location's place among derived locations.
type Links struct {
	// Parents are the locations whose Location entities list files of
	// this location's repository, with those files: its roots. A location
	// the user added may have parents too.
	Parents []Parent `json:"parents,omitempty"`
	// Derived marks a location Callboard added for its parents' targets:
	// it is removed once none lists it.
	Derived bool `json:"derived,omitempty"`
	// Listing are the ids of the locations this one's Location entities
	// list (those it is a parent of), sorted.
	Listing []string `json:"listing,omitempty"`
	// Refused are the targets of this location's Location entities that
	// are not followed, each with why (a loop), where it is listed.
	Refused []catalog.Error `json:"refused,omitempty"`
	// RepoID is the forge's id of the repository a derived location was
	// made for by a discovered organisation (OrgRepo.ID): a renamed or
	// moved repository keeps its location, whose URL follows.
	RepoID string `json:"repoId,omitempty"`
	// RootsRead are the roots the stored entities were read from: when
	// the roots change, the next sync reads the catalog again though its
	// branch did not move.
	RootsRead []string `json:"rootsRead,omitempty"`
}

// Parent is one Location entity of another location listing files of
// this location's repository.
type Parent struct {
	ID string `json:"id"`
	// Entity is the ref of the Location entity.
	Entity string `json:"entity"`
	// Roots are the files (or patterns) it lists, sorted.
	Roots []string `json:"roots"`
}

// Roots are the files l's catalog is read from: its own path, then what
// its parents list, each once.
func (l Location) Roots() []string {
	var listed []string
	for _, p := range l.Parents {
		listed = append(listed, p.Roots...)
	}
	slices.Sort(listed)
	listed = slices.Compact(listed)
	if l.Path == "" {
		return listed
	}
	return append([]string{l.Path}, slices.DeleteFunc(listed, func(r string) bool { return r == l.Path })...)
}

// ListedBy are the ids of the locations listing l, sorted, each once.
func (l Location) ListedBy() []string {
	var ids []string
	for _, p := range l.Parents {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// DerivedTarget is a repository, at a branch, whose files one Location
// entity of the parent lists.
type DerivedTarget struct {
	// URL is the repository's clone URL; Branch "" is its default branch.
	URL, Branch string
	// RepoID is the forge's id of the repository when a discovered
	// organisation lists it, else "": the derived location of that id and
	// branch holds it whatever its URL now is.
	RepoID string
	// Entity is the ref of the Location entity listing Roots, the files
	// of the repository; Target is the first as the entity writes it, At
	// where.
	Entity string
	Roots  []string
	Target string
	At     catalog.Error
}

// DerivedRules say which location holds a repository, and what a new one
// is called.
type DerivedRules struct {
	// Holds says whether l is the location of url at branch.
	Holds func(l Location, url, branch string) bool
	// NewID names a new location of url, with an id none of taken has.
	NewID func(url string, taken map[string]bool) string
}

// DerivedChange is what SetDerived did.
type DerivedChange struct {
	// Added are the ids of the locations it added.
	Added []string
	// Removed are the ids of the derived locations it removed, with their
	// entities: the caller deletes what else it keeps of them (clones).
	Removed []string
	// Refused are the targets not followed because they would loop; they
	// are also the parent's Refused.
	Refused []catalog.Error
}

// SetDerived records targets as what parent's Location entities list in
// other repositories now. Each repository and branch is held by one
// location: an existing one (rules.Holds), else a new derived location;
// parent becomes one of its parents with the files listed as roots. A
// target held by parent itself or by a location parent descends from is
// refused: it would loop. Parent's links to files its entities no longer
// list are dropped, but for the Location entities in keep (refused now,
// kept at their last good version, as their targets are). Derived
// locations no location lists any more are removed with their entities,
// and then those only they listed, unless commits made in the app wait in
// their outbox. No targets and no keep drop parent from every location
// (parent being removed).
func (d *DB) SetDerived(ctx context.Context, parent string, targets []DerivedTarget, keep []string, rules DerivedRules) (DerivedChange, error) {
	d.writes.Lock()
	defer d.writes.Unlock()
	var change DerivedChange
	var gens map[string]uint64
	err := d.update(ctx, func(txn *badger.Txn) error {
		change, gens = DerivedChange{}, map[string]uint64{}
		locs, raw, err := readLocations(txn)
		if err != nil {
			return err
		}
		g := newDerivedGraph(locs)
		g.unlist(parent, keep)
		anc := g.ancestors(parent)
		for _, t := range targets {
			holder := g.holder(t, rules)
			switch {
			case holder != "" && anc.has(holder):
				e := t.At
				e.Entity = t.Entity
				e.Message = fmt.Sprintf("target %s is not followed: that repository is location %s, which this location is read for (%s), so it would loop",
					cmp.Or(t.Target, t.URL), holder, strings.Join(append(anc.chain(holder), holder), " → "))
				change.Refused = append(change.Refused, e)
				continue
			case holder == "":
				holder = rules.NewID(t.URL, g.taken())
				g.add(Location{ID: holder, URL: t.URL, Branch: t.Branch, Links: Links{Derived: true, RepoID: t.RepoID}})
				change.Added = append(change.Added, holder)
			}
			g.follow(holder, t)
			g.list(holder, Parent{ID: parent, Entity: t.Entity, Roots: t.Roots})
		}
		if change.Removed, err = g.prune(txn, gens); err != nil {
			return err
		}
		if p, ok := g.locs[parent]; ok {
			p.Refused = change.Refused
			g.locs[parent] = p
		}
		return g.write(txn, raw, change.Removed)
	})
	if err != nil {
		return DerivedChange{}, fmt.Errorf("record the repositories location %s lists: %w", parent, err)
	}
	for _, id := range change.Removed {
		d.dropGen(ctx, id, gens[id])
	}
	return change, nil
}

// PruneDerived removes the derived locations no location lists and with
// nothing waiting in their outbox, and returns their ids.
func (d *DB) PruneDerived(ctx context.Context) ([]string, error) {
	d.writes.Lock()
	defer d.writes.Unlock()
	var removed []string
	var gens map[string]uint64
	err := d.update(ctx, func(txn *badger.Txn) error {
		removed, gens = nil, map[string]uint64{}
		locs, raw, err := readLocations(txn)
		if err != nil {
			return err
		}
		g := newDerivedGraph(locs)
		if removed, err = g.prune(txn, gens); err != nil {
			return err
		}
		return g.write(txn, raw, removed)
	})
	if err != nil {
		return nil, fmt.Errorf("remove derived locations no location lists: %w", err)
	}
	for _, id := range removed {
		d.dropGen(ctx, id, gens[id])
	}
	return removed, nil
}

// MarkAllFailed is MarkFailed for many locations at once, in one
// transaction: syncs not tried because their host did not answer.
func (d *DB) MarkAllFailed(ctx context.Context, ids []string, cause error, now time.Time) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		for _, id := range ids {
			if err := markFailed(txn, id, cause, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record %d failed syncs: %w", len(ids), err)
	}
	return nil
}

// readLocations reads every location record, decoded and as stored.
func readLocations(txn *badger.Txn) (map[string]Location, map[string][]byte, error) {
	locs, raw := map[string]Location{}, map[string][]byte{}
	err := scan(txn, pLocation, func(k, v []byte) error {
		var l Location
		if err := json.Unmarshal(v, &l); err != nil {
			return fmt.Errorf("decode %s: %w", k, err)
		}
		locs[l.ID], raw[l.ID] = l, v
		return nil
	})
	return locs, raw, err
}

func hasOutbox(txn *badger.Txn, id string) (bool, error) {
	found := false
	err := scanKeys(txn, pOutbox+id+"/", func([]byte) error { found = true; return errStop })
	if errors.Is(err, errStop) {
		err = nil
	}
	return found, err
}

var errStop = errors.New("stop")

// derivedGraph is the locations and their links while SetDerived
// changes them.
type derivedGraph struct {
	locs  map[string]Location
	order []string // ids, sorted: which of two holders wins is stable
}

func newDerivedGraph(locs map[string]Location) *derivedGraph {
	return &derivedGraph{locs: locs, order: slices.Sorted(maps.Keys(locs))}
}

// unlist drops parent's links, but those of the Location entities in keep.
func (g *derivedGraph) unlist(parent string, keep []string) {
	for id, l := range g.locs {
		l.Parents = slices.DeleteFunc(slices.Clone(l.Parents), func(p Parent) bool { return p.ID == parent && !slices.Contains(keep, p.Entity) })
		g.locs[id] = l
	}
}

// list adds p to holder's parents, merging roots with an existing link
// of the same Location entity.
func (g *derivedGraph) list(holder string, p Parent) {
	l := g.locs[holder]
	i := slices.IndexFunc(l.Parents, func(q Parent) bool { return q.ID == p.ID && q.Entity == p.Entity })
	if i < 0 {
		l.Parents = append(l.Parents, Parent{ID: p.ID, Entity: p.Entity})
		i = len(l.Parents) - 1
	}
	roots := append(slices.Clone(l.Parents[i].Roots), p.Roots...)
	slices.Sort(roots)
	l.Parents[i].Roots = slices.Compact(roots)
	slices.SortFunc(l.Parents, func(a, b Parent) int { return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Entity, b.Entity)) })
	g.locs[holder] = l
}

// follow moves a derived location of a repository id to the URL its
// repository has now (renamed or moved), and files a derived location
// found by URL under the id.
func (g *derivedGraph) follow(holder string, t DerivedTarget) {
	l := g.locs[holder]
	if t.RepoID == "" || !l.Derived {
		return
	}
	if l.RepoID == t.RepoID && l.URL != t.URL {
		l.URL = t.URL
	}
	if l.RepoID == "" {
		l.RepoID = t.RepoID
	}
	g.locs[holder] = l
}

func (g *derivedGraph) add(l Location) {
	g.locs[l.ID] = l
	g.order = append(g.order, l.ID)
}

func (g *derivedGraph) taken() map[string]bool {
	taken := make(map[string]bool, len(g.locs))
	for id := range g.locs {
		taken[id] = true
	}
	return taken
}

// holder is the location holding t's repository and branch, or "":
// the derived location of its repository id first, so a renamed
// repository keeps its location.
func (g *derivedGraph) holder(t DerivedTarget, rules DerivedRules) string {
	if t.RepoID != "" {
		for _, id := range g.order {
			if l, ok := g.locs[id]; ok && l.Derived && l.RepoID == t.RepoID && l.Branch == t.Branch {
				return id
			}
		}
	}
	for _, id := range g.order {
		if l, ok := g.locs[id]; ok && rules.Holds(l, t.URL, t.Branch) {
			return id
		}
	}
	return ""
}

// ancestry maps each location a start location descends from to the
// one below it on the way there, and the start location to "".
type ancestry map[string]string

// ancestors walks up from id through parents.
func (g *derivedGraph) ancestors(id string) ancestry {
	anc := ancestry{id: ""}
	queue := []string{id}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, p := range g.locs[cur].Parents {
			if _, seen := anc[p.ID]; !seen {
				anc[p.ID] = cur
				queue = append(queue, p.ID)
			}
		}
	}
	return anc
}

func (a ancestry) has(id string) bool {
	_, ok := a[id]
	return ok
}

// chain is the path from top down to the start location.
func (a ancestry) chain(top string) []string {
	out := []string{top}
	for at := a[top]; at != ""; at = a[at] {
		out = append(out, at)
	}
	return out
}

// orphans are the derived locations no location lists.
func (g *derivedGraph) orphans() []string {
	var out []string
	for _, id := range g.order {
		if l, ok := g.locs[id]; ok && l.Derived && len(l.Parents) == 0 {
			out = append(out, id)
		}
	}
	return out
}

// prune removes the derived locations no location lists, and then those
// only they listed, noting each one's generation in gens; those with
// commits waiting in their outbox stay until the commits are pushed.
func (g *derivedGraph) prune(txn *badger.Txn, gens map[string]uint64) ([]string, error) {
	var removed []string
	for {
		var gone []string
		for _, id := range g.orphans() {
			busy, err := hasOutbox(txn, id)
			if err != nil {
				return nil, err
			}
			if !busy {
				gone = append(gone, id)
			}
		}
		if len(gone) == 0 {
			return removed, nil
		}
		for _, id := range gone {
			gens[id] = g.locs[id].Gen
			g.remove(id)
		}
		removed = append(removed, gone...)
	}
}

// remove takes location id out, and its links to the locations it listed.
func (g *derivedGraph) remove(id string) {
	delete(g.locs, id)
	g.unlist(id, nil)
}

// write stores every location whose record changed and deletes removed.
func (g *derivedGraph) write(txn *badger.Txn, raw map[string][]byte, removed []string) error {
	listing := map[string][]string{}
	for _, id := range g.order {
		for _, p := range g.locs[id].Parents {
			listing[p.ID] = append(listing[p.ID], id)
		}
	}
	for id, l := range g.locs {
		l.Listing = slices.Compact(slices.Sorted(slices.Values(listing[id])))
		g.locs[id] = l
	}
	for _, id := range removed {
		if err := txn.Delete([]byte(pLocation + id)); err != nil {
			return err
		}
	}
	for _, id := range g.order {
		l, ok := g.locs[id]
		if !ok {
			continue
		}
		b, err := json.Marshal(l)
		if err != nil {
			return fmt.Errorf("encode location %s: %w", id, err)
		}
		if bytes.Equal(b, raw[id]) {
			continue
		}
		if err := txn.Set([]byte(pLocation+id), b); err != nil {
			return err
		}
	}
	return nil
}
