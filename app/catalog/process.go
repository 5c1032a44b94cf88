package catalog

import (
	"context"
	"fmt"
	"maps"
	"math"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Source is where an entity's document starts.
type Source struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
}

// Processed is an accepted entity with its origin.
type Processed struct {
	Entity Entity `json:"entity"`
	Source Source `json:"source"`
	// Reused is true when the entity came from the FileCache unchanged:
	// its file and what the file read are the same as in the last run.
	// Entity then holds only apiVersion, kind, name and namespace (Raw is
	// nil): the caller stored the rest after the last run.
	Reused bool `json:"-"`
	// Handed is true when the entity was given to Options.Accepted as
	// processing went: Entity then holds only apiVersion, kind, name and
	// namespace, as for Reused.
	Handed bool `json:"-"`
	// Remote, when set, says which of the entity's placeholders were read
	// by URL, and when.
	Remote *Remote `json:"remote,omitempty"`
	// Edges are the entity's relations, set only on what Options.Accepted
	// is given: Result.Edges then leaves them out.
	Edges []Edge `json:"-"`
}

// Verdict is what processing concluded about one entity document: valid
// when it has no errors. Ref and Kind are as far as the document says.
type Verdict struct {
	Ref    string  `json:"ref"`
	Kind   string  `json:"kind"`
	Source Source  `json:"source"`
	Errors []Error `json:"errors,omitempty"`
}

// Valid reports whether the entity was accepted.
func (v Verdict) Valid() bool { return len(v.Errors) == 0 }

// Result is everything processing produced.
type Result struct {
	Entities []Processed
	Edges    []Edge
	// Verdicts has one entry per entity document, accepted or not, in
	// processing order, but those of entities given to Options.Accepted.
	Verdicts []Verdict
	// Errors holds every error: those of entities (Entity set) and those
	// of files that belong to no entity (unreadable files, YAML syntax).
	Errors []Error
	// Warnings are worth fixing but change no verdict, as in Backstage:
	// an entity defined twice in one file (the last one counts) and
	// Location cycles (each file is read once).
	Warnings []Error
	// External are the targets of accepted Location entities that name
	// files of other repositories (Options.Targets), in the order they
	// were met; nothing of them is read.
	External []ExternalTarget
	// Files are every file the run reached, read or found missing, sorted.
	Files []string
}

// Annotations Backstage's catalog adds to every entity it reads from a file.
const (
	AnnotationLocation       = "backstage.io/managed-by-location"
	AnnotationOriginLocation = "backstage.io/managed-by-origin-location"
)

// Options tune processing.
type Options struct {
	// LocationRef turns a repository path into the location reference
	// written in the managed-by annotations, e.g. "url:https://host/repo/blob/main/"+file.
	// The default is "file:"+file.
	LocationRef func(file string) string
	// Cache, with Files that implement Hasher, lets unchanged files skip
	// parsing and validation; pass the same cache for every run over one
	// location.
	Cache *FileCache
	// Progress, when set, is called after each file is read with the files
	// read so far and those known to be left; from several goroutines.
	Progress func(done, known int)
	// Candidate, when set, decides from its contents whether a root file is
	// a catalog file at all; roots it refuses are skipped without a word.
	// `catalog validate DIR` uses it to pass over template skeletons and
	// other YAML, without reading every file twice.
	Candidate func(data []byte) bool
	// Remote, when set, reads the files placeholders name by http(s) URL;
	// without it such a placeholder is an error. The FileCache reuses a
	// file that read URLs only when each gives what it gave last time (it
	// asks Remote again, which should ask its server conditionally).
	Remote RemoteReader
	// Accepted, when set, is given each file's accepted entities as soon
	// as their verdict is final, from one goroutine, in processing order,
	// with their relations (Processed.Edges), and Result then keeps only
	// their refs (Processed.Handed, after the entities not handed), neither
	// their relations nor their verdicts (they are valid): a caller
	// that stores them as they come holds a window of files, not the
	// catalog. Entities taken from the Cache and Location entities are
	// not given (they stay in Result).
	Accepted func([]Processed)
	// FileState, when set with a Cache that begins the run empty, is given
	// each file the run reaches once it is merged, in processing order,
	// from one goroutine: with the cache entry the run made of it, which
	// the Cache then gives up (Used no longer lists it), or nil when the
	// run keeps no entry of it (a Location file, a missing file). A caller
	// that stores them as they come holds no catalog-sized file state.
	FileState func(file string, entry *CachedFile)
	// Targets, when set, says where Location targets given as http(s)
	// URLs lead: files of this repository, other repositories (listed in
	// Result.External) or files read with Remote. Without it such targets
	// are errors.
	Targets TargetRouter
}

