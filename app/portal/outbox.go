package portal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/outbox"
	"github.com/callboard/callboard/sync/syncer"
)

// outboxView reads and writes catalog files through the syncer, and
// lists the commits made in the app that the remotes lack.
type outboxView struct {
	db     outboxLister
	syncer catalogWriter
	runs   runHistory
	// branches are the template updates' pushes; nil lists none.
	branches branchPushStore
	// route says where a file is read and written: a Backstage
	// location's entity files are in their source repositories.
	route func(ctx context.Context, id, path string) (string, string, error)
	// check validates a change the catalog does not read when committed
	// (a Backstage's source clone has no roots).
	check func(ctx context.Context, id string, c outbox.Change) error
	log   *slog.Logger
}

// outboxLister lists the outbox's entries, of one location or (id "") all.
type outboxLister interface {
	Outbox(ctx context.Context, id string) ([]store.OutboxEntry, error)
}

// catalogWriter reads, writes and settles catalog files in the local clones.
type catalogWriter interface {
	ReadFile(ctx context.Context, locationID, path string) (data []byte, exists bool, commit string, err error)
	Write(ctx context.Context, locationID string, w syncer.Write) (store.OutboxEntry, error)
	Resolve(ctx context.Context, entryID string, keepMine bool) error
	// Discard and Reopen settle a change whose pull request was closed.
	Discard(ctx context.Context, entryID string) error
	Reopen(ctx context.Context, entryID string) error
}

// runHistory is the history of template runs, newest first.
type runHistory interface {
	ScaffoldRuns(ctx context.Context) ([]ScaffoldRun, error)
}

// ReadFile answers API.ReadFile.
func (s *outboxView) ReadFile(ctx context.Context, locationID, path string) (CatalogFile, error) {
	locationID, path, err := s.route(ctx, locationID, path)
	if err != nil {
		return CatalogFile{}, err
	}
	data, exists, commit, err := s.syncer.ReadFile(ctx, locationID, path)
	if err != nil {
		return CatalogFile{}, syncError(err)
	}
	return CatalogFile{LocationID: locationID, Path: path, Content: string(data), Exists: exists, Commit: commit}, nil
}

// WriteFile answers API.WriteFile.
func (s *outboxView) WriteFile(ctx context.Context, w FileWrite) (OutboxEntry, error) {
	if w.LocationID == "" {
		return OutboxEntry{}, fmt.Errorf("a write needs a location: %w", ErrInvalid)
	}
	var err error
	if w.LocationID, w.Path, err = s.route(ctx, w.LocationID, w.Path); err != nil {
		return OutboxEntry{}, err
	}
	change := outbox.Change{Path: w.Path, Content: []byte(w.Content), Delete: w.Delete}
	if s.check != nil {
		if err := s.check(ctx, w.LocationID, change); err != nil {
			return OutboxEntry{}, err
		}
	}
	e, err := s.syncer.Write(ctx, w.LocationID, syncer.Write{Changes: []outbox.Change{change}, Message: strings.TrimSpace(w.Message)})
	if err != nil {
		return OutboxEntry{}, syncError(err)
	}
	s.log.Info("catalog file committed locally", "location", w.LocationID, "path", w.Path, "commit", e.Commit)
	return outboxDTO(e), nil
}

// Outbox answers API.Outbox.
func (s *outboxView) Outbox(ctx context.Context) ([]OutboxEntry, error) {
	entries, err := s.db.Outbox(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]OutboxEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, outboxDTO(e))
	}
	firstPushes, err := s.pendingFirstPushes(ctx)
	if err != nil {
		return nil, err
	}
	updates, err := branchPushEntries(ctx, s.branches, time.Now())
	if err != nil {
		return nil, err
	}
	return append(append(out, firstPushes...), updates...), nil
}

// pendingFirstPushes are the projects templates made whose first push has
// not got through (offline, no credentials yet): they wait in the outbox
// too, retried at each sync.
func (s *outboxView) pendingFirstPushes(ctx context.Context) ([]OutboxEntry, error) {
	runs, err := s.runs.ScaffoldRuns(ctx)
	if err != nil {
		return nil, err
	}
	var out []OutboxEntry
	for _, run := range runs {
		for _, p := range run.Publish {
			if p.Status != "pending" {
				continue
			}
			e := OutboxEntry{ID: "run:" + run.ID, Message: fmt.Sprintf("New project from %q: first push to %s", run.Title, p.Remote),
				Paths: []string{run.Target}, CreatedAt: run.Started, State: "pending", LastError: p.Error}
			if run.Finished != "" {
				e.CreatedAt, e.LastTry = run.Finished, run.Finished
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// ResolveConflict answers API.ResolveConflict.
func (s *outboxView) ResolveConflict(ctx context.Context, entryID, keep string) error {
	if err := requireID("entryID", entryID); err != nil {
		return err
	}
	if keep != "mine" && keep != "theirs" {
		return fmt.Errorf("keep %q: want mine or theirs: %w", keep, ErrInvalid)
	}
	if closed, err := s.closedReview(ctx, entryID); err != nil {
		return err
	} else if closed {
		return s.SettleReview(ctx, entryID, map[string]string{"mine": "reopen", "theirs": "discard"}[keep])
	}
	if err := s.syncer.Resolve(ctx, entryID, keep == "mine"); err != nil {
		return syncError(err)
	}
	s.log.Info("outbox conflict resolved", "entry", entryID, "keep", keep)
	return nil
}

// syncError maps the syncer's refusals onto the API's errors.
func syncError(err error) error {
	switch {
	case errors.Is(err, syncer.ErrRefused):
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	case errors.Is(err, syncer.ErrNotFound):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

func outboxDTO(e store.OutboxEntry) OutboxEntry {
	dto := OutboxEntry{ID: e.ID, LocationID: e.LocationID, Commit: e.Commit, Message: e.Message, Author: e.Author,
		Paths: e.Paths, CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339), State: e.State, LastError: e.LastError, Branch: e.Branch}
	if !e.LastTry.IsZero() {
		dto.LastTry = e.LastTry.UTC().Format(time.RFC3339)
	}
	dto.Review = reviewDTO(e.Review)
	if e.Conflict != nil {
		for _, f := range e.Conflict.Files {
			dto.Conflict = append(dto.Conflict, ConflictFile{Path: f.Path, Base: f.Base, Mine: f.Mine, Theirs: f.Theirs})
		}
	}
	return dto
}

// unpushed maps location → file → true for every file with a change made
// in the app and not pushed yet.
func unpushed(ctx context.Context, db outboxLister) (map[string]map[string]bool, error) {
	entries, err := db.Outbox(ctx, "")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]bool{}
	for _, e := range entries {
		if !e.Queued() {
			continue
		}
		if out[e.LocationID] == nil {
			out[e.LocationID] = map[string]bool{}
		}
		for _, p := range e.Paths {
			out[e.LocationID][p] = true
		}
	}
	return out, nil
}
