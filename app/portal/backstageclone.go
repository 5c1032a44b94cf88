package portal

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"sync"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// sourceClones finds the clone of the repository a Backstage's entity
// comes from: a location the user has on it, else a hidden source clone
// (store.Location.SourceOf) made on first need. A source clone is a
// location without roots, so its entities, which the Backstage already
// gave, do not enter the catalog twice; it is cloned shallow, with the
// token of its host only (it makes no host trusted), and its outbox
// pushes an edit at its sync by the host's rule, as any location's.
type sourceClones struct {
	db     *store.DB
	syncer Syncer
	// home is where location l's clone is (templateRuns.home).
	home func(l store.Location) remote.Home
	// mu makes one clone of a repository however many ask at once.
	mu  sync.Mutex
	log *slog.Logger
}

// commitRef matches a ref that names a commit, not a branch to follow.
var commitRef = regexp.MustCompile(`^[0-9a-f]{7,40}$`)

// clone returns the location holding the file or folder t names, and its
// path there: the user's own location on that repository and branch when
// there is one, else a source clone for Backstage location bs, cloned
// now when none is. A clone that cannot be made (offline, refused) is
// not left behind; the error says why, wrapping ErrConflict (it may
// succeed once the repository can be reached).
func (c *sourceClones) clone(ctx context.Context, bs store.Location, t remote.Target) (store.Location, string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, p, ok, err := c.find(ctx, t); err != nil || ok {
		return l, p, err
	}
	url, err := t.CloneURL()
	if err != nil {
		return store.Location{}, "", fmt.Errorf("%s names no repository Callboard can clone: %v: %w", t.URL, err, ErrConflict)
	}
	if err := gitfetch.CheckURL(url); err != nil {
		return store.Location{}, "", fmt.Errorf("%w: %w", err, ErrInvalid)
	}
	if err := c.allowed(ctx, t.Host, url); err != nil {
		return store.Location{}, "", err
	}
	locs, err := c.db.Locations(ctx)
	if err != nil {
		return store.Location{}, "", err
	}
	taken := map[string]bool{DemoLocationID: true}
	var loc store.Location
	for _, l := range locs {
		taken[l.ID] = true
		if l.SourceOf != "" && l.URL == url && l.Branch == sourceBranch(t) {
			loc = l // made before, never fetched: fetched again below
		}
	}
	if loc.ID == "" {
		loc = store.Location{URL: url, Branch: sourceBranch(t), SourceOf: bs.ID}
		loc.ID = locationID(url, taken) + "-source"
		for n := 2; taken[loc.ID]; n++ {
			loc.ID = fmt.Sprintf("%s-source-%d", locationID(url, taken), n)
		}
		if err := c.db.PutLocation(ctx, loc); err != nil {
			return store.Location{}, "", err
		}
		c.log.Info("Backstage source clone added", "location", loc.ID, "backstage", bs.ID, "url", url)
	}
	if err := c.syncer.Sync(ctx, loc.ID); err != nil {
		c.log.Warn("clone a Backstage entity's source repository", "location", loc.ID, "err", err)
	}
	got, ok, err := c.db.Location(ctx, loc.ID)
	if err != nil {
		return store.Location{}, "", err
	}
	if !ok || got.HeadCommit == "" {
		why := got.LastError
		if err := c.db.RemoveLocation(context.WithoutCancel(ctx), loc.ID); err != nil {
			c.log.Warn("remove a source clone that could not be made", "location", loc.ID, "err", err)
		} else if err := c.syncer.Forget(context.WithoutCancel(ctx), loc.ID); err != nil {
			c.log.Warn("delete the folder of a source clone that could not be made", "location", loc.ID, "err", err)
		}
		return store.Location{}, "", fmt.Errorf("clone %s, the source repository of entities of the Backstage at %s: %s: %w",
			url, bs.Backstage.BaseURL, why, ErrConflict)
	}
	p, ok := t.Within(c.home(got))
	if !ok {
		return store.Location{}, "", fmt.Errorf("%s is not in the clone of %s: %w", t.URL, url, ErrNotFound)
	}
	return got, p, nil
}

// find is the fetched location holding what t names, the user's own
// before a source clone.
func (c *sourceClones) find(ctx context.Context, t remote.Target) (store.Location, string, bool, error) {
	locs, err := c.db.Locations(ctx)
	if err != nil {
		return store.Location{}, "", false, err
	}
	var src store.Location
	var srcPath string
	for _, l := range locs {
		if l.HeadCommit == "" || l.Backstage != nil {
			continue
		}
		p, ok := t.Within(c.home(l))
		switch {
		case !ok:
		case l.SourceOf == "":
			return l, p, true, nil
		case src.ID == "":
			src, srcPath = l, p
		}
	}
	return src, srcPath, src.ID != "", nil
}

