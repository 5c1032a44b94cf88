package syncer

import (
	"context"
	"slices"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// AllowHint says how to let Callboard read from a host it refused.
const AllowHint = "add it under Remote read hosts in Settings (or register a location on it) to let Callboard read files from it"

// SetRemote replaces the options of the reader of files placeholders name
// by URL; fields left zero get the syncer's own: its git credentials, the
// hosts the user allows, the store as cache. Call it before any sync
// (tests give a transport that trusts their server).
func (s *Syncer) SetRemote(o remote.Options) { s.remote = remote.New(s.remoteOptions(o)) }

func (s *Syncer) remoteOptions(o remote.Options) remote.Options {
	if o.Token == nil {
		o.Token = remote.GitTokens(s.creds)
	}
	if o.Refused == nil {
		o.Refused = remote.GitRefused(s.creds)
	}
	if o.Allowed == nil {
		o.Allowed = s.RemoteAllowed
	}
	if o.AllowHint == "" {
		o.AllowHint = AllowHint
	}
	if o.Cache == nil {
		o.Cache = storeCache{s.db}
	}
	if o.Log == nil {
		o.Log = s.log
	}
	return o
}

// RemoteAllowed lets files be read from the hosts the user works with:
// those of locations and trusted git hosts (gitfetch.Credentials.Trusted),
// and those listed under Remote read hosts in Settings, as Backstage's
// backend.reading.allow.
func (s *Syncer) RemoteAllowed(ctx context.Context, host string) (bool, error) {
	if s.creds.Trusted != nil {
		if ok, err := s.creds.Trusted(ctx, host); err != nil || ok {
			return ok, err
		}
	}
	st, err := s.db.Settings(ctx)
	if err != nil {
		return false, err
	}
	return slices.Contains(st.RemoteReadHosts, host), nil
}

// remoteSession starts the reads by URL of one processing of loc at head:
// a URL into loc's own repository at that branch or commit is read from
// the clone.
func (s *Syncer) remoteSession(loc store.Location, head gitfetch.Head) *remote.Session {
	return s.remote.Session(home(loc, head), remote.Budget{})
}

// remoteOwner is how the store files the URLs a location uses.
func remoteOwner(id string) string { return "location/" + id }

// usesRemote says whether location id's catalog read files by URL at its
// last sync: those are read again at every sync, even when the branch did
// not move.
func (s *Syncer) usesRemote(ctx context.Context, id string) (bool, error) {
	urls, err := s.db.RemoteUses(ctx, remoteOwner(id))
	return len(urls) > 0, err
}

// noteRemote records the URLs a processing read, so the store keeps their
// files while the location uses them, and logs what it took.
func (s *Syncer) noteRemote(ctx context.Context, id string, sess *remote.Session) error {
	st := sess.Stats()
	if st != (remote.Stats{}) {
		s.log.Info("remote files read", "location", id, "fetched", st.Fetched, "unchanged", st.Unchanged, "fromCache", st.Cached, "failed", st.Failed)
	}
	return s.db.SetRemoteUses(ctx, remoteOwner(id), sess.URLs())
}

// placeholders is a session as the catalog's RemoteReader.
type placeholders struct{ sess *remote.Session }

func (p placeholders) ReadRemote(ctx context.Context, url string) (catalog.RemoteFile, error) {
	f, err := p.sess.Read(ctx, url)
	if err != nil {
		return catalog.RemoteFile{}, err
	}
	out := catalog.RemoteFile{Path: f.Path, Data: f.Data, ReadAt: f.ReadAt}
	if f.Stale != nil {
		out.Stale = f.Stale.Error()
	}
	return out, nil
}

// storeCache keeps files read by URL in the store.
type storeCache struct{ db *store.DB }

func (c storeCache) Get(ctx context.Context, url string) (remote.Entry, bool, error) {
	f, ok, err := c.db.RemoteFile(ctx, url)
	return remote.Entry(f), ok, err
}

func (c storeCache) Put(ctx context.Context, url string, e remote.Entry) error {
	return c.db.PutRemoteFile(ctx, url, store.RemoteFile(e))
}

var (
	_ remote.Cache         = storeCache{}
	_ catalog.RemoteReader = placeholders{}
)
