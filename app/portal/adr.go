package portal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/adr"
	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/forgemd"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/remote"
)

// adrAnnotation names an entity's folder of decision records, as
// Backstage's ADR plugin reads it: relative to the entity's file, or a URL
// into the same repository.
const adrAnnotation = "backstage.io/adr-location"

// decisionsArea reads the decision records of every annotated entity into
// the store after each sync, where the location's commit moved, and
// answers the Decisions tab from a summary of them kept in memory.
type decisionsArea struct {
	db      decisionStore
	files   questionFiles
	index   decisionIndexer
	log     *slog.Logger
	reading sync.Mutex // one location read at a time
	mu      sync.Mutex // guards byLoc
	// byLoc is, per location, the lists of its entities read so far.
	byLoc map[string]*locDecisions
}

// locDecisions is what is in memory of a location's decision records:
// every annotated entity's list after a read from git (complete), or
// those asked for since a start, each read from the store.
type locDecisions struct {
	byRef    map[string]*entityDecisions
	complete bool
}

// decisionStore keeps decision records and the commit they were read at.
type decisionStore interface {
	Locations(ctx context.Context) ([]store.Location, error)
	Location(ctx context.Context, id string) (store.Location, bool, error)
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	LocationEntities(ctx context.Context, id string, fn func(store.Entity) bool) error
	DecisionState(ctx context.Context, id string) (store.DecisionState, bool, error)
	Decisions(ctx context.Context, id string, fn func(store.Decision)) error
	DecisionFolder(ctx context.Context, id, ref string) (store.DecisionFolder, bool, error)
	DecisionFolders(ctx context.Context, id string, fn func(store.DecisionFolder)) error
	Decision(ctx context.Context, id, ref, file string) (store.Decision, bool, error)
	PutDecisions(ctx context.Context, id, commit string, records []store.Decision, folders []store.DecisionFolder) error
}

// decisionIndexer keeps the search index's decision documents in step.
type decisionIndexer interface {
	indexDecisions(id, commit string, records []store.Decision)
}

// entityDecisions is what the tab lists of one entity.
type entityDecisions struct {
	dir      string
	items    []DecisionSummary
	problems []DecisionProblem
}

// refreshAll reads again the decision records of every location whose
// commit moved. A service without a syncer reads none.
func (a *decisionsArea) refreshAll(ctx context.Context) {
	if a.files == nil {
		return
	}
	locs, err := a.db.Locations(ctx)
	if err != nil {
		a.log.Warn("list locations to read decision records", "err", err)
		return
	}
	for _, l := range locs {
		if err := a.refresh(ctx, l.ID); err != nil && ctx.Err() == nil {
			a.log.Debug("decision records not read", "location", l.ID, "err", err)
		}
	}
}

// refresh reads location id's decision records at the commit the catalog
// shows, unless they were read at it already.
func (a *decisionsArea) refresh(ctx context.Context, id string) error {
	if a.files == nil {
		return nil
	}
	a.reading.Lock()
	defer a.reading.Unlock()
	files, commit, err := a.files.Files(ctx, id)
	if err != nil {
		return err
	}
	if st, ok, err := a.db.DecisionState(ctx, id); err != nil {
		return err
	} else if ok && st.Commit == commit {
		return nil
	}
	loc, ok, err := a.db.Location(ctx, id)
	if err != nil || !ok {
		return err
	}
	type annotated struct{ ref, file, value string }
	var entities []annotated
	err = a.db.LocationEntities(ctx, id, func(e store.Entity) bool {
		if v := strings.TrimSpace(e.Entity.Metadata.Annotations[adrAnnotation]); v != "" {
			entities = append(entities, annotated{e.Entity.Ref().String(), e.Source.File, v})
		}
		return true
	})
	if err != nil {
		return err
	}
	var names []string
	if len(entities) > 0 {
		if names, err = files.List(); err != nil {
			return fmt.Errorf("list the files of %s: %w", id, err)
		}
		slices.Sort(names)
	}
	rd := folderReader{files: files}
	if h, ok := files.(hasher); ok && len(entities) > 0 {
		// A file whose blob did not move since the last read is taken
		// from the store, not read and parsed again.
		rd.hash, rd.prev = h, map[string]store.Decision{}
		err := a.db.Decisions(ctx, id, func(r store.Decision) {
			if r.Hash != "" {
				rd.prev[r.Dir+"\x00"+r.File] = r
			}
		})
		if err != nil {
			return err
		}
	}
	var records []store.Decision
	for _, e := range entities {
		records = append(records, rd.folder(names, loc, e.ref, e.file, e.value)...)
	}
	folders := foldersOf(records)
	if err := a.db.PutDecisions(ctx, id, commit, records, folders); err != nil {
		return err
	}
	byRef := make(map[string]*entityDecisions, len(folders))
	for _, f := range folders {
		byRef[f.EntityRef] = listOf(f)
	}
	a.mu.Lock()
	if a.byLoc == nil {
		a.byLoc = map[string]*locDecisions{}
	}
	a.byLoc[id] = &locDecisions{byRef: byRef, complete: true}
	a.mu.Unlock()
	if a.index != nil {
		a.index.indexDecisions(id, commit, records)
	}
	a.log.Debug("decision records read", "location", id, "commit", commit, "entities", len(entities), "records", len(records), "files read", rd.reads)
	return nil
}

