package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/remote"
)

// Discovered organisations: an org location (store.Org) has no
// repository of its own. Its sync lists the organisation through its
// forge's API (sync/discover), keeps the listing, and makes each
// repository with catalog files a derived location (SetDerived, filed
// under the repository's forge id) that SyncTree then syncs like any
// other. Teams and members, when imported, are the org location's own
// entities, generated files processed as a plugin's are.

// orgEntity is the ref the org location's derived locations are listed
// by (store.Parent.Entity): the org itself stands for the Location
// entity a root location would have.
func orgEntity(src discover.Source) string { return "org:" + src.URL() }

// orgHasNoRepo is the refusal of a file, history, write or docs call on
// an org location: it has no clone; its repositories are the derived
// locations it lists, named so the caller knows where to ask instead.
func orgHasNoRepo(loc store.Location) error {
	msg := fmt.Sprintf("location %s is a discovered organisation: an organisation has no repository of its own to read, write or show the history of", loc.ID)
	const named = 5
	switch n := len(loc.Listing); {
	case n == 1:
		msg += fmt.Sprintf("; use location %s, its repository, instead", loc.Listing[0])
	case n > named:
		msg += fmt.Sprintf("; use one of its repositories' locations: %s and %d more", strings.Join(loc.Listing[:named], ", "), n-named)
	case n > 1:
		msg += "; use one of its repositories' locations: " + strings.Join(loc.Listing, ", ")
	}
	return fmt.Errorf("%w: %s", ErrRefused, msg)
}

// syncOrg syncs an org location. A listing that fails (offline, a rate
// limit outlasting the sync, a refused token) fails the sync and keeps
// everything discovered before, stale, as a failed fetch keeps a
// location's entities; its derived locations are still synced.
func (s *Syncer) syncOrg(ctx context.Context, loc store.Location) (string, error) {
	progress, throttled := s.reporters(ctx, loc)
	progress("discover", 0, 0)
	if err := s.db.CheckSpace(); err != nil {
		return "", err
	}
	var src discover.Source
	if err := json.Unmarshal(loc.Org.Source, &src); err != nil {
		return "", fmt.Errorf("read what organisation location %s discovers: %w", loc.ID, err)
	}
	kept, _, err := s.db.OrgListing(ctx, loc.ID)
	if err != nil {
		return "", err
	}
	// The listing's requests move the bar; a first listing's count is
	// not known beforehand, a later one's is about the last one's.
	var requests atomic.Int64
	expect := loc.Org.Requests
	forge, err := discover.New(src, discover.Options{Token: s.orgToken, Limits: s.orgLimits, Logger: s.log, Clock: s.orgClock,
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n := int(requests.Add(1))
			throttled("discover", n, max(expect, n))
			return s.orgTransport.RoundTrip(r)
		})})
	if err != nil {
		return "", err
	}
	var prev *discover.State
	if len(kept.State) > 0 {
		var st discover.State
		if err := json.Unmarshal(kept.State, &st); err != nil {
			s.log.Warn("the kept listing cannot be read; listing in full", "location", loc.ID, "err", err)
		} else {
			prev = &st
		}
	}
	listing, state, err := forge.List(ctx, prev)
	if err != nil {
		return "", fmt.Errorf("list the repositories of %s: %w", src.URL(), err)
	}
	progress("discover", int(requests.Load()), int(requests.Load()))
	viewer := s.orgViewer(ctx, loc.ID, forge, kept.Viewer)
	if err := s.keepListing(ctx, loc.ID, src, listing, state, viewer); err != nil {
		return "", err
	}
	if err := s.deriveOrg(ctx, loc.ID, src, listing); err != nil {
		return "", err
	}
	files, err := s.orgFiles(ctx, loc, src, forge, viewer)
	if err != nil {
		return "", err
	}
	commit := pseudoCommit(files)
	if commit == loc.HeadCommit && loc.LastError == "" {
		progress("done", 1, 1)
		return commit, s.db.MarkSynced(ctx, loc.ID, s.now())
	}
	progress("process", 0, len(files))
	res := processOrg(ctx, src, files, func(done, known int) { throttled("process", done, known) })
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return commit, s.save(ctx, loc.ID, commit, res, store.Snapshot{}, progress)
}

// keepListing stores the listing, the state the next one starts from,
// and the summary the Locations page shows.
func (s *Syncer) keepListing(ctx context.Context, id string, src discover.Source, l discover.Listing, st discover.State, viewer json.RawMessage) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode the listing of %s: %w", src.URL(), err)
	}
	now := s.now()
	out := store.OrgListing{State: raw, Viewer: viewer, Repos: make([]store.OrgRepo, 0, len(l.Repos))}
	catalogued := 0
	for _, r := range l.Repos {
		o := store.OrgRepo{ID: repoID(src, r), FullName: r.FullName, URL: r.CloneURL, WebURL: r.WebURL, Branch: r.Branch,
			Skipped: string(r.Skipped), Archived: r.Archived, Fork: r.Fork, Visibility: r.Visibility, LastSeen: now}
		for _, f := range r.Files {
			o.Files = append(o.Files, f.Path)
		}
		if len(o.Files) > 0 {
			catalogued++
		}
		out.Repos = append(out.Repos, o)
	}
	sum := store.Org{ListedAt: now, Repos: len(l.Repos), Catalogued: catalogued, Requests: l.Requests,
		RateLimit: l.Budget.Limit, RateRemaining: l.Budget.Remaining, RateResetAt: l.Budget.ResetAt}
	return s.db.PutOrgListing(ctx, id, out, sum)
}

