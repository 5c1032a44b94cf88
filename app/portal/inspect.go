package portal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// inspector answers InspectEntity: how an entity came to be in the
// catalog, from the store and its location's clone.
type inspector struct {
	db     inspectStore
	clones cloneDirs
	// gate holds back floods: an inspection reads a location's rows and a
	// file of its clone.
	gate *gate
}

// inspectStore is what an inspection reads of the store. Errors are the
// store's; "not found" is ok=false.
type inspectStore interface {
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	Relations(ctx context.Context, ref string) ([]store.Relation, error)
	Existing(ctx context.Context, refs []string) (map[string]bool, error)
	Rows(ctx context.Context, id string) ([]store.Row, store.Location, bool, error)
	locationReader
}

const (
	// colocatedMax is how many of a location's other entities an
	// inspection lists.
	colocatedMax = 50
	// rawMax is the largest document an inspection shows; a catalog file
	// may be 10 MB, more than a dialog can show.
	rawMax = 1 << 20
	// ancestryMax bounds the chain walked: Location files list each other
	// in loops the catalog reads once, and a chain this deep is a mistake.
	ancestryMax = 64
	// Annotations Backstage adds to an entity read from a url location,
	// which Callboard does not store but derives when asked.
	annotationViewURL        = "backstage.io/view-url"
	annotationEditURL        = "backstage.io/edit-url"
	annotationSourceLocation = "backstage.io/source-location"
)