// adrDir resolves an adr-location annotation against the entity's file:
// a relative folder, or a URL into the location's own repository.
func adrDir(loc store.Location, entityFile, value string) (string, error) {
	if strings.Contains(value, "://") {
		t, err := remote.Parse(value)
		if err != nil {
			return "", err
		}
		if !t.SameRepo(loc.URL) {
			return "", fmt.Errorf("%s is not in this location's repository (%s): Callboard reads decision records from the entity's own repository", value, loc.URL)
		}
		return strings.Trim(t.Path, "/"), nil
	}
	if path.IsAbs(value) {
		return strings.Trim(path.Clean(value), "/"), nil
	}
	dir := path.Clean(path.Join(path.Dir(entityFile), value))
	if dir == ".." || strings.HasPrefix(dir, "../") {
		return "", fmt.Errorf("%s leaves the repository", value)
	}
	if dir == "." {
		dir = ""
	}
	return dir, nil
}

// folderReader reads the decision records of a location's folders,
// taking those whose blob did not move from the last read.
type folderReader struct {
	files catalog.Files
	hash  hasher // nil: every file is read
	// prev is the last read's records with a blob id, by folder and
	// file (the same folder may serve several entities).
	prev  map[string]store.Decision
	reads int // files read and parsed
}

// folder reads the decision records of one entity's folder: what is
// refused is kept as a record with its problem, so the tab lists it.
func (rd *folderReader) folder(names []string, loc store.Location, ref, entityFile, value string) []store.Decision {
	refused := func(file, dir string, line int, field, msg string) store.Decision {
		return store.Decision{EntityRef: ref, File: file, Dir: dir, Problem: &store.DecisionProblem{File: file, Line: line, Field: field, Message: msg}}
	}
	dir, err := adrDir(loc, entityFile, value)
	if err != nil {
		return []store.Decision{refused("", "", 0, adrAnnotation, err.Error())}
	}
	prefix := dir + "/"
	if dir == "" {
		prefix = ""
	}
	start, _ := slices.BinarySearch(names, prefix)
	var paths []string
	for _, n := range names[start:] {
		if !strings.HasPrefix(n, prefix) {
			break
		}
		if adr.IsFile(n[len(prefix):]) {
			paths = append(paths, n)
		}
	}
	var out []store.Decision
	if found := len(paths); found > adr.MaxFiles {
		// Synced files are untrusted: past the bound the rest are left
		// out, and the tab says so.
		paths = paths[:adr.MaxFiles]
		out = append(out, refused("", dir, 0, "", fmt.Sprintf("the folder holds %d decision records; the first %d are read", found, adr.MaxFiles)))
	}
	parsed := make([]adr.Record, 0, len(paths))
	hashes := make([]string, 0, len(paths))
	for _, p := range paths {
		rel := p[len(prefix):]
		hash := ""
		if rd.hash != nil {
			hash = rd.hash.Hash(p)
		}
		if old, ok := rd.prev[dir+"\x00"+rel]; ok && hash != "" && old.Hash == hash {
			if old.Problem != nil {
				old.EntityRef = ref
				out = append(out, old)
			} else {
				parsed, hashes = append(parsed, adrRecordOf(old)), append(hashes, hash)
			}
			continue
		}
		d, r, ok := rd.read(p, rel)
		if !ok {
			d.EntityRef, d.Dir, d.Hash = ref, dir, hash
			out = append(out, d)
			continue
		}
		parsed, hashes = append(parsed, r), append(hashes, hash)
	}
	adr.Link(parsed)
	for i, r := range parsed {
		out = append(out, store.Decision{EntityRef: ref, File: r.File, Dir: dir, Number: r.Number, Title: r.Title, Status: string(r.Status),
			StatusText: r.StatusText, Format: string(r.Format), Date: r.Date, SupersededBy: r.SupersededBy, Successor: r.Successor,
			Deciders: r.Deciders, Tags: r.Tags, Body: r.Body, Hash: hashes[i]})
	}
	return out
}