// remoteWorkers is how many files are processed at once when placeholders
// may wait on servers: reading is then mostly waiting.
const remoteWorkers = 8

func (o Options) locationRef(file string) string {
	if isHTTP(file) {
		return "url:" + file // a file read by URL
	}
	if o.LocationRef == nil {
		return "file:" + file
	}
	return o.LocationRef(file)
}

// Process reads the root files and every file their Location entities
// reach, and returns the entities, relations, verdicts and errors, reaching
// the verdicts Backstage's catalog reaches. It reads nothing but files; a
// bad file or entity is reported and everything else still counts.
// Files are parsed and validated in parallel, one worker per CPU.
func Process(ctx context.Context, files Files, opts Options, roots ...string) Result {
	p := &processor{files: files, opts: opts, seen: map[string]bool{}, owners: map[string]owner{}}
	if opts.Cache != nil {
		opts.Cache.begin()
	}
	level := make([]job, 0, len(roots))
	for _, r := range roots {
		r = path.Clean(r)
		if !isGlob(r) {
			level = append(level, job{file: r})
			continue
		}
		// A glob root (a location's path may be one) stands for the files it matches.
		all, err := files.List()
		if err != nil {
			p.errs = append(p.errs, Error{File: r, Message: "cannot list files: " + err.Error()})
			continue
		}
		n := len(level)
		for _, f := range all {
			if globMatch(r, f) {
				level = append(level, job{file: f})
			}
		}
		if len(level) == n {
			p.errs = append(p.errs, Error{File: r, Message: "no file in the repository matches this pattern"})
		}
	}
	for len(level) > 0 && ctx.Err() == nil {
		var todo []job
		for _, j := range level {
			if !p.seen[j.file] {
				p.seen[j.file] = true
				todo = append(todo, j)
			}
		}
		level = nil
		p.parallel(ctx, todo, func(r *fileResult) {
			level = append(level, p.merge(r)...)
			p.settle(r)
			p.handFile(r)
		})
	}
	return p.finish()
}

// job is a file to read, and the Location entity that named it (if any)
// with the chain of files that led there, for cycle reports.
type job struct {
	// file is a path in the repository, or the http(s) URL of a file
	// read with Options.Remote.
	file string
	// root is what "/"-prefixed targets and placeholders of a file read
	// by URL resolve against (Route.Root).
	root     string
	optional bool
	from     *pending
	at       targetAt // where from names this file, for its errors
	chain    []string
}

// targetAt is where a Location names a target, in its file (the
// Location's Source.File): kept small, as a root Location may list
// 100,000 targets, each a job.
type targetAt struct {
	field        string
	line, column int
}

// fileResult is what one worker made of one file.
type fileResult struct {
	job     job
	missing error   // the file does not exist (wraps fs.ErrNotExist)
	errs    []Error // file errors, belonging to no entity
	items   []*pending
}

// pending is one entity document on its way to a verdict.
type pending struct {
	verdict    Verdict
	superseded bool // a later document of the same file defines the same entity
	enveloped  bool // passed the envelope check, so it counts as an entity of its file
	reused     bool // taken from the FileCache
	remote     *Remote
	remoteURLs map[string]string // URLs read, by what each gave (remoteKey)
	remoteMiss bool              // a URL could not be read
	entity     Entity
	edges      []Edge
	targets    []job // for Location entities
	external   []ExternalTarget
	// badTargets are errors of targets that cannot be followed: they
	// refuse the Location once its other targets are on their way.
	badTargets []Error
	ok         bool
}

type owner struct {
	file string
	line int
	item *pending // nil once handed to Options.Accepted
}

