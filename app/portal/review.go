package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/store"
)

// reviewStore sets how a location's edits reach its branch.
type reviewStore interface {
	SetReview(ctx context.Context, id string, fn func(*store.Review)) (bool, error)
}

// SetReviewMode answers API.SetReviewMode.
func (s *locations) SetReviewMode(ctx context.Context, id string, in ReviewMode) (Location, error) {
	if err := requireID("id", id); err != nil {
		return Location{}, err
	}
	mode := strings.TrimSpace(in.Mode)
	if !slices.Contains([]string{store.ReviewDirect, store.ReviewPR, store.ReviewDetect}, mode) {
		return Location{}, fmt.Errorf("review mode %q: want direct, pr or detect: %w", in.Mode, ErrInvalid)
	}
	forge := strings.TrimSpace(in.Forge)
	if !slices.Contains([]string{"", "github", "gitlab", "gitea"}, forge) {
		return Location{}, fmt.Errorf("forge %q: want github, gitlab or gitea: %w", in.Forge, ErrInvalid)
	}
	loc, ok, err := s.db.Location(ctx, id)
	if err != nil {
		return Location{}, err
	}
	if !ok {
		return Location{}, fmt.Errorf("location %q: %w", id, ErrNotFound)
	}
	if err := refusePluginLocation(id, loc.URL); err != nil {
		return Location{}, err
	}
	ok, err = s.db.SetReview(ctx, id, func(r *store.Review) {
		// Detection starts over: a mode chosen by hand stands, and a
		// return to detect asks again.
		r.Mode, r.Detected = mode, ""
		if forge != "" {
			r.Forge = forge
		}
	})
	if err != nil {
		return Location{}, err
	}
	if !ok {
		return Location{}, fmt.Errorf("location %q: %w", id, ErrNotFound)
	}
	s.log.Info("review mode set", "location", id, "mode", mode, "forge", forge)
	locs, err := s.ListLocations(ctx)
	if err != nil {
		return Location{}, err
	}
	for _, l := range locs {
		if l.ID == id {
			return l, nil
		}
	}
	return Location{}, fmt.Errorf("location %q: %w", id, ErrNotFound)
}

// SettleReview answers API.SettleReview.
func (s *outboxView) SettleReview(ctx context.Context, entryID, action string) error {
	if err := requireID("entryID", entryID); err != nil {
		return err
	}
	var err error
	switch action {
	case "discard":
		err = s.syncer.Discard(ctx, entryID)
	case "reopen":
		err = s.syncer.Reopen(ctx, entryID)
	default:
		return fmt.Errorf("action %q: want discard or reopen: %w", action, ErrInvalid)
	}
	if err != nil {
		return syncError(err)
	}
	s.log.Info("closed pull request settled", "entry", entryID, "action", action)
	return nil
}

// closedReview says whether entryID is a change whose pull request was
// closed: ResolveConflict settles those too (mine reopens, theirs
// discards), so `callboard outbox resolve` works for them.
func (s *outboxView) closedReview(ctx context.Context, entryID string) (bool, error) {
	id, _, _ := strings.Cut(entryID, "/")
	entries, err := s.db.Outbox(ctx, id)
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(entries, func(e store.OutboxEntry) bool { return e.ID == entryID })
	return i >= 0 && entries[i].State == store.StateClosed, nil
}

func reviewDTO(r *store.OutboxReview) *OutboxReview {
	if r == nil {
		return nil
	}
	return &OutboxReview{Branch: r.Branch, Forge: r.Forge, Number: r.Number, URL: r.URL, State: r.State, Head: r.Head}
}

// reviews maps location → file → the newest pull request holding a
// change to it.
func reviews(ctx context.Context, db outboxLister, id string) (map[string]map[string]*EntityReview, error) {
	entries, err := db.Outbox(ctx, id)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*EntityReview{}
	for _, e := range entries {
		if !e.Queued() || e.Review == nil {
			continue
		}
		if out[e.LocationID] == nil {
			out[e.LocationID] = map[string]*EntityReview{}
		}
		for _, p := range e.Paths {
			out[e.LocationID][p] = &EntityReview{EntryID: e.ID, Number: e.Review.Number, URL: e.Review.URL, State: markerState(e)}
		}
	}
	return out, nil
}

// markerState is the state an entity's marker shows: the pull request's,
// or "open" while it is being opened.
func markerState(e store.OutboxEntry) string {
	if e.Review.State == "" {
		return store.ReviewOpen
	}
	return e.Review.State
}