// sourceBranch is the branch a source clone of t follows: the one t
// names, "" (the default) when it names a commit.
func sourceBranch(t remote.Target) string {
	if commitRef.MatchString(t.Ref) {
		return ""
	}
	return t.Ref
}

// entitySource is the location and file a Backstage's entity e is
// edited in and has its history read from: its managed-by-location file
// in its source repository, cloned when needed. bs is e's location.
func (c *sourceClones) entitySource(ctx context.Context, bs store.Location, e store.Entity) (store.Location, string, error) {
	ref := e.Entity.Ref()
	raw, folder := sourceURL(e.Entity)
	if raw == "" || folder {
		return store.Location{}, "", fmt.Errorf("%s is read from the Backstage at %s, which names no file it came from (%s is %q): "+
			"edit it where that Backstage reads it; edits never go to the Backstage API: %w",
			ref, bs.Backstage.BaseURL, catalog.AnnotationLocation, e.Entity.Metadata.Annotations[catalog.AnnotationLocation], ErrConflict)
	}
	t, err := remote.Parse(raw)
	if err != nil {
		return store.Location{}, "", fmt.Errorf("%s comes from %s, which names no repository Callboard can write to: %v: %w", ref, raw, err, ErrConflict)
	}
	return c.clone(ctx, bs, t)
}

// historySource is the location and file e's history is read from: its
// own for an entity of a repository, its source clone's for one a
// Backstage gave.
func (c *catalogView) historySource(ctx context.Context, e store.Entity) (string, string, error) {
	loc, ok, err := c.db.Location(ctx, e.LocationID)
	if err != nil || !ok || loc.Backstage == nil || c.sources == nil {
		return e.LocationID, e.Source.File, err
	}
	src, file, err := c.sources.entitySource(ctx, loc, e)
	if err != nil {
		return "", "", err
	}
	return src.ID, file, nil
}

// cloneSource makes sure the repository raw names, a Backstage's entity
// e's source, is cloned when e names its file there: its docs are then
// read from the clone. A folder (source-location) is fetched as
// templates' are.
func (s *docsSites) cloneSource(ctx context.Context, e store.Entity, raw string) error {
	if s.sources == nil {
		return nil
	}
	if _, folder := sourceURL(e.Entity); folder {
		return nil
	}
	loc, ok, err := s.db.Location(ctx, e.LocationID)
	if err != nil || !ok || loc.Backstage == nil {
		return err
	}
	t, err := remote.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", raw, err)
	}
	_, _, err = s.sources.clone(ctx, loc, t)
	return err
}

// sourcesOf are the source clones made for Backstage location id, to be
// removed with it; a clone whose edits have not reached its repository
// refuses the removal (ErrConflict), naming it.
func (s *locations) sourcesOf(ctx context.Context, id string) ([]string, error) {
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range locs {
		if l.SourceOf != id {
			continue
		}
		entries, err := s.db.Outbox(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		if len(entries) > 0 {
			return nil, fmt.Errorf("location %q holds %d edit(s) of its entities not yet in %s (source clone %q): sync once it is reachable, or settle the conflicts, then remove it: %w",
				id, len(entries), l.URL, l.ID, ErrConflict)
		}
		out = append(out, l.ID)
	}
	return out, nil
}

// sourcePending says whether an edit of e, an entity a Backstage gave,
// waits in the outbox of its source clone (unpushed: files with unpushed
// edits by location). Only source clones are asked: finding a location
// of the user's on the repository would open every clone.
func (c *catalogView) sourcePending(ctx context.Context, e store.Entity, unpushed map[string]map[string]bool) (bool, error) {
	raw, folder := sourceURL(e.Entity)
	if raw == "" || folder || c.sources == nil {
		return false, nil
	}
	t, err := remote.Parse(raw)
	if err != nil {
		return false, nil
	}
	url, err := t.CloneURL()
	if err != nil {
		return false, nil
	}
	locs, err := c.sources.db.Locations(ctx)
	if err != nil {
		return false, err
	}
	for _, l := range locs {
		if l.SourceOf == e.LocationID && l.URL == url && l.Branch == sourceBranch(t) && unpushed[l.ID][t.Path] {
			return true, nil
		}
	}
	return false, nil
}

// allowed refuses to clone from a host the user does not read from (a
// Backstage names any URL it likes): a location's host, a trusted git
// host or a remote read host, as files read by URL are allowed
// (syncer.RemoteAllowed).
func (c *sourceClones) allowed(ctx context.Context, host, url string) error {
	ok, err := Trust{c.db}.TrustsHost(ctx, host)
	if err != nil || ok {
		return err
	}
	st, err := c.db.Settings(ctx)
	if err != nil {
		return err
	}
	if slices.Contains(st.RemoteReadHosts, host) {
		return nil
	}
	return fmt.Errorf("clone %s: %s is not a host you read from: add it under Remote read hosts in Settings (or add a location on it): %w", url, host, ErrConflict)
}