// read reads and parses the record at p (rel within its folder); when it
// is refused, ok is false and d holds the problem.
func (rd *folderReader) read(p, rel string) (d store.Decision, r adr.Record, ok bool) {
	rd.reads++
	refused := func(line int, field, msg string) store.Decision {
		return store.Decision{File: rel, Problem: &store.DecisionProblem{File: rel, Line: line, Field: field, Message: msg}}
	}
	if size, err := rd.files.Size(p); err != nil || size > adr.MaxFileSize {
		msg := fmt.Sprintf("is %d bytes; a decision record may have %d", size, adr.MaxFileSize)
		if err != nil {
			msg = "cannot be read: " + err.Error()
		}
		return refused(0, "", msg), r, false
	}
	data, err := rd.files.ReadFile(p)
	if err != nil {
		return refused(0, "", "cannot be read: "+err.Error()), r, false
	}
	r, err = adr.Parse(rel, data)
	if e := (*adr.Error)(nil); errors.As(err, &e) {
		return refused(e.Line, e.Field, e.Msg), r, false
	} else if err != nil {
		return refused(0, "", err.Error()), r, false
	}
	return d, r, true
}

// adrRecordOf is a stored record as Link takes it: Link sets Successor
// again, since the folder around the record may have changed.
func adrRecordOf(d store.Decision) adr.Record {
	return adr.Record{File: d.File, Number: d.Number, Title: d.Title, Status: adr.Status(d.Status), StatusText: d.StatusText,
		Format: adr.Format(d.Format), Date: d.Date, SupersededBy: d.SupersededBy, Deciders: d.Deciders, Tags: d.Tags, Body: d.Body}
}

// foldersOf groups records by entity into the lists the tab shows, by
// number.
func foldersOf(records []store.Decision) []store.DecisionFolder {
	var out []store.DecisionFolder
	at := map[string]int{}
	for _, r := range records {
		i, ok := at[r.EntityRef]
		if !ok {
			i = len(out)
			at[r.EntityRef] = i
			out = append(out, store.DecisionFolder{EntityRef: r.EntityRef, Dir: r.Dir})
		}
		f := &out[i]
		if r.Problem != nil {
			f.Problems = append(f.Problems, *r.Problem)
			continue
		}
		f.Items = append(f.Items, store.DecisionSummary{File: r.File, Number: r.Number, Title: r.Title, Status: r.Status,
			StatusText: r.StatusText, Date: r.Date, Successor: r.Successor})
	}
	for _, f := range out {
		slices.SortFunc(f.Items, func(x, y store.DecisionSummary) int {
			return cmp.Or(cmp.Compare(x.Number, y.Number), cmp.Compare(x.File, y.File))
		})
	}
	return out
}

// listOf is a stored list as the API gives it.
func listOf(f store.DecisionFolder) *entityDecisions {
	ed := &entityDecisions{dir: f.Dir, items: make([]DecisionSummary, 0, len(f.Items)), problems: make([]DecisionProblem, 0, len(f.Problems))}
	for _, d := range f.Items {
		ed.items = append(ed.items, DecisionSummary(d))
	}
	for _, p := range f.Problems {
		ed.problems = append(ed.problems, DecisionProblem{File: p.File, Line: p.Line, Field: p.Field, Message: p.Message})
	}
	return ed
}

func decisionSummary(r store.Decision) DecisionSummary {
	return DecisionSummary{File: r.File, Number: r.Number, Title: r.Title, Status: r.Status, StatusText: r.StatusText, Date: r.Date, Successor: r.Successor}
}

