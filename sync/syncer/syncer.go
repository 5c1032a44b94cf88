package syncer

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// Syncer runs the fetch → process → store pipeline for locations.
type Syncer struct {
	db       *store.DB
	clones   string // folder of the bare clones, one per location
	creds    gitfetch.Credentials
	emit     events.Emitter
	log      *slog.Logger
	now      func() time.Time
	inFlight sync.Map // location id → *sync.Mutex: one sync per location at a time
	caches   sync.Map // location id → *fileCache: the store's file state in memory (incremental.go)
	trees    sync.Map // location id → *gitfetch.TreeFiles of the last sync: unchanged directories are not read again
	runs     sync.Map // location id → runStats of its last processing
	// wholeSet turns patch off: every change reads the whole set (tests
	// compare what patch makes with it).
	wholeSet bool
	// settled holds the ids of locations whose outbox agrees with its
	// entries and the catalog: reconciled since the start, and nothing of
	// the location failed since (a failure may leave a write or push cut
	// short, which reconcile settles before the next sync).
	settled sync.Map
	history historyCache
	// remote reads the files placeholders name by URL (remote.go).
	remote *remote.Reader

	// provider gives the files of plugin locations (provider.go); nil
	// when there are no plugins.
	provider Provider
	// steps hears the steps of each write (write.go).
	steps Steps

	// Org locations (org.go): the token for a forge's host, the rate
	// limits its sources share, how their API requests are made, and the
	// clock their retries wait on (nil: the real one).
	orgToken     func(ctx context.Context, host string) (string, error)
	orgLimits    *discover.Limits
	orgTransport http.RoundTripper
	orgClock     discover.Clock

	// Backstage locations (backstage.go): the token for a backend's host
	// and how its requests are made.
	bsToken     func(ctx context.Context, host string) (string, error)
	bsTransport http.RoundTripper
}

// Clone is the folder of location id's bare clone (it may not exist yet).
func (s *Syncer) Clone(id string) string { return filepath.Join(s.clones, id) }

// New returns a Syncer that keeps clones under clonesDir, authenticates
// to remotes with creds, and reads the files of plugin locations from
// provider (nil when there are no plugins: their locations fail with
// ErrNoProvider).
func New(db *store.DB, clonesDir string, creds gitfetch.Credentials, emit events.Emitter, log *slog.Logger, provider Provider) *Syncer {
	s := &Syncer{db: db, clones: clonesDir, creds: creds, emit: emit, log: log.With("component", "syncer"), now: time.Now, steps: noSteps{},
		provider: provider, orgToken: remote.GitTokens(creds), orgLimits: discover.NewLimits(), orgTransport: http.DefaultTransport,
		bsToken: backstageToken(creds), bsTransport: http.DefaultTransport}
	s.remote = remote.New(s.remoteOptions(remote.Options{}))
	return s
}

