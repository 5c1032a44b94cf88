package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

// ChangedStates is what an incremental sync needs of a location's file
// state to apply a change of some files (ChangedFiles).
type ChangedStates struct {
	// OK is false when the store keeps no file state, or none that agrees
	// with the location's set: the whole set must be read.
	OK bool
	// Version is the location's Version the states are of.
	Version uint64
	// Entries are the stored entries of the changed files and of the files
	// whose placeholders read one, by file; a changed file without one
	// was not reached by the run that made the set.
	Entries map[string][]byte
	// Uncached is true when one of them was reached without an entry (a
	// Location file, or one that could not be cached).
	Uncached bool
}

// ChangedFiles reads, in one transaction, location id's file state for
// the files changed: their entries and those of the files reading them.
func (d *DB) ChangedFiles(ctx context.Context, id string, changed []string) (ChangedStates, error) {
	out := ChangedStates{Entries: map[string][]byte{}}
	err := d.db.View(func(txn *badger.Txn) error {
		var loc Location
		if ok, err := getJSON(txn, pLocation+id, &loc); err != nil || !ok || loc.Gen == 0 {
			return err
		}
		prefix := genPrefix(id, loc.Gen)
		if ok, err := shapeAgrees(txn, prefix, loc.Version); err != nil || !ok {
			return err
		}
		out.Version = loc.Version
		read := func(file string) error {
			if _, ok := out.Entries[file]; ok {
				return nil
			}
			if _, err := txn.Get([]byte(prefix + sFileUncached + file)); err == nil {
				out.Uncached = true
				return nil
			} else if !errors.Is(err, badger.ErrKeyNotFound) {
				return err
			}
			item, err := txn.Get([]byte(prefix + sFile + file))
			if errors.Is(err, badger.ErrKeyNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			v, err := item.ValueCopy(nil)
			out.Entries[file] = v
			return err
		}
		for _, c := range changed {
			if err := read(c); err != nil {
				return err
			}
			n := len(prefix) + len(sFileDep) + len(c) + 1
			var readers []string
			err := scanKeys(txn, prefix+sFileDep+c+"\x00", func(k []byte) error {
				readers = append(readers, string(k[n:]))
				return nil
			})
			if err != nil {
				return err
			}
			for _, r := range readers {
				if err := read(r); err != nil {
					return err
				}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		out.OK = true
		return nil
	})
	if err != nil {
		return ChangedStates{}, fmt.Errorf("read the changed files' state of location %s: %w", id, err)
	}
	return out, nil
}

// shapeAgrees says whether the generation at prefix keeps a file state
// and its shape (fd/, fu/) of the location's Version version.
func shapeAgrees(txn *badger.Txn, prefix string, version uint64) (bool, error) {
	for _, k := range []string{sFileVersion, sFileShape} {
		v, ok, err := readMarker(txn, prefix+k)
		if err != nil || !ok || v != version {
			return false, err
		}
	}
	return true, nil
}

// Patch is a change to a location's set that only some files made:
// their entities replace what they gave before, and nothing of another
// file is touched (ApplyPatch).
type Patch struct {
	Commit string
	Roots  []string
	// Version is the location's Version the change was computed against
	// (ChangedStates.Version).
	Version uint64
	// Files are the new entries of the files processed again.
	Files []catalog.CachedFile
	// OldDeps are the placeholder files each of Files read before.
	OldDeps map[string][]string
	// Entities are the accepted entities of Files.
	Entities []catalog.Processed
	// Removed are the refs Files defined before and none defines now.
	Removed []string
	// New are the refs a file of Files defines now and did not before.
	// One already in the store belongs to another file, whatever its
	// record says (a record a file kept from the cache may carry the
	// source of the file that held the ref before), so the whole set
	// decides who provides it.
	New []string
	// Added and Gone are the relations Files' entities give now and gave
	// before, but not both.
	Added, Gone []catalog.Edge
}

// ApplyPatch applies ch to location id's current generation in one
// transaction: the entities and relations of ch's files, their file
// state, and the location's commit and Version. It returns
// ErrNotIncremental, having written nothing, when the location's set is
// no longer the one ch was computed against, when an entity ch adds or
// removes is also defined, claimed or kept elsewhere (the whole set then
// decides who provides it), when ch's files had errors, or when ch is too
// large for one transaction.
func (d *DB) ApplyPatch(ctx context.Context, id string, ch Patch, now time.Time) error {
	d.writes.Lock()
	defer d.writes.Unlock()
	if err := d.CheckSpace(); err != nil {
		return fmt.Errorf("update entities of location %s: %w", id, err)
	}
	err := d.update(ctx, func(txn *badger.Txn) error {
		a, err := d.newApply(txn, id, ch)
		if err != nil {
			return err
		}
		if err := a.entities(now); err != nil {
			return err
		}
		if err := a.relations(); err != nil {
			return err
		}
		return a.finish(now)
	})
	if errors.Is(err, badger.ErrTxnTooBig) {
		err = ErrNotIncremental
	}
	if err != nil {
		return fmt.Errorf("update entities of location %s: %w", id, err)
	}
	return nil
}

// apply is one ApplyPatch under way.
type apply struct {
	d       *DB
	txn     *badger.Txn
	ch      Patch
	loc     Location
	prefix  string
	files   map[string]bool
	errRefs map[string]bool // entities the location has errors about
	added   int             // entities new to the set
	touched int
	kept    map[string]bool
}

func (d *DB) newApply(txn *badger.Txn, id string, ch Patch) (*apply, error) {
	a := &apply{d: d, txn: txn, ch: ch, files: map[string]bool{}, errRefs: map[string]bool{}, kept: map[string]bool{}}
	ok, err := getJSON(txn, pLocation+id, &a.loc)
	if err != nil {
		return nil, err
	}
	if !ok || a.loc.Gen == 0 || a.loc.Version != ch.Version {
		return nil, ErrNotIncremental
	}
	a.prefix = genPrefix(id, a.loc.Gen)
	if ok, err := shapeAgrees(txn, a.prefix, ch.Version); err != nil || !ok {
		return nil, cmpErr(err, ErrNotIncremental)
	}
	for _, f := range ch.Files {
		a.files[f.File] = true
	}
	for _, e := range a.loc.Errors {
		if a.files[e.File] {
			return nil, ErrNotIncremental // the file's old outcome met others'
		}
		if e.Entity != "" {
			a.errRefs[e.Entity] = true
		}
	}
	return a, nil
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// stored reads ref's record in the generation.
func (a *apply) stored(ref string) (Entity, bool, error) {
	var e Entity
	ok, err := getJSON(a.txn, entityKey(a.prefix, ref), &e)
	return e, ok, err
}

// mine says whether a stored record may be replaced or dropped by the
// change: one of its files made it, and it is not a last good version.
func (a *apply) mine(e Entity) bool { return a.files[e.Source.File] && len(e.Errors) == 0 }

func (a *apply) entities(now time.Time) error {
	gens, err := currentGens(a.txn)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	fresh := map[string]bool{}
	for _, ref := range a.ch.New {
		fresh[ref] = true
	}
	for _, p := range a.ch.Entities {
		ref := p.Entity.Ref().String()
		if seen[ref] || a.errRefs[ref] {
			return ErrNotIncremental
		}
		seen[ref] = true
		old, ok, err := a.stored(ref)
		if err != nil {
			return err
		}
		switch {
		case ok && (!a.mine(old) || fresh[ref]):
			return ErrNotIncremental // another file's, or kept
		case !ok:
			claims, err := claimsOf(a.txn, ref, gens)
			if err != nil {
				return err
			}
			if len(claims) > 0 {
				return ErrNotIncremental // another location provides it
			}
			if err := a.txn.Set([]byte(claimKey(ref, a.loc.ID, a.loc.Gen)), binaryTime(now)); err != nil {
				return err
			}
			a.added++
		}
		b, err := json.Marshal(Entity{Entity: p.Entity, LocationID: a.loc.ID, Source: p.Source, Remote: p.Remote})
		if err != nil {
			return err
		}
		if len(b) > a.d.maxEntity {
			return ErrNotIncremental
		}
		if err := a.txn.Set([]byte(entityKey(a.prefix, ref)), b); err != nil {
			return err
		}
		a.touched++
	}
	for _, ref := range a.ch.Removed {
		old, ok, err := a.stored(ref)
		if err != nil {
			return err
		}
		if seen[ref] || a.errRefs[ref] || !ok || !a.mine(old) {
			return ErrNotIncremental
		}
		if err := a.txn.Delete([]byte(entityKey(a.prefix, ref))); err != nil {
			return err
		}
		if err := a.txn.Delete([]byte(claimKey(ref, a.loc.ID, a.loc.Gen))); err != nil {
			return err
		}
		a.added--
		a.touched++
	}
	if a.touched > maxInPlace {
		return ErrNotIncremental
	}
	return nil
}

// isKept says whether ref is a last good version of the location: the
// whole set keeps every relation touching one, so none of them goes.
func (a *apply) isKept(ref string) (bool, error) {
	if k, ok := a.kept[ref]; ok {
		return k, nil
	}
	e, ok, err := a.stored(ref)
	if err != nil {
		return false, err
	}
	a.kept[ref] = ok && len(e.Errors) > 0
	return a.kept[ref], nil
}

type groupKey struct{ kind, ref string }

func (a *apply) relations() error {
	type delta struct{ add, drop []Relation }
	groups := map[groupKey]*delta{}
	at := func(kind, ref string) *delta {
		k := groupKey{kind, ref}
		if groups[k] == nil {
			groups[k] = &delta{}
		}
		return groups[k]
	}
	for _, e := range a.ch.Gone {
		src, dst := e.Source.String(), e.Target.String()
		for _, end := range []string{src, dst} {
			if k, err := a.isKept(end); err != nil || k {
				return cmpErr(err, ErrNotIncremental)
			}
		}
		at(sOut, src).drop = append(at(sOut, src).drop, Relation{Type: e.Type, Target: dst})
		at(sIn, dst).drop = append(at(sIn, dst).drop, Relation{Type: e.Type, Target: src})
	}
	for _, e := range a.ch.Added {
		src, dst := e.Source.String(), e.Target.String()
		at(sOut, src).add = append(at(sOut, src).add, Relation{Type: e.Type, Target: dst})
		at(sIn, dst).add = append(at(sIn, dst).add, Relation{Type: e.Type, Target: src})
	}
	if a.touched+len(groups) > maxInPlace {
		return ErrNotIncremental
	}
	for k, dl := range groups {
		var rels []Relation
		var old [][]byte
		err := scan(a.txn, a.prefix+k.kind+k.ref+"\x00", func(key, v []byte) error {
			old = append(old, append([]byte(nil), key...))
			var chunk []Relation
			if err := json.Unmarshal(v, &chunk); err != nil {
				return err
			}
			rels = append(rels, chunk...)
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range dl.drop {
			i := slices.Index(rels, r)
			if i < 0 {
				return ErrNotIncremental // the set does not hold what the file gave
			}
			rels = slices.Delete(rels, i, i+1)
		}
		rels = append(rels, dl.add...)
		for _, key := range old {
			if err := a.txn.Delete(key); err != nil {
				return err
			}
		}
		if err := setRelations(a.txn.Set, a.prefix, k.kind, k.ref, rels); err != nil {
			return err
		}
	}
	return nil
}

// finish writes the files' state and the location record.
func (a *apply) finish(now time.Time) error {
	for _, f := range a.ch.Files {
		if f.Data == nil {
			return ErrNotIncremental
		}
		if err := a.txn.Set([]byte(a.prefix+sFile+f.File), f.Data); err != nil {
			return err
		}
		for _, dep := range a.ch.OldDeps[f.File] {
			if err := a.txn.Delete([]byte(a.prefix + sFileDep + dep + "\x00" + f.File)); err != nil {
				return err
			}
		}
	}
	if err := writeFileShape(a.txn.Set, a.prefix, a.ch.Files, nil); err != nil {
		return err
	}
	cur := a.loc
	cur.HeadCommit = a.ch.Commit
	cur.synced(Snapshot{Roots: a.ch.Roots}, now)
	cur.Entities += a.added
	// The files left alone keep their entries: the state is the new set's.
	if err := markFileStates(a.txn, a.prefix, []catalog.CachedFile{}, cur.Version); err != nil {
		return err
	}
	return putJSON(a.txn, pLocation+cur.ID, cur)
}
