package syncer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/questions"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/outbox"
)

// The steps of a write, in order, as Steps hears them.
const (
	StepBuilt     = "built"     // the commit's objects are written; nothing points at them
	StepRecorded  = "recorded"  // its outbox entry is stored, writing
	StepCommitted = "committed" // the outbox ref points at it
	StepProcessed = "processed" // the catalog at it is read and accepted
	StepStored    = "stored"    // the catalog shows it and its entry is pending
)

// Steps hears each step a write completes. Tests stop the process at a
// named step to prove that a write cut short anywhere is recovered.
type Steps interface{ Reached(step string) }

type noSteps struct{}

func (noSteps) Reached(string) {}

// ObserveWrites makes steps hear the steps of every write from now on.
func (s *Syncer) ObserveWrites(steps Steps) { s.steps = steps }

// Write commits w to the clone of location id as one outbox commit and
// shows it in the catalog at once, without the network; the next sync
// pushes it. A change that leaves a written file with errors, or that no
// catalog file of the location reaches, is refused (ErrRefused) and
// nothing is committed.
//
// A write is one recoverable operation: its outbox entry is stored, as
// writing, before the commit joins the outbox, and turns pending in the
// transaction that puts the commit's entities in the store. Write returns
// an error only when it took everything back; a process killed part way
// leaves the entry writing, and the next Reconcile, sync or write of the
// location finishes it.
func (s *Syncer) Write(ctx context.Context, id string, w Write) (_ store.OutboxEntry, err error) {
	defer s.lock(id)()
	defer func() {
		if err != nil {
			s.settled.Delete(id) // the next sync reconciles first
		}
	}()
	loc, err := s.location(ctx, id)
	if err != nil {
		return store.OutboxEntry{}, err
	}
	if w.Author == (outbox.Author{}) {
		w.Author = defaultAuthor()
	}
	if strings.TrimSpace(w.Message) == "" {
		return store.OutboxEntry{}, fmt.Errorf("%w: a commit message is required", ErrRefused)
	}
	if err := s.db.CheckSpace(); err != nil {
		return store.OutboxEntry{}, err
	}
	// A write cut short before this one is finished first: entries stay in
	// the order of their commits.
	if err := s.reconcile(ctx, loc); err != nil {
		return store.OutboxEntry{}, err
	}
	if loc, err = s.location(ctx, id); err != nil {
		return store.OutboxEntry{}, err
	}
	head, err := s.open(loc)
	if err != nil {
		return store.OutboxEntry{}, err
	}
	now := s.now()
	staged, err := outbox.Build(head.Repository(), head.Branch, w.Changes, w.Message, w.Author, now)
	if err != nil {
		return store.OutboxEntry{}, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	s.steps.Reached(StepBuilt)
	entry := newEntry(id, staged.Commit, w, now)
	if err := s.db.PutOutbox(ctx, entry); err != nil {
		return store.OutboxEntry{}, err
	}
	s.steps.Reached(StepRecorded)
	if err := outbox.Advance(head.Repository(), head.Branch, staged); err != nil {
		return store.OutboxEntry{}, s.drop(ctx, entry, err)
	}
	s.steps.Reached(StepCommitted)
	entry, err = s.finish(ctx, loc, head.At(staged.Commit), entry)
	if err != nil {
		return store.OutboxEntry{}, s.drop(ctx, entry, err)
	}
	return entry, nil
}

// drop deletes the entry of a write that was taken back, and returns why
// it was taken back.
func (s *Syncer) drop(ctx context.Context, entry store.OutboxEntry, why error) error {
	if err := s.db.DeleteOutbox(context.WithoutCancel(ctx), entry.ID); err != nil {
		return fmt.Errorf("%w (and removing its outbox entry: %v)", why, err)
	}
	return why
}

// finish reads the catalog at head, where entry's commit is the newest of
// the outbox, and stores it with entry turned pending, in one transaction.
// On any error the commit is taken back out of the outbox (the entry is
// the caller's to drop or keep), so when the lock is released every
// outbox commit has a pending entry.
func (s *Syncer) finish(ctx context.Context, loc store.Location, head gitfetch.Head, entry store.OutboxEntry) (store.OutboxEntry, error) {
	commit := head.Commit
	progress, throttled := s.reporters(ctx, loc)
	err := func() error {
		auth, err := s.creds.AuthFor(ctx, loc.URL)
		if err != nil {
			return err
		}
		fetch := s.fetcher(ctx, loc, auth, throttled)
		res, got, _, err := s.readCatalog(ctx, loc, head, fetch, false, false, func(done, known int) { throttled("process", done, known) })
		if err != nil {
			return err
		}
		if got.Commit != commit {
			// The clone was damaged and cloned again, with the pending
			// commits only: this one is not there to show.
			return fmt.Errorf("write to location %s: the clone was damaged and has been cloned again; write the change again", loc.ID)
		}
		// A Backstage's source clone has no roots (its entities come from
		// the Backstage): the portal validated the file before writing.
		if loc.SourceOf == "" {
			if err := refusal(changesOf(entry.Changes), res); err != nil {
				return err
			}
		}
		s.steps.Reached(StepProcessed)
		entry.State = store.StatePending
		return s.saveOrRedo(ctx, loc, head, res, nil, store.Snapshot{Local: true, Outbox: []store.OutboxEntry{entry}}, fetch, progress, throttled)
	}()
	if err != nil {
		if tip, _, tErr := outbox.Tip(head.Repository(), head.Branch); tErr == nil && tip == commit {
			if uErr := outbox.Uncommit(head.Repository(), head.Branch, commit); uErr != nil {
				err = fmt.Errorf("%w (and taking the commit back: %v)", err, uErr)
			}
		}
		entry.State = store.StateWriting
		return entry, err
	}
	s.steps.Reached(StepStored)
	s.emit.Emit(ctx, events.OutboxChanged, events.SyncResultData{LocationID: loc.ID, Commit: commit.String()})
	s.emit.Emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: loc.ID, Commit: commit.String()})
	return entry, nil
}

