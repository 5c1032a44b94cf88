package syncer

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// patch brings loc from its stored commit to head by processing only the
// files that changed between them (and those whose placeholders read
// one), and updating only the entities, relations and file state those
// files made: what a one-file edit costs does not grow with the catalog.
// It reports false, having written nothing, when the change needs the
// whole set read (Process decides then): files added or removed, a
// Location file or one read by URL changed, a changed file with errors
// before or after, or an entity it adds or removes that another file or
// location also defines. Those rules keep the store exactly what
// processing the whole set would make of it.
func (s *Syncer) patch(ctx context.Context, loc store.Location, head gitfetch.Head, progress func(phase string, done, total int)) (bool, error) {
	if loc.Gen == 0 || loc.HeadCommit == "" || len(loc.Listing) > 0 || len(loc.Refused) > 0 || !slices.Equal(loc.Roots(), loc.RootsRead) {
		return false, nil
	}
	idx := s.savedIndex(loc.ID)
	changes, err := head.ChangedSince(ctx, loc.HeadCommit, idx)
	if err != nil || changes.Reshaped {
		return false, nil // the whole tree is read, which finds any damage
	}
	states, err := s.db.ChangedFiles(ctx, loc.ID, changes.Modified)
	if err != nil || !states.OK || states.Uncached {
		return false, err
	}
	progress("process", 0, len(states.Entries))
	// The few files to read are found by path: indexing the tree would
	// cost what the repository holds.
	files, err := head.PathFilesWith(changes)
	if err != nil {
		return false, nil
	}
	opts := catalog.Options{LocationRef: locationRef(loc.URL, head.Branch)}
	p := store.Patch{Commit: head.Commit.String(), Roots: loc.Roots(), Version: states.Version, OldDeps: map[string][]string{}, Files: []catalog.CachedFile{}}
	defined := map[string]bool{}
	var before []string
	var oldEdges, newEdges []catalog.Edge
	for _, file := range slices.Sorted(maps.Keys(states.Entries)) {
		old, err := catalog.DecodeFileState(states.Entries[file])
		if err != nil {
			return false, nil
		}
		locs := old.Locs()
		if locs[0] != opts.LocationRef(file) {
			return false, nil // the location's URL or branch moved: every entity's annotations change
		}
		was := old.Outcome()
		now, cached := catalog.Reprocess(ctx, files, opts, file, locs)
		if err := ctx.Err(); err != nil {
			return false, err
		}
		if !clean(was) || !clean(now) || cached.Data == nil {
			return false, nil
		}
		for _, ref := range now.Refs {
			if defined[ref] {
				return false, nil // two changed files define it: which comes first decides
			}
			defined[ref] = true
		}
		for _, ref := range now.Refs {
			if !slices.Contains(was.Refs, ref) {
				p.New = append(p.New, ref)
			}
		}
		before = append(before, was.Refs...)
		oldEdges = append(oldEdges, was.Edges...)
		newEdges = append(newEdges, now.Edges...)
		p.Entities = append(p.Entities, now.Entities...)
		p.Files = append(p.Files, cached)
		p.OldDeps[file] = old.Deps(file)
	}
	if files.Damaged() {
		return false, nil
	}
	for _, ref := range before {
		if !defined[ref] {
			p.Removed = append(p.Removed, ref)
		}
	}
	p.Added, p.Gone = edgeDiff(oldEdges, newEdges)
	progress("store", 0, len(p.Entities))
	err = s.db.ApplyPatch(ctx, loc.ID, p, s.now())
	if errors.Is(err, store.ErrNotIncremental) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// The saved index moves to the new commit with the directories that
	// changed, so the next patch reads its old side from it too. Written
	// after the store took the patch: a crash between leaves an index of
	// the commit before, which the next sync does not use.
	if b, ok := idx.Patched(changes); ok {
		s.writeIndex(loc.ID, b)
	}
	// The in-memory file cache describes the set before; the next full
	// read loads the store's.
	s.caches.Delete(loc.ID)
	s.runs.Store(loc.ID, runStats{processed: len(states.Entries)})
	progress("done", 1, 1)
	return true, nil
}

// runStats are how many files a location's last processing read and
// judged again, and how many it took as they were.
type runStats struct{ processed, reused int }

// clean says whether a file's outcome stands alone: no errors (a refused
// entity may keep its last good version, which depends on the store), no
// Location (its targets depend on other files) and no URL read.
func clean(o catalog.FileOutcome) bool { return len(o.Errors) == 0 && !o.Location && !o.Remote }

// edgeDiff is what new has that old does not, and what old has that new
// does not, counting repeats.
func edgeDiff(old, new []catalog.Edge) (added, gone []catalog.Edge) {
	count := map[catalog.Edge]int{}
	for _, e := range old {
		count[e]++
	}
	for _, e := range new {
		count[e]--
	}
	for _, e := range new {
		if count[e] < 0 {
			added = append(added, e)
			count[e]++
		}
	}
	for _, e := range old {
		if count[e] > 0 {
			gone = append(gone, e)
			count[e]--
		}
	}
	return added, gone
}
