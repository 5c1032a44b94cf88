package portal

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
	"github.com/callboard/callboard/sync/syncer"
	"github.com/callboard/callboard/sync/urlfetch"
)

// TemplateFetch is a step of a template that fetches by URL from outside
// the template's repository and the repositories Callboard syncs: a run
// needs the network for it unless a copy is kept.
type TemplateFetch struct {
	Step string `json:"step"`
	URL  string `json:"url"`
	// Cached says a copy is kept, so the step runs offline (from that
	// copy, when the server cannot be asked); ReadAt (RFC 3339) is when it
	// was last read.
	Cached bool   `json:"cached"`
	ReadAt string `json:"readAt,omitempty"`
}

// NewFetcher returns what fetches folders and files templates name by URL,
// keeping copies under dataDir/cache/fetched. allowed says which hosts it
// may read from: the syncer's RemoteAllowed, so templates read from the
// hosts placeholders are read from.
func NewFetcher(dataDir string, creds gitfetch.Credentials, allowed func(ctx context.Context, host string) (bool, error), log *slog.Logger) *urlfetch.Fetcher {
	return urlfetch.New(urlfetch.Options{Dir: filepath.Join(dataDir, "cache", "fetched"), Credentials: creds, Allowed: allowed,
		AllowHint: syncer.AllowHint, Log: log.With("component", "urlfetch")})
}

// urlFetcher fetches what templates name by URL and tells whether a copy
// is kept; *urlfetch.Fetcher is the one in use.
type urlFetcher interface {
	Folder(ctx context.Context, url string) (urlfetch.Result, error)
	File(ctx context.Context, url string) (urlfetch.Result, error)
	Kept(ctx context.Context, url string, folder bool) (time.Time, bool, error)
}

// cloneDirs says where a location's clone is.
type cloneDirs interface {
	Clone(locationID string) string
}

// templateSource is where the template entity e was read from: its
// location's files at the commit the catalog shows, and which repository
// that is.
func (s *templateRuns) templateSource(ctx context.Context, e store.Entity) (scaffold.Source, error) {
	loc, ok, err := s.db.Location(ctx, e.LocationID)
	if err != nil {
		return scaffold.Source{}, err
	}
	if ok && loc.Backstage != nil {
		return s.backstageTemplateSource(ctx, e, loc)
	}
	files, commit, err := s.files.Files(ctx, e.LocationID)
	if err != nil {
		return scaffold.Source{}, err
	}
	src := scaffold.Source{Files: files, File: e.Source.File}
	if ok {
		src.Home = s.home(loc)
		src.Home.Commit = commit
	}
	return src, nil
}

// home is the repository of loc at its branch, as its clone last fetched
// it; a location never synced, or without a clone, has no branch.
func (s *templateRuns) home(loc store.Location) remote.Home {
	h := remote.Home{URL: loc.URL, Branch: loc.Branch, Commit: loc.HeadCommit, DefaultBranch: loc.Branch == ""}
	if head, err := gitfetch.Open(s.clones.Clone(loc.ID), loc.Branch); err == nil {
		h.Branch = head.Branch
	}
	return h
}

// syncedLocation finds the location whose repository and branch t points
// into, and the folder or file there.
func (s *templateRuns) syncedLocation(ctx context.Context, t remote.Target) (store.Location, string, bool, error) {
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return store.Location{}, "", false, err
	}
	for _, l := range locs {
		if l.HeadCommit == "" {
			continue
		}
		if p, ok := t.Within(s.home(l)); ok {
			return l, p, true, nil
		}
	}
	return store.Location{}, "", false, nil
}

// fetchByURL reads what a template's fetch URL names: from the clone of a
// location on that repository and branch, with no network, else through
// the fetcher (fetched, or its kept copy).
func (s *templateRuns) fetchByURL(ctx context.Context, url string, folder bool) (scaffold.Fetched, error) {
	t, err := remote.Parse(url)
	if err != nil {
		return scaffold.Fetched{}, err
	}
	loc, p, ok, err := s.syncedLocation(ctx, t)
	if err != nil {
		return scaffold.Fetched{}, err
	}
	if ok {
		files, commit, err := s.files.Files(ctx, loc.ID)
		if err != nil {
			return scaffold.Fetched{}, err
		}
		return scaffold.Fetched{Files: files, Path: p, Location: gitfetch.Redact(loc.URL), Commit: commit}, nil
	}
	if s.fetches == nil {
		return scaffold.Fetched{}, fmt.Errorf("this Callboard fetches nothing by URL: add the repository as a location")
	}
	fetch := s.fetches.File
	if folder {
		fetch = s.fetches.Folder
	}
	r, err := fetch(ctx, url)
	if err != nil {
		return scaffold.Fetched{}, err
	}
	return scaffold.Fetched{Files: r.Files, Path: r.Path, Commit: r.Commit, ReadAt: r.ReadAt, Stale: r.Stale}, nil
}

// templateFetches lists t's fetches by URL that need the network unless a
// copy is kept: not into its own repository, nor into one Callboard syncs.
func (s *templateRuns) templateFetches(ctx context.Context, t scaffold.Template) []TemplateFetch {
	out := []TemplateFetch{}
	for _, f := range t.URLFetches() {
		if f.InRepo {
			continue
		}
		if target, err := remote.Parse(f.URL); err == nil {
			if _, _, synced, err := s.syncedLocation(ctx, target); err == nil && synced {
				continue
			}
		}
		tf := TemplateFetch{Step: f.Step, URL: f.URL}
		if s.fetches != nil {
			at, ok, err := s.fetches.Kept(ctx, f.URL, f.Folder)
			if err != nil {
				s.log.Warn("tell whether a template's fetch is kept", "url", f.URL, "err", err)
			}
			if ok {
				tf.Cached, tf.ReadAt = true, at.UTC().Format(time.RFC3339)
			}
		}
		out = append(out, tf)
	}
	return out
}

func (h scaffoldHost) Folder(ctx context.Context, url string) (scaffold.Fetched, error) {
	return h.s.fetchByURL(ctx, url, true)
}

func (h scaffoldHost) File(ctx context.Context, url string) (scaffold.Fetched, error) {
	return h.s.fetchByURL(ctx, url, false)
}