// Reconcile brings the outbox of every location back in step with its
// entries and the catalog after a crash (see reconcile); a location that
// cannot be brought back is logged and left to its next sync.
func (s *Syncer) Reconcile(ctx context.Context) error {
	if err := s.sweepClones(ctx); err != nil {
		s.log.Warn("delete the clones of removed locations", "err", err)
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return fmt.Errorf("reconcile the outboxes: %w", err)
	}
	for _, loc := range locs {
		unlock := s.lock(loc.ID)
		if cur, ok, err := s.db.Location(ctx, loc.ID); err == nil && ok {
			if err := s.reconcile(ctx, cur); err != nil {
				s.log.Warn("reconcile the outbox", "location", loc.ID, "err", err)
			} else {
				s.settled.Store(loc.ID, true)
			}
		}
		unlock()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// reconcile makes loc's outbox agree with its entries and the catalog
// again, holding the location's lock, after a write, push or sync was cut
// short:
//   - outbox commits beyond the pending entries were recorded by no entry
//     (an older Callboard's write cut short, or one of ours still writing):
//     they are taken back;
//   - pending entries beyond the outbox commits lost theirs (a push cut
//     short before its entries were updated): they are made again, or
//     dropped when the branch already has their change;
//   - entries still writing are made again and finished as Write would
//     have, or dropped when the catalog refuses them or the branch already
//     has them;
//   - a catalog that does not show the outbox's tip is read again.
//
// Errors wrap gitfetch.ErrCorrupt when the clone cannot be read.
func (s *Syncer) reconcile(ctx context.Context, loc store.Location) error {
	if _, ok := PluginOf(loc.URL); ok {
		return nil
	}
	dir := filepath.Join(s.clones, loc.ID)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil // never cloned: nothing can have been committed
	}
	entries, err := s.db.Outbox(ctx, loc.ID)
	if err != nil {
		return err
	}
	var pending, writing []store.OutboxEntry
	for _, e := range entries {
		switch e.State {
		case store.StatePending, store.StateClosed:
			pending = append(pending, e)
		case store.StateWriting:
			writing = append(writing, e)
		}
	}
	head, err := gitfetch.Open(dir, loc.Branch)
	if err != nil {
		return damaged(loc.ID, err)
	}
	repo := head.Repository()
	chain, err := outbox.Pending(repo, head.Branch)
	if err != nil {
		return damaged(loc.ID, err)
	}
	if len(chain) > len(pending) {
		s.log.Warn("taking back outbox commits no entry records", "location", loc.ID, "commits", len(chain)-len(pending), "tip", chain[len(chain)-1].Hash)
		if err := outbox.Truncate(repo, head.Branch, len(pending)); err != nil {
			return damaged(loc.ID, err)
		}
	}
	for _, e := range pending[min(len(chain), len(pending)):] {
		if _, err := s.recommitEntry(ctx, loc.ID, head, e); err != nil {
			return err
		}
	}
	for _, e := range writing {
		staged, err := s.recommitEntry(ctx, loc.ID, head, e)
		if err != nil {
			return err
		}
		if staged.IsZero() {
			continue // the branch has it already
		}
		e.Commit = staged.String()
		if _, err := s.finish(ctx, loc, head.At(staged), e); err != nil {
			if !errors.Is(err, ErrRefused) {
				return fmt.Errorf("finish the write %q cut short: %w", e.Message, err)
			}
			s.log.Warn("a write cut short is refused by the catalog; dropped", "location", loc.ID, "entry", e.ID, "err", err)
			if err := s.db.DeleteOutbox(ctx, e.ID); err != nil {
				return err
			}
		}
	}
	tip, _, err := outbox.Tip(repo, head.Branch)
	if err != nil {
		return damaged(loc.ID, err)
	}
	if loc, err = s.location(ctx, loc.ID); err != nil || loc.HeadCommit == "" || loc.HeadCommit == tip.String() {
		return err
	}
	s.log.Info("the catalog does not show the outbox's tip; reading it again", "location", loc.ID, "stored", loc.HeadCommit, "tip", tip)
	progress, throttled := s.reporters(ctx, loc)
	auth, err := s.creds.AuthFor(ctx, loc.URL)
	if err != nil {
		return err
	}
	fetch := s.fetcher(ctx, loc, auth, throttled)
	res, got, _, err := s.readCatalog(ctx, loc, head.At(tip), fetch, false, false, func(done, known int) { throttled("process", done, known) })
	if err != nil {
		return err
	}
	if err := s.saveOrRedo(ctx, loc, got, res, nil, store.Snapshot{Local: true}, fetch, progress, throttled); err != nil {
		return err
	}
	s.emit.Emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: loc.ID, Commit: got.Commit.String()})
	return nil
}