type processor struct {
	files    Files
	opts     Options
	done     atomic.Int64 // files read, for Progress
	seen     map[string]bool
	owners   map[string]owner
	items    []*pending // nil where an entity was handed
	handed   []Processed
	errs     []Error
	warns    []Error
	external []ExternalTarget
}

// window is how many files may be read ahead of the one merged next:
// what processing holds at once, whatever the catalog's size.
const window = 256

// parallel reads jobs with one worker per CPU and hands each result to
// merge in the order of jobs, from the calling goroutine, as soon as it
// and those before it are read; at most window results wait to be merged.
func (p *processor) parallel(ctx context.Context, jobs []job, merge func(*fileResult)) {
	workers := runtime.GOMAXPROCS(0)
	if p.opts.Remote != nil {
		workers = max(workers, remoteWorkers)
	}
	workers = min(workers, len(jobs))
	ring := make([]chan fileResult, min(window, len(jobs)))
	for i := range ring {
		ring[i] = make(chan fileResult, 1)
	}
	// A token per result read but not merged yet: job i is handed out only
	// once job i-len(ring) is merged, so its slot in ring is free.
	tokens := make(chan struct{}, len(ring))
	next := make(chan int)
	go func() {
		for i := range jobs {
			tokens <- struct{}{}
			next <- i
		}
		close(next)
	}()
	var wg sync.WaitGroup
	known := p.done.Load() + int64(len(jobs))
	for range workers {
		wg.Go(func() {
			for i := range next {
				r := p.readFile(ctx, jobs[i])
				if n := p.done.Add(1); p.opts.Progress != nil {
					p.opts.Progress(int(n), int(known))
				}
				ring[i%len(ring)] <- r
			}
		})
	}
	for i := range jobs {
		r := <-ring[i%len(ring)]
		merge(&r)
		<-tokens
	}
	wg.Wait()
}

// merge applies a file's results in order: duplicates, missing targets,
// and the next files to read.
func (p *processor) merge(r *fileResult) []job {
	if r.missing != nil {
		if from := r.job.from; from != nil && !r.job.optional {
			at := r.job.at
			from.fail(Error{File: from.verdict.Source.File, Line: at.line, Column: at.column, Field: at.field,
				Message: fmt.Sprintf("target %s (set spec.presence: optional if that is expected)", missing(r.job.file, r.missing))})
		} else if from == nil {
			p.errs = append(p.errs, Error{File: r.job.file, Message: "cannot read file: " + missing(r.job.file, r.missing)})
		}
		return nil
	}
	p.errs = append(p.errs, r.errs...)
	var next []job
	inFile := map[string]*pending{}
	for _, it := range r.items {
		if from := r.job.from; from != nil && it.enveloped && sameRef(it.entity, from.entity) {
			// Backstage ignores an entity its parent emits with the parent's
			// own ref (ProcessorOutputCollector): a Location listing the file
			// that defines it again. Its targets are not followed either.
			p.warns = append(p.warns, Error{File: r.job.file, Line: it.verdict.Source.Line, Column: it.verdict.Source.Column, Field: "metadata.name", Entity: it.verdict.Ref,
				Message: fmt.Sprintf("%s is the Location that lists this file (%s:%d); this definition is ignored, as Backstage ignores it", it.verdict.Ref, from.verdict.Source.File, from.verdict.Source.Line)})
			continue
		}
		p.items = append(p.items, it)
		ref := it.verdict.Ref
		if !it.enveloped {
			continue // Backstage drops these before they become entities, so they replace nothing
		}
		if prev := inFile[ref]; prev != nil {
			// Backstage keeps the last document of a file that defines the same entity twice.
			prev.superseded = true
			p.warns = append(p.warns, Error{File: r.job.file, Line: prev.verdict.Source.Line, Column: prev.verdict.Source.Column, Field: "metadata.name", Entity: ref,
				Message: fmt.Sprintf("%s is defined again at line %d of this file; the last definition counts, this one is ignored", ref, it.verdict.Source.Line)})
			if o, ok := p.owners[ref]; ok && o.item == prev {
				delete(p.owners, ref)
			}
		}
		inFile[ref] = it
		if !it.ok {
			continue
		}
		if prev, dup := p.owners[ref]; dup {
			it.fail(Error{File: it.verdict.Source.File, Line: it.verdict.Source.Line, Field: "metadata.name",
				Message: fmt.Sprintf("%s is already defined in %s:%d; the first definition is kept", ref, prev.file, prev.line)})
			if p.opts.Cache != nil {
				// Were the file reused once the first definition goes, its
				// entity would be copied from the store, where the first
				// file's record is: the file is read again instead.
				p.opts.Cache.drop(r.job)
			}
			continue
		}
		p.owners[ref] = owner{file: r.job.file, line: it.verdict.Source.Line, item: it}
		// Every target shares the chain, which nothing appends to in
		// place: a root Location may list 100,000 targets.
		chain := append(slices.Clone(r.job.chain), r.job.file)
		for _, t := range it.targets {
			if slices.Contains(r.job.chain, t.file) || t.file == r.job.file {
				p.warns = append(p.warns, Error{File: it.verdict.Source.File, Line: it.verdict.Source.Line, Field: "spec.targets", Entity: ref,
					Message: fmt.Sprintf("location cycle: %s leads back to %s, which is read once", strings.Join(chain, " → "), t.file)})
				continue
			}
			t.chain = chain
			next = append(next, t)
		}
		it.targets = nil // queued in next; the item itself stays for the result
		p.external = append(p.external, it.external...)
		// Its other targets are followed all the same; the Location itself
		// is refused, as Backstage refuses it.
		for _, e := range it.badTargets {
			it.fail(e)
		}
	}
	return next
}

