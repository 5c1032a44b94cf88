package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"maps"
	"slices"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/backstage"
)

// patchBackstage applies a read's changes to the location's set in place
// (store.ApplyPatch): each entity changed is its generated file processed
// again, each one removed its file emptied, and nothing else is read or
// written, so a sync costs the changes, not the catalog. It reports false,
// having written nothing, when the change needs the set made again: the
// store keeps no file state of the set, a file had or has errors or is a
// Location, two files define one entity, or ApplyPatch finds the set
// moved or the change too large.
func (s *Syncer) patchBackstage(ctx context.Context, loc store.Location, base string, ch backstage.Changes, progress func(phase string, done, total int)) (string, bool, error) {
	if loc.Gen == 0 {
		return "", false, nil
	}
	files, originals := backstageFiles(ch.Changed)
	for _, ref := range ch.Removed {
		if name := backstageFile(ref); files[name] == nil {
			files[name] = []byte{} // gone: the file gives nothing now
		}
	}
	names := slices.Sorted(maps.Keys(files))
	states, err := s.db.ChangedFiles(ctx, loc.ID, names)
	if err != nil || !states.OK || states.Uncached {
		return "", false, err
	}
	progress("process", 0, len(names))
	mf := make(catalog.MapFiles, len(files))
	for name, data := range files {
		mf[name] = string(data)
	}
	opts := catalog.Options{LocationRef: backstageRef(base)}
	p := store.Patch{Commit: patchedCommit(loc.HeadCommit, files), Roots: loc.RootsRead, Version: states.Version,
		OldDeps: map[string][]string{}, Files: []catalog.CachedFile{}}
	defined := map[string]bool{}
	var before []string
	var oldEdges, newEdges []catalog.Edge
	for _, file := range names {
		locs := [2]string{opts.LocationRef(file), opts.LocationRef(file)}
		var was catalog.FileOutcome
		if entry, ok := states.Entries[file]; ok {
			old, err := catalog.DecodeFileState(entry)
			if err != nil || old.Locs() != locs {
				return "", false, nil // kept by another version, or the base URL moved
			}
			was = old.Outcome()
			p.OldDeps[file] = old.Deps(file)
		}
		now, cached := catalog.Reprocess(ctx, hashedFiles{mf}, opts, file, locs)
		if err := ctx.Err(); err != nil {
			return "", false, err
		}
		if !clean(was) || !clean(now) || cached.Data == nil {
			return "", false, nil
		}
		for _, ref := range now.Refs {
			if defined[ref] {
				return "", false, nil
			}
			defined[ref] = true
			if !slices.Contains(was.Refs, ref) {
				p.New = append(p.New, ref)
			}
		}
		before = append(before, was.Refs...)
		oldEdges = append(oldEdges, was.Edges...)
		newEdges = append(newEdges, now.Edges...)
		restoreOrigins(base, now.Entities, originals)
		p.Entities = append(p.Entities, now.Entities...)
		p.Files = append(p.Files, cached)
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
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	s.runs.Store(loc.ID, runStats{processed: len(names)})
	progress("done", 1, 1)
	return p.Commit, true, nil
}

// patchedCommit stands for the commit after head with files changed.
func patchedCommit(head string, files map[string][]byte) string {
	h := sha256.New()
	h.Write([]byte(head))
	h.Write([]byte(pseudoCommit(files)))
	return hex.EncodeToString(h.Sum(nil))
}

// patchedState is prev after ch was applied in place: every entity
// changed was accepted (a refused one makes the set again).
func patchedState(c *backstage.Client, prev backstage.State, ch backstage.Changes) backstage.State {
	etags := maps.Clone(prev.ETags)
	for _, ref := range ch.Removed {
		delete(etags, ref)
	}
	for _, e := range ch.Changed {
		etags[e.Ref] = e.ETag
	}
	kept := make([]backstage.Entity, 0, len(etags))
	for ref, etag := range etags {
		kept = append(kept, backstage.Entity{Ref: ref, ETag: etag})
	}
	return c.NewState(kept)
}
