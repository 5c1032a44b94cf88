package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/backstage"
	"github.com/callboard/callboard/sync/gitfetch"
)

// Backstage locations: an organisation's Backstage (store.Backstage) has
// no repository of its own. Its sync reads the backend's catalog API
// (sync/backstage): the whole catalog the first time, afterwards every
// entity's etag and then only the entities new or changed. Each entity
// becomes a generated file processed like any catalog file, so a bad one
// is a problem, not a crash; the set is stored as a new generation.

// AnnotationBackstage names the Backstage an entity was read from: its
// base URL. The entity's page links to it there ("View in Backstage").
const AnnotationBackstage = "callboard.dev/backstage"

// backstageHasNoRepo is the refusal of a file, history or write call on
// a Backstage location: it has no clone, and what it shows is edited in
// the entity's source repository, never through the Backstage API.
func backstageHasNoRepo(loc store.Location) error {
	return fmt.Errorf("%w: location %s is read from the Backstage at %s, which has no repository of its own; "+
		"an entity's file is edited in its source repository (backstage.io/source-location): add that repository as a location", ErrRefused, loc.ID, loc.Backstage.BaseURL)
}

// backstageToken is the token for a Backstage host: the host's own only
// (its CALLBOARD_GIT_TOKEN_<HOST> or the OS keyring, `callboard token set
// HOST`), never the all-hosts git token nor a forge CLI's.
func backstageToken(creds gitfetch.Credentials) func(ctx context.Context, host string) (string, error) {
	return func(ctx context.Context, host string) (string, error) {
		t, err := creds.Token(ctx, "https://"+host+"/")
		if err != nil {
			return "", err
		}
		if t.Kind != gitfetch.FromHostEnv && t.Kind != gitfetch.FromKeyring {
			return "", nil
		}
		return t.Secret, nil
	}
}

// syncBackstage syncs a Backstage location. A read that fails (offline, a
// refused token) fails the sync and keeps every entity, stale, as a
// failed fetch keeps a repository's.
func (s *Syncer) syncBackstage(ctx context.Context, loc store.Location) (string, error) {
	progress, throttled := s.reporters(ctx, loc)
	progress("fetch", 0, 0)
	if err := s.db.CheckSpace(); err != nil {
		return "", err
	}
	base, err := backstage.ParseBaseURL(loc.Backstage.BaseURL)
	if err != nil {
		return "", err
	}
	token, err := s.bsToken(ctx, base.Host)
	if err != nil {
		return "", err
	}
	expect := max(loc.Backstage.Requests, 1)
	var client *backstage.Client
	client, err = backstage.New(base.String(), backstage.Options{Token: token,
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n := client.Requests()
			throttled("fetch", n, max(expect, n))
			return s.bsTransport.RoundTrip(r)
		})})
	if err != nil {
		return "", err
	}
	var prev *backstage.State
	raw, ok, err := s.db.BackstageState(ctx, loc.ID)
	if err != nil {
		return "", err
	}
	// A sync that failed after the read may have kept a state the store's
	// set does not match: read whole then.
	if ok && loc.LastError == "" && loc.Gen != 0 {
		var st backstage.State
		if err := json.Unmarshal(raw, &st); err != nil {
			s.log.Warn("the kept Backstage state cannot be read; reading the catalog whole", "location", loc.ID, "err", err)
		} else {
			prev = &st
		}
	}
	// A whole read goes into a new generation page by page, as it comes.
	var b *bsBuild
	ch, err := client.ReadEach(ctx, prev, func(es []backstage.Entity) error {
		if b == nil {
			nb, err := s.newBSBuild(ctx, loc.ID, base.String(), throttled)
			if err != nil {
				return err
			}
			b = nb
		}
		return b.add(ctx, es)
	})
	if err != nil {
		if b != nil {
			b.gen.Cancel(ctx)
		}
		return "", err
	}
	sum := store.Backstage{ReadAt: s.now(), Requests: client.Requests(), Changed: len(ch.Changed), Removed: len(ch.Removed)}
	if ch.Whole {
		if b == nil { // the backend lists nothing
			if b, err = s.newBSBuild(ctx, loc.ID, base.String(), throttled); err != nil {
				return "", err
			}
		}
		sum.Changed = len(b.etags)
		return s.finishBackstage(ctx, loc.ID, b, client, sum, progress)
	}
	if ch.Idle() {
		if err := s.db.PutBackstageState(ctx, loc.ID, raw, sum); err != nil {
			return "", err
		}
		progress("done", 1, 1)
		return loc.HeadCommit, s.db.MarkSynced(ctx, loc.ID, s.now())
	}
	commit, ok, err := s.patchBackstage(ctx, loc, base.String(), ch, progress)
	if err != nil {
		return "", err
	}
	if ok {
		state, err := json.Marshal(patchedState(client, *prev, ch))
		if err != nil {
			return "", fmt.Errorf("encode the state of %s: %w", base, err)
		}
		return commit, s.db.PutBackstageState(ctx, loc.ID, state, sum)
	}
	// The change cannot be applied in place: the set is made again from
	// the entities changed, as read, and the others as the store has them.
	all, err := s.keptEntities(ctx, loc.ID, ch)
	if err != nil {
		return "", err
	}
	if b, err = s.newBSBuild(ctx, loc.ID, base.String(), throttled); err != nil {
		return "", err
	}
	for chunk := range slices.Chunk(all, bsChunk) {
		if err := b.add(ctx, chunk); err != nil {
			b.gen.Cancel(ctx)
			return "", err
		}
		for i := range chunk {
			chunk[i].JSON = nil // in the generation now
		}
	}
	return s.finishBackstage(ctx, loc.ID, b, client, sum, progress)
}