// settle hands the entities of a merged file whose verdict is final to
// Options.Accepted and keeps only their refs: every entity but a
// Location's (whose targets, read later, may still refuse it).
func (p *processor) settle(r *fileResult) {
	if p.opts.Accepted == nil {
		return
	}
	var batch []Processed
	// The file's items are the last of p.items; a handed one is kept
	// only as its lean entity, and its verdict (valid) goes.
	items := p.items[len(p.items)-len(r.items):]
	for i, it := range r.items {
		if !it.ok || it.superseded || it.reused || it.verdict.Kind == "Location" {
			continue
		}
		batch = append(batch, Processed{Entity: it.entity, Source: it.verdict.Source, Remote: it.remote, Edges: it.edges})
		p.handed = append(p.handed, Processed{Entity: it.entity.lean(), Source: it.verdict.Source, Handed: true, Remote: it.remote})
		items[i] = nil
		if o := p.owners[it.verdict.Ref]; o.item == it {
			o.item = nil
			p.owners[it.verdict.Ref] = o
		}
	}
	if len(batch) > 0 {
		p.opts.Accepted(batch)
	}
}

// handFile gives the merged file's cache entry to Options.FileState, and
// takes it out of the cache.
func (p *processor) handFile(r *fileResult) {
	if p.opts.FileState == nil || p.opts.Cache == nil {
		return
	}
	f, ok := p.opts.Cache.take(r.job.file)
	if !ok {
		p.opts.FileState(r.job.file, nil)
		return
	}
	p.opts.FileState(r.job.file, &f)
}

func (it *pending) fail(e Error) {
	e.Entity = it.verdict.Ref
	it.verdict.Errors = append(it.verdict.Errors, e)
	it.ok = false
}

func (p *processor) finish() Result {
	res := Result{Warnings: p.warns, Verdicts: make([]Verdict, 0, len(p.items)), Entities: make([]Processed, 0, len(p.items))}
	edges := 0
	for _, it := range p.items {
		if it != nil {
			edges += len(it.edges)
		}
	}
	res.Edges = make([]Edge, 0, edges)
	for _, it := range p.items {
		if it == nil || it.superseded {
			continue
		}
		res.Verdicts = append(res.Verdicts, it.verdict)
		res.Errors = append(res.Errors, it.verdict.Errors...)
		if it.ok {
			res.Entities = append(res.Entities, Processed{Entity: it.entity, Source: it.verdict.Source, Reused: it.reused, Remote: it.remote})
			res.Edges = append(res.Edges, it.edges...)
		}
	}
	res.Entities = append(res.Entities, p.handed...)
	res.Errors = append(res.Errors, p.errs...)
	res.External = p.external
	res.Files = slices.Sorted(maps.Keys(p.seen))
	return res
}