// folder returns entity ref's list in location id: from memory, else from
// the store, else, for a location never read, from git. nil means the
// entity has no records.
func (a *decisionsArea) folder(ctx context.Context, id, ref string) (*entityDecisions, error) {
	a.mu.Lock()
	ld := a.byLoc[id]
	if ld != nil {
		if ed, ok := ld.byRef[ref]; ok || ld.complete {
			a.mu.Unlock()
			return ed, nil
		}
	}
	a.mu.Unlock()
	if _, ok, err := a.db.DecisionState(ctx, id); err != nil {
		return nil, err
	} else if !ok {
		if err := a.refresh(ctx, id); err != nil {
			// Nothing to read (a plugin's location, one not synced yet):
			// no records until a sync reads them.
			return nil, nil
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		if ld := a.byLoc[id]; ld != nil {
			return ld.byRef[ref], nil
		}
		return nil, nil
	}
	f, ok, err := a.db.DecisionFolder(ctx, id, ref)
	if err != nil {
		return nil, err
	}
	var ed *entityDecisions
	if ok {
		ed = listOf(f)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.byLoc == nil {
		a.byLoc = map[string]*locDecisions{}
	}
	ld = a.byLoc[id]
	if ld == nil {
		ld = &locDecisions{byRef: map[string]*entityDecisions{}}
		a.byLoc[id] = ld
	}
	if !ld.complete {
		ld.byRef[ref] = ed
	}
	return ld.byRef[ref], nil
}

// entity finds an annotated entity by ref.
func (a *decisionsArea) entity(ctx context.Context, ref string) (store.Entity, string, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return store.Entity{}, "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := a.db.Entity(ctx, r.String())
	if err != nil {
		return store.Entity{}, "", err
	}
	if !ok {
		return store.Entity{}, "", fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	v := strings.TrimSpace(e.Entity.Metadata.Annotations[adrAnnotation])
	if v == "" {
		return store.Entity{}, "", fmt.Errorf("entity %s has no %s annotation: %w", r, adrAnnotation, ErrNotFound)
	}
	return e, v, nil
}

// List answers API.EntityDecisions.
func (a *decisionsArea) List(ctx context.Context, ref string) (DecisionList, error) {
	e, value, err := a.entity(ctx, ref)
	if err != nil {
		return DecisionList{}, err
	}
	key := e.Entity.Ref().String()
	out := DecisionList{Ref: key, Annotation: value, Items: []DecisionSummary{}, Problems: []DecisionProblem{}}
	ed, err := a.folder(ctx, e.LocationID, key)
	if err != nil {
		return DecisionList{}, err
	}
	if ed != nil {
		out.Dir, out.Items, out.Problems = ed.dir, ed.items, ed.problems
	}
	return out, nil
}

// Get answers API.Decision.
func (a *decisionsArea) Get(ctx context.Context, ref, file string) (DecisionDetail, error) {
	if err := requireID("file", file); err != nil {
		return DecisionDetail{}, err
	}
	e, _, err := a.entity(ctx, ref)
	if err != nil {
		return DecisionDetail{}, err
	}
	key := e.Entity.Ref().String()
	if _, err := a.folder(ctx, e.LocationID, key); err != nil {
		return DecisionDetail{}, err
	}
	r, ok, err := a.db.Decision(ctx, e.LocationID, key, file)
	if err != nil {
		return DecisionDetail{}, err
	}
	if !ok || r.Problem != nil {
		return DecisionDetail{}, fmt.Errorf("decision record %s of %s: %w", file, key, ErrNotFound)
	}
	html, err := forgemd.HTML(r.Body)
	if err != nil {
		return DecisionDetail{}, fmt.Errorf("decision record %s of %s: %w", file, key, err)
	}
	return DecisionDetail{Ref: key, Decision: decisionSummary(r), Path: path.Join(r.Dir, r.File), Format: r.Format,
		SupersededBy: r.SupersededBy, Deciders: nonNil(r.Deciders), Tags: nonNil(r.Tags), HTML: html}, nil
}

// problemsOf lists the decision record files of location id that were
// refused, and the annotations that name no folder Callboard can read,
// as the Problems page shows them: the file's path in the repository
// (the entity's catalog file for an annotation), the entity concerned.
func (a *decisionsArea) problemsOf(ctx context.Context, id string) ([]catalog.Error, error) {
	var out []catalog.Error
	var noFile []int
	err := a.db.DecisionFolders(ctx, id, func(f store.DecisionFolder) {
		for _, p := range f.Problems {
			e := catalog.Error{File: path.Join(f.Dir, p.File), Line: p.Line, Field: p.Field, Message: p.Message, Entity: f.EntityRef}
			if p.File == "" && f.Dir == "" && p.Field == adrAnnotation {
				noFile = append(noFile, len(out))
			}
			out = append(out, e)
		}
	})
	if err != nil {
		return nil, err
	}
	for _, i := range noFile {
		e, ok, err := a.db.Entity(ctx, out[i].Entity)
		if err != nil {
			return nil, err
		}
		if ok {
			out[i].File = e.Source.File
			out[i].Field = "metadata.annotations." + adrAnnotation
		}
	}
	return out, nil
}
