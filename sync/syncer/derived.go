package syncer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// Derived locations: a Location target naming a file of another
// repository makes that repository a location of its own (store.Links),
// synced like any other. The syncer routes targets while it processes a
// location, records what it lists when it saves the result, and syncs
// the derived locations after their parents (SyncTree).

// derivedWorkers is how many derived locations SyncTree syncs at once:
// their syncs mostly wait on servers.
const derivedWorkers = 8

// home is the repository loc's files come from at head: a URL into it is
// read from the clone.
func home(loc store.Location, head gitfetch.Head) remote.Home {
	return remote.Home{URL: loc.URL, Branch: head.Branch, Commit: head.Commit.String(), DefaultBranch: loc.Branch == ""}
}

// targetRouter routes the URL targets of one processing of a location:
// into its own repository at the branch processed, into another
// repository (a derived location), or else to a file read like a
// placeholder.
type targetRouter struct {
	s    *Syncer
	home remote.Home
}

func (r targetRouter) RouteTarget(ctx context.Context, url string) (catalog.Route, error) {
	t, err := remote.Parse(url)
	if err != nil {
		return catalog.Route{}, err
	}
	if p, ok := t.In(r.home); ok {
		return catalog.Route{Path: p}, nil
	}
	if _, err := t.CloneURL(); err != nil {
		// A plain URL, or a project named by id: no repository to sync,
		// so the file is read like a placeholder.
		return catalog.Route{}, nil
	}
	if !t.File() {
		return catalog.Route{}, fmt.Errorf("%w: point at a catalog file", remote.ErrNoFile)
	}
	ok, err := r.s.RemoteAllowed(ctx, t.Host)
	if err != nil {
		return catalog.Route{}, err
	}
	if !ok {
		return catalog.Route{}, fmt.Errorf("%s is not a host Callboard reads from: %s", t.Host, AllowHint)
	}
	return catalog.Route{External: true}, nil
}

// derive records the repositories res's Location entities list as
// location id's derived locations, and returns the targets refused
// because they would loop. Location entities in kept (refused now, kept
// at their last good version) keep what they listed.
func (s *Syncer) derive(ctx context.Context, id string, res catalog.Result, kept map[string]store.Kept) ([]catalog.Error, error) {
	loc, ok, err := s.db.Location(ctx, id)
	// An org location's repositories come from its listing (deriveOrg),
	// not from Location entities.
	if err != nil || !ok || loc.Org != nil || loc.Backstage != nil || len(res.External) == 0 && len(loc.Listing) == 0 && len(loc.Refused) == 0 {
		return nil, err
	}
	targets, repos := derivedTargets(res.External)
	var keep []string
	for ref := range kept {
		if strings.HasPrefix(ref, "location:") {
			keep = append(keep, ref)
		}
	}
	change, err := s.db.SetDerived(ctx, id, targets, keep, store.DerivedRules{
		Holds: func(l store.Location, url, branch string) bool {
			return repos[url].SameRepo(l.URL) && (l.Branch == branch || l.Branch == "" && branch == s.defaultBranch(l))
		},
		NewID: func(url string, taken map[string]bool) string { return derivedID(repos[url], taken) },
	})
	if err != nil {
		return nil, err
	}
	for _, added := range change.Added {
		s.log.Info("derived location added", "location", added, "parent", id)
	}
	s.forget(ctx, change.Removed, "")
	return change.Refused, nil
}

// derivedTargets groups external targets by Location entity, repository
// and branch, and maps each clone URL to its parsed target.
func derivedTargets(external []catalog.ExternalTarget) ([]store.DerivedTarget, map[string]remote.Target) {
	var out []store.DerivedTarget
	repos := map[string]remote.Target{}
	for _, x := range external {
		t, err := remote.Parse(x.URL)
		if err != nil {
			continue // the router refused it already
		}
		clone, err := t.CloneURL()
		if err != nil {
			continue
		}
		repos[clone] = t
		branch := t.RefName()
		i := slices.IndexFunc(out, func(d store.DerivedTarget) bool {
			return d.Entity == x.Location && d.URL == clone && d.Branch == branch
		})
		if i < 0 {
			out = append(out, store.DerivedTarget{URL: clone, Branch: branch, Entity: x.Location, Target: x.URL, At: x.At})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].Roots, t.Path) {
			out[i].Roots = append(out[i].Roots, t.Path)
		}
	}
	return out, repos
}

// defaultBranch is the branch l's clone follows when l names none, or ""
// when it has not been cloned.
func (s *Syncer) defaultBranch(l store.Location) string {
	head, err := gitfetch.Open(filepath.Join(s.clones, l.ID), "")
	if err != nil {
		return ""
	}
	return head.Branch
}

// derivedID names a derived location after its repository's name, as a
// location added by hand is named.
func derivedID(t remote.Target, taken map[string]bool) string {
	name := t.Repo[strings.LastIndex(t.Repo, "/")+1:]
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	base := strings.Trim(b.String(), "-")
	if base == "" {
		base = "location"
	}
	id := base
	for n := 2; taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return id
}

// forget deletes what the syncer keeps of removed locations: clones,
// caches, the remote files they used. held is one whose lock the caller
// holds; a location syncing now keeps its clone until the next start
// (sweepClones).
func (s *Syncer) forget(ctx context.Context, removed []string, held string) {
	for _, id := range removed {
		s.log.Info("derived location removed: no location lists it any more", "location", id)
		s.emit.Emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: id})
		unlock := func() {}
		if id != held {
			mu, _ := s.inFlight.LoadOrStore(id, &sync.Mutex{})
			if !mu.(*sync.Mutex).TryLock() {
				continue
			}
			unlock = mu.(*sync.Mutex).Unlock
		}
		if err := s.Forget(ctx, id); err != nil {
			s.log.Warn("forget a removed location", "location", id, "err", err)
		}
		unlock()
	}
}