// readFile parses one file and judges each of its entity documents, or
// takes the result from the cache when the file did not change.
func (p *processor) readFile(ctx context.Context, j job) fileResult {
	origin := j.file
	if len(j.chain) > 0 {
		origin = j.chain[0]
	}
	locs := [2]string{p.opts.locationRef(j.file), p.opts.locationRef(origin)}
	if isHTTP(j.file) {
		return p.readURL(ctx, j, locs) // never cached: the server's file may change
	}
	hasher, hashed := p.files.(Hasher)
	if p.opts.Cache == nil || !hashed {
		return p.parseFile(ctx, j, locs, p.files)
	}
	if r, ok := p.opts.Cache.get(ctx, hasher, p.opts.Remote, j, locs); ok {
		return r
	}
	rec := &readsRecorder{Files: p.files}
	r := p.parseFile(ctx, j, locs, rec)
	switch {
	case ctx.Err() != nil:
	case r.cacheable():
		p.opts.Cache.put(hasher, j, locs, rec.read, r)
	default:
		// An older result must not stand in for this one, which a later
		// run must make again.
		p.opts.Cache.drop(j)
	}
	return r
}

func (p *processor) parseFile(ctx context.Context, j job, locs [2]string, files Files) fileResult {
	r := fileResult{job: j}
	if ctx.Err() != nil {
		return r
	}
	data, err := ReadLimited(files, j.file)
	if isNotExist(err) {
		r.missing = err
		return r
	}
	if err != nil {
		r.errs = append(r.errs, Error{File: j.file, Message: "cannot read file: " + err.Error()})
		return r
	}
	if j.from == nil && len(j.chain) == 0 && p.opts.Candidate != nil && !p.opts.Candidate(data) {
		return r
	}
	p.parseData(ctx, &r, locs, files, data)
	return r
}

// readURL reads a file named by URL with Options.Remote and judges its
// entity documents; each entity says when its file was read.
func (p *processor) readURL(ctx context.Context, j job, locs [2]string) fileResult {
	r := fileResult{job: j}
	if ctx.Err() != nil {
		return r
	}
	if p.opts.Remote == nil {
		r.errs = append(r.errs, Error{File: j.file, Message: "cannot read file: files are not read by URL here"})
		return r
	}
	f, err := p.opts.Remote.ReadRemote(ctx, j.file)
	switch {
	case isNotExist(err):
		r.missing = err
		return r
	case err != nil:
		r.errs = append(r.errs, Error{File: j.file, Message: "cannot read file: " + err.Error()})
		return r
	case f.Path != "":
		// The reader found the URL in this repository after all.
		j.file = f.Path
		return p.parseFile(ctx, j, [2]string{p.opts.locationRef(f.Path), locs[1]}, p.files)
	case len(f.Data) > MaxFileSize:
		r.errs = append(r.errs, Error{File: j.file, Message: "cannot read file: " + FileTooLarge(int64(len(f.Data))).Error()})
		return r
	}
	p.parseData(ctx, &r, locs, p.files, f.Data)
	for _, it := range r.items {
		it.remote = it.remote.with(j.file, f)
	}
	return r
}

// parseData cuts a file's data into documents and judges each, adding
// its entities and errors to r.
func (p *processor) parseData(ctx context.Context, r *fileResult, locs [2]string, files Files, data []byte) {
	j := r.job
	docs, yerrs := readDocuments(data)
	for _, e := range yerrs {
		r.errs = append(r.errs, Error{File: j.file, Line: e.Line, Column: e.Column, Field: e.Field, Message: "invalid YAML: " + e.Message})
	}
	for i := range docs {
		d := &docs[i]
		m, ok := d.value.(map[string]any)
		if !ok {
			line, col := d.position()
			r.errs = append(r.errs, Error{File: j.file, Line: line, Column: col,
				Message: fmt.Sprintf("expected an entity (a mapping with apiVersion, kind, metadata and spec), found %s", strings.TrimPrefix(describe(d.value), ", is "))})
			continue
		}
		r.items = append(r.items, judge(ctx, files, p.opts, j, locs, d, m))
	}
	slices.SortStableFunc(r.errs, func(a, b Error) int { return a.Line - b.Line })
}