// InspectEntity answers API.InspectEntity.
func (s *inspector) InspectEntity(ctx context.Context, ref string) (EntityInspection, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return EntityInspection{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := s.db.Entity(ctx, r.String())
	if err != nil {
		return EntityInspection{}, fmt.Errorf("inspect %s: %w", r, err)
	}
	if !ok {
		return EntityInspection{}, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	leave, err := s.gate.enter(ctx)
	if err != nil {
		return EntityInspection{}, err
	}
	defer leave()
	rows, loc, _, err := s.db.Rows(ctx, e.LocationID)
	if err != nil {
		return EntityInspection{}, fmt.Errorf("inspect %s: %w", r, err)
	}
	out := EntityInspection{Ref: r.String(), Colocated: colocated(rows, r.String(), e.Source.File)}
	if out.Processed, err = s.processed(ctx, e, loc); err != nil {
		return EntityInspection{}, fmt.Errorf("inspect %s: %w", r, err)
	}
	w := ancestryWalk{db: s.db, rows: map[string][]store.Row{loc.ID: rows}, locs: map[string]store.Location{loc.ID: loc}}
	if out.Ancestry, err = w.walk(ctx, e); err != nil {
		return EntityInspection{}, fmt.Errorf("inspect %s: %w", r, err)
	}
	out.Raw = s.raw(e, loc, out.Processed.Commit)
	return out, nil
}

// colocated lists the other entities of file and of the location rows
// are of.
func colocated(rows []store.Row, ref, file string) Colocated {
	c := Colocated{File: []EntitySummary{}, Location: []EntitySummary{}}
	for _, row := range rows {
		if row.Ref == ref {
			continue
		}
		if row.File == file {
			c.File = append(c.File, rowSummary(row))
		}
		if c.LocationTotal++; len(c.Location) < colocatedMax {
			c.Location = append(c.Location, rowSummary(row))
		}
	}
	return c
}

// processed is e as stored, with its relations in the document as
// Backstage serves them.
func (s *inspector) processed(ctx context.Context, e store.Entity, loc store.Location) (ProcessedEntity, error) {
	ref := e.Entity.Ref().String()
	rels, err := s.db.Relations(ctx, ref)
	if err != nil {
		return ProcessedEntity{}, err
	}
	targets := make([]string, len(rels))
	for i, rel := range rels {
		targets[i] = rel.Target
	}
	exists, err := s.db.Existing(ctx, targets)
	if err != nil {
		return ProcessedEntity{}, err
	}
	p := ProcessedEntity{Entity: make(map[string]any, len(e.Entity.Raw)+1), Relations: make([]Relation, 0, len(rels)),
		Errors: []ProcessingError{}, FileErrors: []ProcessingError{}, Commit: e.Commit, Kept: e.Commit != ""}
	docRels := make([]any, 0, len(rels))
	for _, rel := range rels {
		p.Relations = append(p.Relations, Relation{Type: rel.Type, TargetRef: rel.Target, Missing: !exists[rel.Target]})
		docRels = append(docRels, map[string]any{"type": rel.Type, "targetRef": rel.Target})
	}
	for k, v := range e.Entity.Raw {
		p.Entity[k] = v
	}
	p.Entity["relations"] = docRels
	if p.Commit == "" {
		p.Commit = loc.HeadCommit
	}
	if !loc.LastSuccess.IsZero() {
		p.SyncedAt = loc.LastSuccess.UTC().Format(time.RFC3339)
	}
	for _, pe := range e.Errors {
		p.Errors = append(p.Errors, errorDTO(pe))
	}
	for _, pe := range loc.Errors {
		if pe.File == e.Source.File && pe.Entity == "" {
			p.FileErrors = append(p.FileErrors, errorDTO(pe))
		}
	}
	p.Annotations = addedAnnotations(e.Entity.Metadata.Annotations)
	return p, nil
}

func errorDTO(e catalog.Error) ProcessingError {
	return ProcessingError{File: e.File, Line: e.Line, Column: e.Column, Field: e.Field, Message: e.Message}
}

// addedAnnotations are the annotations Backstage's catalog adds to an
// entity read from a location: the managed-by pair as stored, and, for a
// file with a web address, its view and edit URLs and its folder.
func addedAnnotations(ann map[string]string) map[string]string {
	out := map[string]string{}
	for _, k := range []string{catalog.AnnotationLocation, catalog.AnnotationOriginLocation} {
		if v := ann[k]; v != "" {
			out[k] = v
		}
	}
	view, ok := webURL(ann[catalog.AnnotationLocation])
	if !ok {
		return out
	}
	out[annotationViewURL] = view
	out[annotationEditURL] = fileEditURL(view)
	out[annotationSourceLocation] = "url:" + folderURL(view)
	return out
}

// webURL is the http(s) address of a location reference "url:…", as
// Backstage's AnnotateLocationEntityProcessor takes it.
func webURL(locationRef string) (string, bool) {
	u, ok := strings.CutPrefix(locationRef, "url:")
	if !ok || !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return "", false
	}
	return u, true
}

// fileEditURL is where a forge edits the file view shows: GitHub, Gitea and
// Forgejo at /edit/, GitLab at /-/edit/; any other address stays as it
// is, as Backstage's integrations leave it.
func fileEditURL(view string) string {
	if strings.Contains(view, "/-/blob/") {
		return strings.Replace(view, "/-/blob/", "/-/edit/", 1)
	}
	if strings.Contains(view, "/blob/") {
		return strings.Replace(view, "/blob/", "/edit/", 1)
	}
	return view
}

// folderURL is the folder of the file at view, a tree on forges that
// show files as blobs, ending in "/".
func folderURL(view string) string {
	u := view[:strings.LastIndex(view, "/")+1]
	if strings.Contains(u, "/-/blob/") {
		return strings.Replace(u, "/-/blob/", "/-/tree/", 1)
	}
	return strings.Replace(u, "/blob/", "/tree/", 1)
}

// raw reads the document e was read from out of the clone of its
// location, at commit. What cannot be read is said in Missing: the
// inspection is still worth showing without it.
func (s *inspector) raw(e store.Entity, loc store.Location, commit string) RawDocument {
	d := RawDocument{File: e.Source.File, Commit: commit}
	switch {
	case loc.Org != nil:
		d.Missing = "the organisation's teams and people come from its forge's API, not from a file"
		return d
	case loc.Backstage != nil:
		d.Missing = "the entity was read from the Backstage at " + loc.Backstage.BaseURL + "; its file is in its source repository"
		return d
	case isWebURL(e.Source.File):
		d.Missing = "the file was read by URL and is not kept in a clone"
		return d
	case commit == "" || !plumbing.IsHash(commit):
		d.Missing = "the location has no commit synced"
		return d
	}
	head, err := gitfetch.Open(s.clones.Clone(loc.ID), loc.Branch)
	if err != nil {
		d.Missing = "the location's clone cannot be read: " + err.Error()
		return d
	}
	files, err := head.At(plumbing.NewHash(commit)).PathFiles()
	if err != nil {
		d.Missing = "the commit cannot be read: " + err.Error()
		return d
	}
	data, err := files.ReadFileMax(e.Source.File, catalog.MaxFileSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		d.Missing = "the file is not in the commit"
		return d
	case err != nil:
		d.Missing = "the file cannot be read: " + err.Error()
		return d
	}
	doc, start, ok := catalog.DocumentAt(data, e.Source.Line)
	switch {
	case !ok:
		d.Missing = fmt.Sprintf("the file has no line %d", e.Source.Line)
	case len(doc) > rawMax:
		d.Missing = fmt.Sprintf("the document is %.1f MB, more than the %d MB shown here", float64(len(doc))/(1<<20), rawMax>>20)
	default:
		d.YAML, d.Line = string(doc), start
	}
	return d
}

func isWebURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// ancestryWalk finds, from an entity's file outward, the Location
// entities and locations that reached it, reading each location's rows
// and Location entities once.
type ancestryWalk struct {
	db   inspectStore
	rows map[string][]store.Row
	locs map[string]store.Location
}

// walk returns e's ancestry, root first.
func (w *ancestryWalk) walk(ctx context.Context, e store.Entity) ([]AncestryStep, error) {
	steps := []AncestryStep{{Kind: AncestryFile, LocationID: e.LocationID, File: e.Source.File, Line: e.Source.Line, URL: viewOf(e.Entity)}}
	locID, file := e.LocationID, e.Source.File
	seen := map[string]bool{}
	for len(steps) < ancestryMax {
		if seen[locID+"\x00"+file] {
			break // a loop of Location files: each was read once
		}
		seen[locID+"\x00"+file] = true
		lister, target, err := w.listerIn(ctx, locID, file)
		if err != nil {
			return nil, err
		}
		if lister != nil {
			steps = append(steps, AncestryStep{Kind: AncestryLocationEntity, LocationID: locID, File: lister.Source.File,
				Line: lister.Source.Line, EntityRef: lister.Entity.Ref().String(), Target: target, URL: viewOf(lister.Entity)})
			file = lister.Source.File
			continue
		}
		loc, err := w.location(ctx, locID)
		if err != nil {
			return nil, err
		}
		step := AncestryStep{Kind: AncestryLocation, LocationID: locID, File: file, URL: gitfetch.Redact(loc.URL), Derived: loc.Derived}
		if loc.Org != nil {
			step.Kind, step.File = AncestryOrg, ""
		}
		steps = append(steps, step)
		parent, ok, err := w.parentOf(ctx, loc, file)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		locID, file = parent.LocationID, parent.Source.File
		if pl, err := w.location(ctx, locID); err != nil {
			return nil, err
		} else if pl.Org != nil {
			steps = append(steps, AncestryStep{Kind: AncestryOrg, LocationID: locID, URL: gitfetch.Redact(pl.URL)})
			break
		}
		steps = append(steps, AncestryStep{Kind: AncestryLocationEntity, LocationID: locID, File: file, Line: parent.Source.Line,
			EntityRef: parent.Entity.Entity.Ref().String(), Target: parent.target, URL: viewOf(parent.Entity.Entity)})
	}
	slices.Reverse(steps)
	for i := range steps {
		if steps[i].File == "" || steps[i].Kind == AncestryOrg {
			continue
		}
		l, err := w.location(ctx, steps[i].LocationID)
		if err != nil {
			return nil, err
		}
		steps[i].LocalFile = localFile(l, steps[i].File)
	}
	return steps, nil
}

// listed is a Location entity of another location that lists a file.
type listed struct {
	store.Entity
	target string
}

// parentOf finds the Location entity of another location that lists
// file of loc (a derived location's root), or the organisation that
// listed its repository (an Entity of that location's id alone).
func (w *ancestryWalk) parentOf(ctx context.Context, loc store.Location, file string) (listed, bool, error) {
	for _, p := range loc.Parents {
		if !slices.ContainsFunc(p.Roots, func(root string) bool { return pathMatches(root, file) }) {
			continue
		}
		if strings.HasPrefix(p.Entity, "org:") {
			return listed{Entity: store.Entity{LocationID: p.ID}}, true, nil
		}
		e, ok, err := w.db.Entity(ctx, p.Entity)
		if err != nil {
			return listed{}, false, fmt.Errorf("read Location %s: %w", p.Entity, err)
		}
		if ok && e.LocationID == p.ID {
			return listed{Entity: e, target: firstTarget(e.Entity)}, true, nil
		}
	}
	return listed{}, false, nil
}

// location reads a location once per walk.
func (w *ancestryWalk) location(ctx context.Context, id string) (store.Location, error) {
	if l, ok := w.locs[id]; ok {
		return l, nil
	}
	l, _, err := w.db.Location(ctx, id)
	if err != nil {
		return l, fmt.Errorf("read location %s: %w", id, err)
	}
	w.locs[id] = l
	return l, nil
}

// listerIn finds the Location entity of location id whose target names
// file, and that target as written; nil when none does (file is a root).
func (w *ancestryWalk) listerIn(ctx context.Context, id, file string) (*store.Entity, string, error) {
	rows, ok := w.rows[id]
	if !ok {
		var err error
		if rows, _, _, err = w.db.Rows(ctx, id); err != nil {
			return nil, "", err
		}
		w.rows[id] = rows
	}
	for _, row := range rows {
		if !strings.EqualFold(row.Kind, "location") || row.File == file {
			continue
		}
		e, ok, err := w.db.Entity(ctx, row.Ref)
		if err != nil {
			return nil, "", fmt.Errorf("read Location %s: %w", row.Ref, err)
		}
		if !ok || e.LocationID != id {
			continue
		}
		if t, ok := targetOf(e, file); ok {
			return &e, t, nil
		}
	}
	return nil, "", nil
}

// targetOf returns the target of Location entity l that names file, as
// the catalog resolves it: relative to l's file, from the repository
// root, a pattern, or a URL into l's own repository at the branch read.
func targetOf(l store.Entity, file string) (string, bool) {
	for _, t := range targets(l.Entity) {
		switch {
		case isWebURL(t) || isWebURL(l.Source.File):
			u := t
			if !isWebURL(t) {
				base, err := url.Parse(l.Source.File)
				rel, err2 := url.Parse(t)
				if err != nil || err2 != nil {
					continue
				}
				u = base.ResolveReference(rel).String()
			}
			if u == file {
				return t, true
			}
			// A URL into the repository read names one of its files: the
			// part after the address of l's own file's folder.
			own, ok := webURL(l.Entity.Metadata.Annotations[catalog.AnnotationLocation])
			if !ok || !strings.HasSuffix(own, l.Source.File) {
				continue
			}
			base := strings.TrimSuffix(own, l.Source.File)
			u, _, _ = strings.Cut(u, "?")
			u, _, _ = strings.Cut(u, "#")
			if p, ok := strings.CutPrefix(u, base); ok && pathMatches(p, file) {
				return t, true
			}
		default:
			p, err := catalog.TargetFile(l.Source.File, t)
			if err == nil && pathMatches(p, file) {
				return t, true
			}
		}
	}
	return "", false
}

// pathMatches says whether p, a path or pattern, names file.
func pathMatches(p, file string) bool {
	if p == file {
		return true
	}
	return catalog.IsPattern(p) && catalog.MatchGlob(path.Clean(p), file, false)
}

// targets are a Location entity's spec.target and spec.targets.
func targets(e catalog.Entity) []string {
	var out []string
	if t := e.SpecString("target"); t != "" {
		out = append(out, t)
	}
	ts, _ := e.Spec["targets"].([]any)
	for _, t := range ts {
		if s, ok := t.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

func firstTarget(e catalog.Entity) string {
	if ts := targets(e); len(ts) > 0 {
		return ts[0]
	}
	return ""
}

// viewOf is the web address of e's file, "" when it has none.
func viewOf(e catalog.Entity) string {
	u, _ := webURL(e.Metadata.Annotations[catalog.AnnotationLocation])
	return u
}
