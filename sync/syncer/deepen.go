package syncer

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5"

	"github.com/callboard/callboard/sync/gitfetch"
)

// Deepen fetches the whole history into location id's clone when it is
// shallow (store.Location.Shallow) and keeps the location whole from then
// on: later fetches and a clone made again take every commit. A location
// not cloned yet is only marked, so its first clone is whole. The branch
// may move with the fetch; the next sync reads the catalog there, which
// the portal's DeepenHistory runs at once.
func (s *Syncer) Deepen(ctx context.Context, id string) error {
	defer s.lock(id)()
	loc, err := s.location(ctx, id)
	if err != nil {
		return err
	}
	if _, ok := PluginOf(loc.URL); ok || loc.Org != nil || loc.Backstage != nil {
		return fmt.Errorf("%w: location %s has no repository of its own to deepen", ErrRefused, id)
	}
	shallow, err := gitfetch.IsShallow(s.Clone(id))
	if err != nil && !errors.Is(err, git.ErrRepositoryNotExists) {
		return fmt.Errorf("deepen location %s: %w", id, err)
	}
	if shallow {
		if err := s.db.CheckSpace(); err != nil {
			return err
		}
		auth, err := s.creds.AuthFor(ctx, loc.URL)
		if err != nil {
			return err
		}
		progress, throttled := s.reporters(ctx, loc)
		progress("fetch", 0, 0)
		loc.FullHistory = true
		fetch := s.fetcher(ctx, loc, auth, throttled)
		_, err = fetch()
		if errors.Is(err, gitfetch.ErrCorrupt) {
			_, err = s.reclone(ctx, s.Clone(id), loc, err, fetch)
		}
		if err != nil {
			s.creds.Failed(loc.URL, err)
			return fmt.Errorf("deepen location %s: %w", id, err)
		}
		progress("done", 1, 1)
	}
	ok, err := s.db.SetFullHistory(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("location %s: %w", id, ErrNotFound)
	}
	s.log.Info("history deepened", "location", id, "was shallow", shallow)
	return nil
}