// judge runs Backstage's steps on one entity document, stopping at the
// first step that fails: envelope, placeholders, entity policies, the
// kind's validator, relations, and for Locations their targets. Failed
// placeholders do not stop it (Backstage's do): their errors are reported
// with those of the steps after, which skip the fields the placeholders
// were to fill.
func judge(ctx context.Context, files Files, opts Options, j job, locs [2]string, d *document, m map[string]any) *pending {
	file := j.file
	line, col := d.position()
	it := &pending{ok: true, verdict: Verdict{Source: Source{File: file, Line: line, Column: col}}}
	it.verdict.Kind, _ = m["kind"].(string)
	md, _ := m["metadata"].(map[string]any)
	ns, _ := md["namespace"].(string)
	if ns == "" {
		ns = DefaultNamespace
	}
	name, _ := md["name"].(string)
	if it.verdict.Kind != "" && name != "" {
		it.verdict.Ref = Ref{Kind: it.verdict.Kind, Namespace: ns, Name: name}.String()
	}
	var failed []violation // placeholders that could not be replaced, and were taken out
	report := func(vs ...violation) *pending {
		for _, v := range append(failed, vs...) {
			l, c := d.position(v.path...)
			if v.msg == "is required" || strings.HasPrefix(v.msg, "is not a field") || strings.HasPrefix(v.msg, "is computed") {
				l, c = d.keyPosition(v.path...)
			}
			it.fail(Error{File: file, Line: l, Column: c, Field: strings.Join(v.path, "."), Message: v.msg})
		}
		return it
	}

	var vs []violation
	if envelopeSchema.validate(m, nil, &vs); len(vs) > 0 {
		return report(vs...)
	}
	// Backstage's output collector adds the managed-by annotations, after
	// replacing empty annotations and refusing any other non-mapping.
	ann, isMap := md["annotations"].(map[string]any)
	if !isMap && truthy(md["annotations"]) {
		return report(violation{path: []string{"metadata", "annotations"}, msg: "must be a mapping of strings to strings"})
	}
	it.enveloped = true
	if ann == nil {
		ann = make(map[string]any, 2)
		md["annotations"] = ann
	}
	ann[AnnotationLocation] = locs[0]
	ann[AnnotationOriginLocation] = locs[1]

	size := jsonSize(m, MaxEntitySize)
	if size > MaxEntitySize {
		return report(violation{path: largest(m), msg: fmt.Sprintf("makes the entity larger than %d MB, the most Callboard keeps of one entity", MaxEntitySize>>20)})
	}
	if hasPlaceholder(m) {
		s := substitution{ctx: ctx, files: files, remote: opts.Remote, file: file, root: j.root}
		m = s.substitute(m, size)
		failed = s.errs
		it.remote, it.remoteURLs, it.remoteMiss = s.read, s.urls, s.failed
	}
	// What a failed placeholder was to fill is missing or of the wrong
	// type; saying so again would only repeat its error.
	keep := func(vs ...violation) []violation {
		return slices.DeleteFunc(vs, func(v violation) bool {
			return slices.ContainsFunc(failed, func(f violation) bool { return hasPrefix(v.path, f.path) })
		})
	}
	schemaVs := checkEntitySchema(m)
	typesOK := len(schemaVs) == 0
	if vs := keep(schemaVs...); len(vs) > 0 {
		return report(vs...)
	}
	md = m["metadata"].(map[string]any)
	if _, ok := md["namespace"]; !ok {
		md["namespace"] = DefaultNamespace
	}
	// Formats are checked on fields of the types the schema asks for.
	if typesOK {
		if v := checkFieldFormats(m); v != nil {
			return report(*v)
		}
	}
	spec, hasSpec := m["spec"].(map[string]any)
	kv, err := lookupKind(m["kind"].(string), m["apiVersion"].(string), spec)
	if err != nil {
		field := "kind"
		if strings.HasPrefix(err.Error(), "kind ") {
			field = "apiVersion"
		}
		return report(violation{path: []string{field}, msg: err.Error()})
	}
	if vs := keep(violation{path: []string{"spec"}, msg: "is required"}); !hasSpec && len(vs) > 0 {
		return report(vs...)
	}
	var specVs []violation
	if kv.spec.validate(spec, []string{"spec"}, &specVs); len(specVs) > 0 {
		if specVs = keep(specVs...); len(specVs) > 0 {
			return report(specVs...)
		}
	}
	if kv.check != nil && len(failed) == 0 {
		if vs := kv.check(spec); len(vs) > 0 {
			return report(vs...)
		}
	}
	// Relations and targets read fields the validators vouched for, which a
	// failed placeholder leaves out.
	if len(failed) > 0 {
		return report()
	}
	it.entity = newEntity(m)
	edges, v := relations(&it.entity, kv)
	if v != nil {
		return report(*v)
	}
	it.edges = edges
	if it.verdict.Kind == "Location" {
		targets, external, vs := locationTargets(ctx, files, opts.Targets, j, spec)
		for i := range external {
			x := &external[i]
			x.Location = it.verdict.Ref
			x.At.File = file
			x.At.Line, x.At.Column = d.position(strings.Split(x.At.Field, ".")...)
		}
		it.external = external
		for _, v := range vs {
			l, c := d.position(v.path...)
			it.badTargets = append(it.badTargets, Error{File: file, Line: l, Column: c, Field: strings.Join(v.path, "."), Message: v.msg})
		}
		for i := range targets {
			t := &targets[i]
			t.from = it
			t.at.line, t.at.column = d.position(strings.Split(t.at.field, ".")...)
		}
		it.targets = targets
	}
	return it
}