// damaged marks err, met reading the clone of location id, as a damaged
// clone: the sync clones it again.
func damaged(id string, err error) error {
	return fmt.Errorf("read the outbox of location %s: %w: %w", id, gitfetch.ErrCorrupt, err)
}

// recommitEntry makes entry's commit again on top of the outbox and
// returns it. When the files already have its contents (the branch has
// its change: it was pushed) the entry is done: it is deleted and the
// zero hash returned.
func (s *Syncer) recommitEntry(ctx context.Context, id string, head gitfetch.Head, e store.OutboxEntry) (plumbing.Hash, error) {
	name, email, _ := strings.Cut(strings.TrimSuffix(e.Author, ">"), " <")
	commit, err := outbox.Commit(head.Repository(), head.Branch, changesOf(e.Changes), e.Message, outbox.Author{Name: name, Email: email}, e.CreatedAt)
	if errors.Is(err, outbox.ErrNoChange) {
		s.log.Info("the branch already has an outbox entry's change; dropping the entry", "location", id, "entry", e.ID)
		return plumbing.ZeroHash, s.db.DeleteOutbox(ctx, e.ID)
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("make outbox commit %q again: %w", e.Message, gitfetch.Corrupt(err))
	}
	return commit, nil
}

// refusal says why the catalog of res refuses the written files: their
// errors, or that nothing reaches them (but for question and answer
// files, which are not catalog files).
func refusal(changes []outbox.Change, res catalog.Result) error {
	var r refused
	for _, c := range changes {
		if c.Delete {
			continue
		}
		reached := slices.ContainsFunc(res.Verdicts, func(v catalog.Verdict) bool { return v.Source.File == c.Path })
		for _, e := range res.Errors {
			if e.File == c.Path {
				reached = true
				r.msgs = append(r.msgs, e.Error())
				r.errs = append(r.errs, e)
			}
		}
		// Questions and answers are read by Callboard, not the catalog.
		if !reached && !questions.IsFile(c.Path) {
			r.msgs = append(r.msgs, fmt.Sprintf("%s: no catalog file of this location reaches it; list it in a Location's spec.targets or choose a path the location's pattern matches", c.Path))
		}
	}
	if r.msgs == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrRefused, r)
}

// refused says why the catalog refuses written files. It unwraps to the
// catalog errors among its reasons, so a caller can tell the file, line
// and field of the first.
type refused struct {
	msgs []string
	errs []error
}

func (r refused) Error() string   { return strings.Join(r.msgs, "; ") }
func (r refused) Unwrap() []error { return r.errs }

// newEntry is the outbox entry of w, committed as commit: writing until
// the catalog shows it.
func newEntry(id string, commit plumbing.Hash, w Write, now time.Time) store.OutboxEntry {
	e := store.OutboxEntry{ID: store.NewOutboxID(id, now), LocationID: id, Commit: commit.String(), Message: w.Message,
		Author: w.Author.Name + " <" + w.Author.Email + ">", CreatedAt: now, State: store.StateWriting}
	for _, c := range w.Changes {
		e.Paths = append(e.Paths, c.Path)
		fc := store.FileChange{Path: c.Path}
		if !c.Delete {
			text := string(c.Content)
			fc.Content = &text
		}
		e.Changes = append(e.Changes, fc)
	}
	return e
}