// Forget deletes the clone of a removed location.
func (s *Syncer) Forget(ctx context.Context, id string) error {
	if id == "" || strings.ContainsAny(id, `/\`) || id == "." || id == ".." {
		return fmt.Errorf("forget location %q: not a location id", id)
	}
	s.caches.Delete(id)
	s.trees.Delete(id)
	s.settled.Delete(id)
	if err := s.db.SetRemoteUses(ctx, remoteOwner(id), nil); err != nil {
		return fmt.Errorf("forget location %s: %w", id, err)
	}
	if err := os.RemoveAll(filepath.Join(s.clones, id)); err != nil {
		return fmt.Errorf("forget location %s: %w", id, err)
	}
	return nil
}

// Sync brings location id up to date. A failure leaves the stored entities as
// they were and records the error on the location.
func (s *Syncer) Sync(ctx context.Context, id string) error {
	defer s.lock(id)()
	loc, ok, err := s.db.Location(ctx, id)
	if err != nil {
		return fmt.Errorf("sync location %s: %w", id, err)
	}
	if !ok {
		return fmt.Errorf("sync location %s: no such location", id)
	}
	start := s.now()
	commit, err := s.run(ctx, loc)
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		// Cut short by its caller (the app quitting, the user): the remote
		// is not at fault, so no failure is recorded and no retry backoff
		// starts; a location never synced is due again at the next start.
		s.settled.Delete(id)
		s.log.Info("sync interrupted", "location", id, "err", err)
		return fmt.Errorf("sync location %s: %w", id, err)
	}
	if err != nil {
		s.settled.Delete(id)
		// A token the host refused may have been renewed since: ask again.
		s.creds.Failed(loc.URL, err)
		s.log.Warn("sync failed", "location", id, "url", gitfetch.Redact(loc.URL), "err", err)
		if mErr := s.db.MarkFailed(context.WithoutCancel(ctx), id, err, s.now()); mErr != nil {
			return fmt.Errorf("sync location %s: %w (and recording the failure: %v)", id, err, mErr)
		}
		s.emit.Emit(ctx, events.SyncError, events.SyncResultData{LocationID: id, Error: err.Error()})
		return fmt.Errorf("sync location %s: %w", id, err)
	}
	s.settled.Store(id, true)
	s.log.Info("sync done", "location", id, "commit", commit, "took", s.now().Sub(start))
	s.emit.Emit(ctx, events.SyncDone, events.SyncResultData{LocationID: id, Commit: commit})
	s.emit.Emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: id, Commit: commit})
	return nil
}

func (s *Syncer) run(ctx context.Context, loc store.Location) (string, error) {
	if plugin, ok := PluginOf(loc.URL); ok {
		return s.syncProvided(ctx, loc, plugin) // no repository: the plugin gives the files
	}
	if loc.Org != nil {
		return s.syncOrg(ctx, loc) // no repository: the forge's API lists the org's
	}
	if loc.Backstage != nil {
		return s.syncBackstage(ctx, loc) // no repository: the backend's catalog API gives the entities
	}
	progress, throttled := s.reporters(ctx, loc)
	progress("fetch", 0, 0)
	// Clones and the store share the data dir: a full disk stops here,
	// before the fetch fills it further.
	if err := s.db.CheckSpace(); err != nil {
		return "", err
	}
	// The push below sends the outbox commits as its pending entries list
	// them: a write or push cut short is settled first. With no entry, and
	// nothing of the location failed since it was last settled, there is
	// nothing to settle (an idle sync of hundreds of locations skips it). A
	// damaged clone is left to the fetch and push, which clone it again.
	entries, err := s.db.Outbox(ctx, loc.ID)
	if err != nil {
		return "", err
	}
	if _, ok := s.settled.Load(loc.ID); !ok || len(entries) > 0 {
		if err := s.reconcile(ctx, loc); errors.Is(err, gitfetch.ErrCorrupt) {
			s.log.Warn("reconcile the outbox", "location", loc.ID, "err", err)
		} else if err != nil {
			return "", err
		}
	}
	loc, err = s.location(ctx, loc.ID) // reconcile may have stored the outbox's tip
	if err != nil {
		return "", err
	}
	auth, err := s.creds.AuthFor(ctx, loc.URL)
	if err != nil {
		return "", err
	}
	clone := filepath.Join(s.clones, loc.ID)
	fetch := s.fetcher(ctx, loc, auth, throttled)
	head, err := fetch()
	repaired := false
	if errors.Is(err, gitfetch.ErrCorrupt) {
		head, err = s.reclone(ctx, clone, loc, err, fetch)
		repaired = true
	}
	if err != nil {
		return "", err
	}
	head, err = s.push(ctx, loc, head, auth)
	if errors.Is(err, gitfetch.ErrCorrupt) && !repaired {
		if head, err = s.reclone(ctx, clone, loc, err, fetch); err == nil {
			head, err = s.push(ctx, loc, head, auth)
		}
		repaired = true
	}
	if err != nil {
		return "", err
	}
	commit := head.Commit.String()
	if dropped, err := s.dropIfUnlisted(ctx, loc); err != nil || dropped {
		return commit, err
	}
	usesRemote, err := s.usesRemote(ctx, loc.ID)
	if err != nil {
		return "", err
	}
	if commit == loc.HeadCommit && loc.LastError == "" && !repaired && !usesRemote && slices.Equal(loc.Roots(), loc.RootsRead) {
		progress("done", 1, 1)
		// Nothing new: the stored set is already this commit's.
		return commit, s.db.MarkSynced(ctx, loc.ID, s.now())
	}
	if !usesRemote && !s.wholeSet {
		if patched, err := s.patch(ctx, loc, head, progress); err != nil || patched {
			return commit, err
		}
	}
	progress("process", 0, 0)
	res, head, gen, err := s.readCatalog(ctx, loc, head, fetch, repaired, true, func(done, known int) { throttled("process", done, known) })
	if err != nil {
		return "", err
	}
	return head.Commit.String(), s.saveOrRedo(ctx, loc, head, res, gen, store.Snapshot{}, fetch, progress, throttled)
}

// saveOrRedo is save, run once more without the file cache when the store
// lacks an entity the cache reused (store.ErrStale).
func (s *Syncer) saveOrRedo(ctx context.Context, loc store.Location, head gitfetch.Head, res catalog.Result, gen *store.Generation, how store.Snapshot,
	fetch func() (gitfetch.Head, error), progress, throttled func(phase string, done, total int)) error {
	how.Roots = loc.Roots()
	err := s.saveTo(ctx, loc.ID, head.Commit.String(), res, gen, s.withFiles(loc.ID, how), progress)
	if !errors.Is(err, store.ErrStale) {
		return err
	}
	s.log.Info("the store lacks an entity the file cache reused; processing every file again", "location", loc.ID, "err", err)
	if err := s.forgetFiles(ctx, loc.ID); err != nil {
		return err
	}
	res, head, _, err = s.readCatalog(ctx, loc, head, fetch, false, false, func(done, known int) { throttled("process", done, known) })
	if err != nil {
		return err
	}
	return s.save(ctx, loc.ID, head.Commit.String(), res, s.withFiles(loc.ID, how), progress)
}

// reporters return how loc reports progress: progress for the phases,
// throttled for the many small steps (ten a second at most). A source
// clone's events name the Backstage location it serves, so the entity
// page waiting on it can show them.
func (s *Syncer) reporters(ctx context.Context, loc store.Location) (progress, throttled func(phase string, done, total int)) {
	var mu sync.Mutex
	var last time.Time
	progress = func(phase string, done, total int) {
		s.emit.Emit(ctx, events.SyncProgress, events.SyncProgressData{LocationID: loc.ID, SourceOf: loc.SourceOf, Phase: phase, Done: done, Total: total})
	}
	throttled = func(phase string, done, total int) {
		mu.Lock()
		now := time.Now()
		if now.Sub(last) < 100*time.Millisecond && done < total {
			mu.Unlock()
			return
		}
		last = now
		mu.Unlock()
		progress(phase, done, total)
	}
	return progress, throttled
}

// fetcher returns the fetch of loc into its clone, reporting progress.
func (s *Syncer) fetcher(ctx context.Context, loc store.Location, auth transport.AuthMethod, report func(phase string, done, total int)) func() (gitfetch.Head, error) {
	return func() (gitfetch.Head, error) {
		return gitfetch.Fetch(ctx, gitfetch.Options{URL: loc.URL, Branch: loc.Branch, Dir: filepath.Join(s.clones, loc.ID), Auth: auth, Shallow: loc.Shallow(),
			Progress: &remoteProgress{report: func(done, total int) { report("fetch", done, total) }}})
	}
}

// save makes res, the catalog at commit, the location's set. how says
// whether commit was made here rather than fetched (Local), and which
// outbox entries to write with the set (Outbox).
func (s *Syncer) save(ctx context.Context, id string, commit string, res catalog.Result, how store.Snapshot, progress func(phase string, done, total int)) error {
	return s.saveTo(ctx, id, commit, res, nil, how, progress)
}

// saveTo is save of a result whose Handed entities gen holds (nil when
// none were stored as they came).
func (s *Syncer) saveTo(ctx context.Context, id string, commit string, res catalog.Result, gen *store.Generation, how store.Snapshot, progress func(phase string, done, total int)) error {
	kept, err := s.keepLastGood(ctx, id, &res)
	if err == nil {
		var refused []catalog.Error
		refused, err = s.derive(ctx, id, res, kept)
		res.Errors = append(res.Errors, refused...)
	}
	if err != nil {
		if gen != nil {
			gen.Cancel(ctx)
		}
		return err
	}
	progress("store", 0, len(res.Entities))
	snap := store.Snapshot{Commit: commit, Entities: res.Entities, Edges: res.Edges, Errors: res.Errors, Kept: kept, Local: how.Local, Outbox: how.Outbox, Roots: how.Roots,
		Files: how.Files}
	replace := s.db.ReplaceLocation
	if gen == nil {
		snap.Uncached = uncached(res.Files, how.Files)
	} else {
		// The file state went to gen as the files came (Options.FileState).
		replace = func(ctx context.Context, id string, snap store.Snapshot, now time.Time) error {
			return s.db.ReplaceLocationWith(ctx, id, gen, snap, now)
		}
	}
	if err := replace(ctx, id, snap, s.now()); err != nil {
		// The cache now knows files the store does not: the next sync
		// starts again from the store's file state.
		s.caches.Delete(id)
		return err
	}
	switch {
	case gen != nil:
		// The cache gave its entries to the store: the next sync reads
		// them from there.
		s.caches.Delete(id)
	case how.Files != nil:
		s.filesSaved(ctx, id)
	}
	progress("done", 1, 1)
	return nil
}

// remoteProgress reads the progress lines a git server sends ("Counting
// objects:  45% (450/1000)") and reports the last count it saw.
type remoteProgress struct {
	report func(done, total int)
	buf    []byte
}

var countRE = regexp.MustCompile(`\((\d+)/(\d+)\)`)

func (p *remoteProgress) Write(b []byte) (int, error) {
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexAny(p.buf, "\r\n")
		if i < 0 {
			break
		}
		if m := countRE.FindSubmatch(p.buf[:i]); m != nil {
			done, _ := strconv.Atoi(string(m[1]))
			total, _ := strconv.Atoi(string(m[2]))
			p.report(done, total)
		}
		p.buf = p.buf[i+1:]
	}
	return len(b), nil
}

// keepLastGood puts back the stored version of every entity of the
// location whose newest version was refused, or whose file cannot be read
// any more, with its relations, as Backstage keeps an entity whose
// processing fails. It returns why each was kept.
func (s *Syncer) keepLastGood(ctx context.Context, id string, res *catalog.Result) (map[string]store.Kept, error) {
	accepted := make(map[string]bool, len(res.Entities))
	for _, p := range res.Entities {
		accepted[p.Entity.Ref().String()] = true
	}
	why := map[string][]catalog.Error{}
	brokenFiles := map[string][]catalog.Error{}
	for _, e := range res.Errors {
		switch {
		case e.Entity != "" && !accepted[e.Entity]:
			why[e.Entity] = append(why[e.Entity], e)
		case e.Entity == "" && e.File != "":
			brokenFiles[e.File] = append(brokenFiles[e.File], e)
		}
	}
	if len(brokenFiles) > 0 {
		err := s.db.Entities(ctx, func(e store.Entity) bool {
			if ref := e.Entity.Ref().String(); e.LocationID == id && !accepted[ref] && brokenFiles[e.Source.File] != nil {
				why[ref] = append(why[ref], brokenFiles[e.Source.File]...)
			}
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	// Edges already in the new set, touching an entity about to be kept:
	// its stored relations include some of them.
	present := map[catalog.Edge]bool{}
	for _, e := range res.Edges {
		if why[e.Source.String()] != nil || why[e.Target.String()] != nil {
			present[e] = true
		}
	}
	add := func(e catalog.Edge) {
		if !present[e] {
			present[e] = true
			res.Edges = append(res.Edges, e)
		}
	}
	loc, _, err := s.db.Location(ctx, id)
	if err != nil {
		return nil, err
	}
	head := loc.HeadCommit // what the stored set was read at
	kept := map[string]store.Kept{}
	for ref, errs := range why {
		stored, ok, err := s.db.Entity(ctx, ref)
		if err != nil {
			return nil, err
		}
		if !ok || stored.LocationID != id {
			continue // new and already broken: nothing to keep
		}
		self := stored.Entity.Ref()
		res.Entities = append(res.Entities, catalog.Processed{Entity: stored.Entity, Source: stored.Source, Remote: stored.Remote})
		for _, dir := range []bool{true, false} {
			rels, err := s.db.Relations(ctx, ref)
			if !dir {
				rels, err = s.db.IncomingRelations(ctx, ref)
			}
			if err != nil {
				return nil, err
			}
			for _, r := range rels {
				other, err := catalog.ParseRef(r.Target, "", "")
				if err != nil {
					continue
				}
				if dir {
					add(catalog.Edge{Source: self, Type: r.Type, Target: other})
				} else {
					add(catalog.Edge{Source: other, Type: r.Type, Target: self})
				}
			}
		}
		kept[ref] = store.Kept{Errors: errs, Commit: cmp.Or(stored.Commit, head)}
	}
	return kept, nil
}

// readCatalog processes the catalog files at head, reusing what the last
// sync of the location read unless fresh. A clone found damaged on the way
// is cloned again once, which may move head.
//
// With stream, when every file is to be read (the file cache is empty),
// the accepted entities go to a new generation of the location as they
// come, which it returns: what processing holds is then a window of
// files, not the catalog.
func (s *Syncer) readCatalog(ctx context.Context, loc store.Location, head gitfetch.Head, fetch func() (gitfetch.Head, error),
	fresh, stream bool, report func(done, known int)) (catalog.Result, gitfetch.Head, *store.Generation, error) {
	clone := filepath.Join(s.clones, loc.ID)
	for attempt := 0; ; attempt++ {
		var prev *gitfetch.TreeFiles
		if t, ok := s.trees.Load(loc.ID); ok && attempt == 0 && !fresh {
			prev = t.(*gitfetch.TreeFiles)
		} else if attempt == 0 && !fresh {
			prev = s.savedTree(loc.ID)
		}
		files, err := head.FilesSince(ctx, prev)
		if errors.Is(err, gitfetch.ErrCorrupt) && attempt == 0 {
			if head, err = s.reclone(ctx, clone, loc, err, fetch); err != nil {
				return catalog.Result{}, head, nil, err
			}
			continue
		}
		if err != nil {
			return catalog.Result{}, head, nil, err
		}
		cache, err := s.fileCache(ctx, loc.ID)
		if err != nil {
			return catalog.Result{}, head, nil, err
		}
		sess := s.remoteSession(loc, head)
		opts := catalog.Options{LocationRef: locationRef(loc.URL, head.Branch), Cache: cache, Progress: report,
			Remote: placeholders{sess}, Targets: targetRouter{s, home(loc, head)}}
		var gen *store.Generation
		var genErr error
		if stream && cache.Len() == 0 {
			if gen, err = s.db.NewGeneration(ctx, loc.ID, s.now()); err != nil {
				return catalog.Result{}, head, nil, err
			}
			opts.Accepted = func(ps []catalog.Processed) {
				if genErr == nil {
					genErr = gen.Add(ctx, ps)
				}
			}
			opts.FileState = func(file string, entry *catalog.CachedFile) {
				if genErr == nil {
					genErr = gen.AddFile(ctx, file, entry)
				}
			}
		}
		res := catalog.Process(ctx, files, opts, loc.Roots()...)
		if err := cmp.Or(ctx.Err(), genErr); err != nil {
			if gen != nil {
				gen.Cancel(ctx)
			}
			return catalog.Result{}, head, nil, err
		}
		reused, processed := cache.Stats()
		s.runs.Store(loc.ID, runStats{processed: processed, reused: reused})
		if !files.Damaged() {
			s.trees.Store(loc.ID, files)
			s.saveTree(loc.ID, files)
			if err := s.noteRemote(ctx, loc.ID, sess); err != nil {
				if gen != nil {
					gen.Cancel(ctx)
				}
				return catalog.Result{}, head, nil, err
			}
			return res, head, gen, nil
		}
		if gen != nil {
			gen.Cancel(ctx)
		}
		if attempt > 0 {
			return catalog.Result{}, head, nil, fmt.Errorf("the clone of %s is still damaged after cloning it again: %w", loc.URL, gitfetch.ErrCorrupt)
		}
		if head, err = s.reclone(ctx, clone, loc, gitfetch.ErrCorrupt, fetch); err != nil {
			return catalog.Result{}, head, nil, err
		}
	}
}

// reclone deletes a damaged clone and fetches the repository again. The
// outbox commits go with the clone, so they are made again from the
// changes the store keeps of them.
func (s *Syncer) reclone(ctx context.Context, dir string, loc store.Location, cause error, fetch func() (gitfetch.Head, error)) (gitfetch.Head, error) {
	s.log.Warn("the local clone is damaged; cloning again", "location", loc.ID, "err", cause)
	s.trees.Delete(loc.ID)
	if err := os.RemoveAll(dir); err != nil {
		return gitfetch.Head{}, fmt.Errorf("remove the damaged clone %s: %w", dir, err)
	}
	head, err := fetch()
	if err != nil {
		return head, err
	}
	return s.recommit(ctx, loc.ID, head)
}

// locationRef writes the managed-by annotations the way Backstage does for
// a repository registered by URL: url:<repository>/blob/<branch>/<file>.
func locationRef(url, branch string) func(string) string {
	base := strings.TrimSuffix(strings.TrimSuffix(url, "/"), ".git") + "/blob/" + branch + "/"
	return func(file string) string { return "url:" + base + file }
}