// hasPrefix says whether path is at or under prefix.
func hasPrefix(path, prefix []string) bool {
	return len(path) >= len(prefix) && slices.Equal(path[:len(prefix)], prefix)
}

// largest is the path to the value that makes up most of v: the field to
// blame for an entity that is too large.
func largest(v any) []string {
	var path []string
	for {
		var key string
		var next any
		most := -1
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				if n := jsonSize(x[k], MaxEntitySize); n > most {
					key, next, most = k, x[k], n
				}
			}
		case []any:
			for i, y := range x {
				if n := jsonSize(y, MaxEntitySize); n > most {
					key, next, most = strconv.Itoa(i), y, n
				}
			}
		}
		if most < 0 {
			return path
		}
		path, v = append(path, key), next
	}
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case bool:
		return v
	case float64:
		return v != 0 && !math.IsNaN(v)
	}
	return true
}

// newEntity builds the typed entity from a validated document.
func newEntity(m map[string]any) Entity {
	return typed(jsonSafe(m).(map[string]any))
}

// typed reads the typed fields of an entity from its document, whose
// envelope has been checked.
func typed(m map[string]any) Entity {
	md := m["metadata"].(map[string]any)
	e := Entity{APIVersion: m["apiVersion"].(string), Kind: m["kind"].(string), Raw: m}
	e.Spec, _ = m["spec"].(map[string]any)
	e.Metadata.Name = md["name"].(string)
	e.Metadata.Namespace = md["namespace"].(string)
	e.Metadata.Title, _ = md["title"].(string)
	e.Metadata.Description, _ = md["description"].(string)
	e.Metadata.Labels = stringMap(md["labels"])
	e.Metadata.Annotations = stringMap(md["annotations"])
	if tags, ok := md["tags"].([]any); ok {
		for _, t := range tags {
			if s, ok := t.(string); ok {
				e.Metadata.Tags = append(e.Metadata.Tags, s)
			}
		}
	}
	return e
}

// jsonSafe replaces numbers JSON cannot hold (.inf, .nan) with null, as
// JSON.stringify does, so the entity can be stored.
func jsonSafe(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil
		}
	case map[string]any:
		for k, y := range x {
			x[k] = jsonSafe(y)
		}
	case []any:
		for i, y := range x {
			x[i] = jsonSafe(y)
		}
	}
	return v
}

func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		out[k], _ = x.(string)
	}
	return out
}

// sameRef says whether two entities have the same ref as Backstage's
// stringifyEntityRef writes it: the kind in lower case, the namespace
// ("default" when unset) and the name as written.
func sameRef(a, b Entity) bool {
	ns := func(e Entity) string {
		if e.Metadata.Namespace == "" {
			return "default"
		}
		return e.Metadata.Namespace
	}
	return strings.EqualFold(a.Kind, b.Kind) && ns(a) == ns(b) && a.Metadata.Name == b.Metadata.Name
}