// finishBackstage saves the set b built as the location's and the state
// the next read compares against.
func (s *Syncer) finishBackstage(ctx context.Context, id string, b *bsBuild, client *backstage.Client, sum store.Backstage, progress func(phase string, done, total int)) (string, error) {
	// The state keeps the etags of the entities accepted: one refused is
	// read again next time, so its problem stays in view until it is fixed.
	kept := make([]backstage.Entity, 0, len(b.res.Entities))
	for _, p := range b.res.Entities {
		ref := strings.ToLower(p.Entity.Ref().String())
		if etag, ok := b.etags[ref]; ok {
			kept = append(kept, backstage.Entity{Ref: ref, ETag: etag})
		}
	}
	state, err := json.Marshal(client.NewState(kept))
	if err != nil {
		return "", fmt.Errorf("encode the state of %s: %w", b.base, err)
	}
	commit := b.commit()
	slices.Sort(b.res.Files)
	// The generation holds every file's state (Options.FileState): an
	// empty list marks it as the set's, so later changes apply in place.
	if err := s.saveTo(ctx, id, commit, b.res, b.gen, store.Snapshot{Files: []catalog.CachedFile{}}, progress); err != nil {
		return "", err
	}
	return commit, s.db.PutBackstageState(ctx, id, state, sum)
}

// keptEntities are the catalog after ch: the entities changed, as read,
// and the unchanged ones as the store holds them.
func (s *Syncer) keptEntities(ctx context.Context, id string, ch backstage.Changes) ([]backstage.Entity, error) {
	etags := make(map[string]string, len(ch.Unchanged))
	for _, e := range ch.Unchanged {
		etags[e.Ref] = e.ETag
	}
	all := slices.Clone(ch.Changed)
	err := s.db.LocationEntities(ctx, id, func(e store.Entity) bool {
		ref := strings.ToLower(e.Entity.Ref().String())
		etag, ok := etags[ref]
		if !ok || e.Commit != "" {
			return true // changed, removed, or a last good version: not what the backend has now
		}
		b, err := json.Marshal(e.Entity.Raw)
		if err != nil {
			return true
		}
		all = append(all, backstage.Entity{Ref: ref, ETag: etag, JSON: b})
		delete(etags, ref)
		return true
	})
	if err != nil {
		return nil, err
	}
	if len(etags) > 0 {
		// The store lost some (another location took their refs): their
		// etags are left out of the state, so the next sync reads them.
		s.log.Info("unchanged Backstage entities the store does not hold", "location", id, "count", len(etags))
	}
	return all, nil
}