// repoID files a repository under its host and forge id: ids are only
// unique within a forge.
func repoID(src discover.Source, r discover.Repo) string { return src.Host + "/" + r.ID }

// deriveOrg makes the catalogued repositories of l the org location's
// derived locations; those no longer catalogued (archived, deleted, their
// catalog file removed, filtered out) go with their entities.
func (s *Syncer) deriveOrg(ctx context.Context, id string, src discover.Source, l discover.Listing) error {
	var targets []store.DerivedTarget
	repos := map[string]remote.Target{}
	names := map[string]string{}
	for _, r := range l.Catalogued() {
		t, err := remote.Parse(r.CloneURL)
		if err != nil {
			s.log.Warn("a listed repository's clone URL cannot be read", "location", id, "url", r.CloneURL, "err", err)
			continue
		}
		repos[r.CloneURL], names[r.CloneURL] = t, r.FullName
		d := store.DerivedTarget{URL: r.CloneURL, Branch: src.Filters.Branch, RepoID: repoID(src, r), Entity: orgEntity(src), Target: r.WebURL}
		for _, f := range r.Files {
			d.Roots = append(d.Roots, f.Path)
		}
		targets = append(targets, d)
	}
	change, err := s.db.SetDerived(ctx, id, targets, nil, store.DerivedRules{
		Holds: func(l store.Location, url, branch string) bool {
			return repos[url].SameRepo(l.URL) && (l.Branch == branch || l.Branch == "" && branch == s.defaultBranch(l))
		},
		// Named after the repository as the forge names it: a clone URL on a
		// host remote does not know tells no name.
		NewID: func(url string, taken map[string]bool) string {
			return derivedID(remote.Target{Repo: names[url]}, taken)
		},
	})
	if err != nil {
		return err
	}
	for _, added := range change.Added {
		s.log.Info("derived location added", "location", added, "parent", id)
	}
	s.forget(ctx, change.Removed, "")
	return nil
}

// orgViewer is the token's own user, asked once and kept with the
// listing; it becomes the user's identity in Settings when none is set.
// A token that cannot tell (none, or a refused one) is no failure: the
// listing of a public organisation needs none.
func (s *Syncer) orgViewer(ctx context.Context, id string, forge discover.Forge, kept json.RawMessage) json.RawMessage {
	var p discover.Person
	if len(kept) == 0 || json.Unmarshal(kept, &p) != nil || p.Login == "" {
		var err error
		if p, err = forge.Viewer(ctx); err != nil {
			s.log.Info("the token's own user is not known", "location", id, "err", err)
			return nil
		}
		if kept, err = json.Marshal(p); err != nil {
			return nil
		}
	}
	ref := "user:default/" + p.EntityName()
	err := s.db.UpdateSettings(ctx, func(st *store.Settings) error {
		if st.UserRef == "" {
			st.UserRef = ref
			s.log.Info("identity taken from the token", "location", id, "user", ref)
		}
		return nil
	})
	if err != nil {
		s.log.Warn("record the token's user as the user's identity", "location", id, "err", err)
	}
	return kept
}

// orgFiles are the org location's own catalog files: its teams and
// members when imported, and the token's own user unless another
// location holds that User entity, each entity a file.
func (s *Syncer) orgFiles(ctx context.Context, loc store.Location, src discover.Source, forge discover.Forge, viewer json.RawMessage) (map[string][]byte, error) {
	org := discover.Org{Source: src}
	if loc.Org.Teams {
		var err error
		if org, err = forge.Org(ctx); err != nil {
			return nil, fmt.Errorf("read the teams and members of %s: %w", src.URL(), err)
		}
	}
	var p discover.Person
	if json.Unmarshal(viewer, &p) == nil && p.Login != "" && !slices.ContainsFunc(org.People, func(q discover.Person) bool { return q.Login == p.Login }) {
		held, ok, err := s.db.Entity(ctx, "user:default/"+p.EntityName())
		if err != nil {
			return nil, err
		}
		if !ok || held.LocationID == loc.ID {
			org.People = append(org.People, p)
		}
	}
	files := map[string][]byte{}
	for _, e := range org.Entities() {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("encode %s %s: %w", e.Kind, e.Metadata.Name, err)
		}
		files[orgFile(e)] = b
	}
	return files, nil
}

// orgFile names the generated file of an org entity: kinds apart, so a
// team and a person of one name are two files.
func orgFile(e discover.Entity) string {
	kind := "users"
	if e.Kind == "Group" {
		kind = "groups"
	}
	return kind + "/" + e.Metadata.Name + ".yaml"
}

// processOrg processes the org location's generated files, each a root;
// their entities are managed by the organisation's URL.
func processOrg(ctx context.Context, src discover.Source, files map[string][]byte, report func(done, known int)) catalog.Result {
	mf := make(catalog.MapFiles, len(files))
	for name, data := range files {
		mf[name] = string(data)
	}
	opts := catalog.Options{LocationRef: func(string) string { return "url:" + src.URL() }, Progress: report}
	return catalog.Process(ctx, mf, opts, slices.Sorted(maps.Keys(mf))...)
}

// roundTripFunc is an http.RoundTripper of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