// dropIfUnlisted removes loc, derived and listed by no location any more
// (it was kept while commits waited in its outbox), and reports whether
// it did. The caller holds loc's lock.
func (s *Syncer) dropIfUnlisted(ctx context.Context, loc store.Location) (bool, error) {
	if !loc.Derived || len(loc.Parents) > 0 {
		return false, nil
	}
	removed, err := s.db.PruneDerived(ctx)
	if err != nil {
		return false, err
	}
	s.forget(ctx, removed, loc.ID)
	return slices.Contains(removed, loc.ID), nil
}

// SyncTree syncs the locations ids one after another, then the locations
// they list and those these list, a level at a time, derivedWorkers at
// once, each once. Each sync records its result on its location; the
// error joins those of ids. A host that did not answer is not asked again
// in the same run: its other locations are marked failed at once, as a
// root Location's two hundred repositories on one unreachable forge
// should not take two hundred timeouts.
func (s *Syncer) SyncTree(ctx context.Context, ids ...string) error {
	t := &treeSync{s: s, down: map[string]error{}}
	var errs []error
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
		if err := t.sync(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	for level := ids; len(level) > 0 && ctx.Err() == nil; {
		locs, err := s.db.Locations(ctx)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		var next, try []string
		skip := map[string][]string{} // by host that did not answer
		for _, l := range locs {
			if seen[l.ID] || !slices.ContainsFunc(l.ListedBy(), func(p string) bool { return slices.Contains(level, p) }) {
				continue
			}
			seen[l.ID] = true
			next = append(next, l.ID)
			if host, _ := gitfetch.Host(l.URL); t.isDown(host) != nil {
				skip[host] = append(skip[host], l.ID)
			} else {
				try = append(try, l.ID)
			}
		}
		for host, ids := range skip {
			s.notTried(ctx, ids, t.notAsked(host))
		}
		t.syncAll(ctx, try)
		level = next
	}
	return errors.Join(errs...)
}

// treeSync is one SyncTree run: the hosts that did not answer in it.
type treeSync struct {
	s    *Syncer
	mu   sync.Mutex
	down map[string]error
}

// sync syncs location id, or marks it failed without asking its host when
// the host did not answer earlier in the run.
func (t *treeSync) sync(ctx context.Context, id string) error {
	loc, ok, err := t.s.db.Location(ctx, id)
	if err != nil || !ok {
		return t.s.Sync(ctx, id) // which says why
	}
	host, _ := gitfetch.Host(loc.URL)
	if t.isDown(host) != nil {
		return t.s.notTried(ctx, []string{id}, t.notAsked(host))
	}
	err = t.s.Sync(ctx, id)
	if noAnswer(err) && host != "" {
		t.mu.Lock()
		t.down[host] = err
		t.mu.Unlock()
	}
	return err
}

// isDown is why host did not answer earlier in the run, or nil.
func (t *treeSync) isDown(host string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.down[host]
}

func (t *treeSync) notAsked(host string) error {
	return fmt.Errorf("%s did not answer earlier in this sync, so it was not asked again: %w", host, t.isDown(host))
}

// syncAll syncs ids, derivedWorkers at once; each records its own result.
func (t *treeSync) syncAll(ctx context.Context, ids []string) {
	work := make(chan string)
	var wg sync.WaitGroup
	for range min(derivedWorkers, len(ids)) {
		wg.Go(func() {
			for id := range work {
				_ = t.sync(ctx, id) // the failure is on the location
			}
		})
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
}

// noAnswer says whether a sync failed because its host could not be
// reached at all (no connection, no name), rather than for anything the
// host said.
func noAnswer(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}

// notTried records syncs of locations ids that were not attempted, as
// failed ones: their entities stay, marked stale. A location syncing now
// (the scheduler's) is left to that sync.
func (s *Syncer) notTried(ctx context.Context, ids []string, cause error) error {
	var held []string
	var unlocks []func()
	defer func() {
		for _, unlock := range unlocks {
			unlock()
		}
	}()
	for _, id := range ids {
		mu, _ := s.inFlight.LoadOrStore(id, &sync.Mutex{})
		if mu.(*sync.Mutex).TryLock() {
			unlocks = append(unlocks, mu.(*sync.Mutex).Unlock)
			held = append(held, id)
		}
	}
	if err := s.db.MarkAllFailed(ctx, held, cause, s.now()); err != nil {
		return fmt.Errorf("sync locations %s: %w (and recording the failure: %v)", strings.Join(ids, ", "), cause, err)
	}
	for _, id := range held {
		s.emit.Emit(ctx, events.SyncError, events.SyncResultData{LocationID: id, Error: cause.Error()})
	}
	return fmt.Errorf("sync locations %s: %w", strings.Join(ids, ", "), cause)
}

// sweepClones deletes the clones of locations that are gone: a derived
// location removed while it synced keeps its clone until then.
func (s *Syncer) sweepClones(ctx context.Context) error {
	entries, err := os.ReadDir(s.clones)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list clones: %w", err)
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() || slices.ContainsFunc(locs, func(l store.Location) bool { return l.ID == e.Name() }) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(s.clones, e.Name())); err != nil {
			return fmt.Errorf("remove the clone of a removed location: %w", err)
		}
		s.log.Info("clone of a removed location deleted", "location", e.Name())
	}
	return nil
}

var _ catalog.TargetRouter = targetRouter{}