// backstageFiles makes each entity a generated file named by its ref,
// without what the backend computed (relations, status), and with a
// Location's targets taken out: they name files of the backend's, which
// processing must not follow. originals keeps what processing rewrites.
func backstageFiles(es []backstage.Entity) (files map[string][]byte, originals map[string]map[string]any) {
	files = make(map[string][]byte, len(es))
	originals = make(map[string]map[string]any, len(es))
	for _, e := range es {
		var m map[string]any
		name := backstageFile(e.Ref)
		if err := json.Unmarshal(e.JSON, &m); err != nil {
			files[name] = e.JSON // processing says what is wrong with it
			continue
		}
		delete(m, "relations")
		delete(m, "status")
		orig := map[string]any{}
		if md, ok := m["metadata"].(map[string]any); ok {
			if ann, ok := md["annotations"].(map[string]any); ok {
				orig["annotations"] = maps.Clone(ann)
			}
		}
		if kind, _ := m["kind"].(string); strings.EqualFold(kind, "location") {
			if spec, ok := m["spec"].(map[string]any); ok {
				orig["spec"] = maps.Clone(spec)
				delete(spec, "target")
				delete(spec, "targets")
			}
		}
		b, err := json.Marshal(m)
		if err != nil {
			files[name] = e.JSON
			continue
		}
		files[name], originals[name] = b, orig
	}
	return files, originals
}

// backstageFile is the generated file of an entity: kind, namespace and
// name, so each entity is a file of its own.
func backstageFile(ref string) string {
	kind, rest, _ := strings.Cut(ref, ":")
	ns, name, _ := strings.Cut(rest, "/")
	return kind + "/" + ns + "/" + name + ".json"
}

// restoreOrigins puts back, in entities processed from the generated
// files, what the backend said of each one's origin.
func restoreOrigins(base string, ps []catalog.Processed, originals map[string]map[string]any) {
	for i := range ps {
		p := &ps[i]
		if p.Handed || p.Reused {
			continue
		}
		orig := originals[p.Source.File]
		e := &p.Entity
		md, _ := e.Raw["metadata"].(map[string]any)
		ann, _ := md["annotations"].(map[string]any)
		if ann == nil || e.Metadata.Annotations == nil {
			continue
		}
		delete(ann, catalog.AnnotationLocation)
		delete(ann, catalog.AnnotationOriginLocation)
		delete(e.Metadata.Annotations, catalog.AnnotationLocation)
		delete(e.Metadata.Annotations, catalog.AnnotationOriginLocation)
		if was, ok := orig["annotations"].(map[string]any); ok {
			for k, v := range was {
				if sv, ok := v.(string); ok {
					ann[k] = sv
					e.Metadata.Annotations[k] = sv
				}
			}
		}
		ann[AnnotationBackstage] = base
		e.Metadata.Annotations[AnnotationBackstage] = base
		if spec, ok := orig["spec"].(map[string]any); ok {
			e.Raw["spec"] = spec
			e.Spec = spec
		}
	}
}

// BackstageClient is a client of the Backstage at base with its host's
// own token, as its sync reads it: for what else the app reads from that
// backend (its TechDocs storage).
func (s *Syncer) BackstageClient(ctx context.Context, base string) (*backstage.Client, error) {
	u, err := backstage.ParseBaseURL(base)
	if err != nil {
		return nil, err
	}
	token, err := s.bsToken(ctx, u.Host)
	if err != nil {
		return nil, err
	}
	return backstage.New(u.String(), backstage.Options{Token: token, Transport: s.bsTransport})
}
