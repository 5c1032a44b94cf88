package catalog

import (
	"context"
	"fmt"
)

// FileOutcome is what one file gives a location's set on its own, before
// its entities meet those of other files: an incremental sync compares a
// changed file's outcome before and after to update only what the file
// made.
type FileOutcome struct {
	// Refs are the entities the file defines, accepted or not; a document
	// that another of the same file supersedes is left out.
	Refs []string
	// Entities are the accepted ones, with Edges their relations.
	Entities []Processed
	Edges    []Edge
	// Errors are the file's own and its entities'.
	Errors []Error
	// Location is true when the file holds a Location entity, whose
	// outcome depends on which other files exist.
	Location bool
	// Remote is true when a placeholder read a URL (or failed to).
	Remote bool
}

// outcomeOf is r's outcome, its documents taken as merge takes them
// within one file.
func outcomeOf(r fileResult) FileOutcome {
	var out FileOutcome
	last := map[string]int{}
	for i, it := range r.items {
		if it.enveloped {
			last[it.verdict.Ref] = i
		}
	}
	for i, it := range r.items {
		if it.enveloped && last[it.verdict.Ref] != i {
			continue // Backstage keeps the last definition in a file
		}
		if it.enveloped {
			out.Refs = append(out.Refs, it.verdict.Ref)
		}
		out.Errors = append(out.Errors, it.verdict.Errors...)
		out.Location = out.Location || it.verdict.Kind == "Location"
		out.Remote = out.Remote || it.remote != nil || it.remoteMiss || len(it.remoteURLs) > 0
		if it.ok {
			out.Entities = append(out.Entities, Processed{Entity: it.entity, Source: it.verdict.Source, Remote: it.remote})
			out.Edges = append(out.Edges, it.edges...)
		}
	}
	out.Errors = append(out.Errors, r.errs...)
	if r.missing != nil {
		out.Errors = append(out.Errors, Error{File: r.job.file, Message: "cannot read file: " + r.missing.Error()})
	}
	return out
}

// FileState is one file's FileCache entry as a store keeps it (Used),
// decoded.
type FileState struct{ e *cacheEntry }

// DecodeFileState reads an entry Used encoded; one this code cannot read
// is an error.
func DecodeFileState(data []byte) (FileState, error) {
	e, err := decodeEntry(data)
	if err != nil {
		return FileState{}, fmt.Errorf("decode a file state: %w", err)
	}
	return FileState{e: e}, nil
}

// Locs are the location refs the file's entities were given: its own and
// the origin's, the root Location file that led to it.
func (s FileState) Locs() [2]string { return s.e.locs }

// Deps are the other files its placeholders read, sorted; file is the
// one the entry is of.
func (s FileState) Deps(file string) []string { return s.e.depList(file) }

// Outcome is the file's outcome as the entry keeps it: its entities hold
// only apiVersion, kind, name and namespace.
func (s FileState) Outcome() FileOutcome {
	out := outcomeOf(s.e.result)
	out.Remote = out.Remote || len(s.e.urls) > 0
	return out
}

// Reprocess reads and judges one file alone, as Process does within a run
// that reaches it with locs as its location refs (FileState.Locs): no
// Location of it is followed. It returns the file's outcome and its
// FileCache entry, whose Data is nil when the result cannot be cached
// (files holds no hash of it, it holds a Location, or a URL could not be
// read).
func Reprocess(ctx context.Context, files Files, opts Options, file string, locs [2]string) (FileOutcome, CachedFile) {
	p := &processor{files: files, opts: opts}
	j := job{file: file}
	rec := &readsRecorder{Files: files}
	r := p.parseFile(ctx, j, locs, rec)
	out := outcomeOf(r)
	cached := CachedFile{File: file}
	h, ok := files.(Hasher)
	if !ok || !r.cacheable() || ctx.Err() != nil {
		return out, cached
	}
	if e := newCacheEntry(h, j, locs, rec.read, r); e != nil {
		cached.Data, cached.Deps = encodeEntry(e), e.depList(file)
	}
	return out, cached
}
