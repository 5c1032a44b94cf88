package syncer

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/outbox"
	"github.com/callboard/callboard/sync/remote"
)

// The steps of taking a change to review, in order, as Steps hears them.
const (
	StepNamed    = "named"    // the entry's edit branch is recorded
	StepPushed   = "pushed"   // the edit branch is on the remote and recorded
	StepOpened   = "opened"   // the pull request is open, not yet recorded
	StepReviewed = "reviewed" // the pull request is recorded on the entry
)

// reviewBudget bounds the forge API work of one sync: polling and
// opening pull requests never hold a location's sync for longer.
const reviewBudget = 2 * time.Minute

// reviewOf is how loc's edits reach its branch: its own setting, or for
// a location a discovered organisation made, the organisation's (and its
// forge).
func (s *Syncer) reviewOf(ctx context.Context, loc store.Location) store.Review {
	r := loc.Review
	for _, p := range loc.Parents {
		if r.Mode != "" && r.Forge != "" {
			break
		}
		parent, ok, err := s.db.Location(ctx, p.ID)
		if err != nil || !ok || parent.Org == nil {
			continue
		}
		if r.Mode == "" {
			r.Mode = parent.Review.Mode
		}
		var src discover.Source
		if r.Forge == "" && json.Unmarshal(parent.Org.Source, &src) == nil {
			r.Forge = string(src.Forge)
		}
	}
	return r
}

// mode is the way r's edits go: ReviewDirect, ReviewPR, or ReviewDetect
// while detection has not decided.
func mode(r store.Review) string {
	switch {
	case r.Mode == store.ReviewDirect || r.Mode == store.ReviewPR:
		return r.Mode
	case r.Detected != "":
		return r.Detected
	}
	return store.ReviewDetect
}

// protectedRefusal says whether a push error is the remote refusing the
// branch as protected (a pre-receive hook, a forge's branch protection),
// not the network or a moved branch.
func protectedRefusal(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "protected") || strings.Contains(msg, "hook declined") || strings.Contains(msg, "pre-receive")
}

// detected remembers what detection found for location id, unless the
// user chose a mode meanwhile.
func (s *Syncer) detected(ctx context.Context, id, found string) {
	if _, err := s.db.SetReview(ctx, id, func(r *store.Review) { r.Detected = found }); err != nil {
		s.log.Warn("record the review mode found", "location", id, "err", err)
		return
	}
	s.log.Info("review mode detected", "location", id, "mode", found)
}

// reviews is the pull request API of loc's repository.
func (s *Syncer) reviews(loc store.Location, r store.Review) (*discover.Reviews, error) {
	return discover.NewReviews(loc.URL, remote.Forge(r.Forge), discover.Options{Token: s.orgToken, Limits: s.orgLimits,
		Logger: s.log, Clock: s.orgClock, Transport: s.orgTransport})
}

// askProtected asks the forge whether branch is protected; known is
// false when it cannot say (no forge API, no answer).
func (s *Syncer) askProtected(ctx context.Context, loc store.Location, r store.Review, branch string) (protected, known bool) {
	rv, err := s.reviews(loc, r)
	if err != nil {
		return false, false
	}
	ctx, cancel := context.WithTimeout(ctx, reviewBudget)
	defer cancel()
	protected, known, err = rv.Protected(ctx, branch)
	if err != nil {
		s.log.Info("ask the forge whether a branch is protected", "location", loc.ID, "err", err)
		return false, false
	}
	return protected, known
}

// pushReviews takes the outbox of loc to review: each queued change
// becomes a commit on an edit branch of its own, pushed, with a pull
// request opened for it; each open pull request is polled and a
// reviewer's push to its branch followed. The outbox itself stays local,
// rebuilt on the branch as fetched, so the catalog shows the user's
// changes until the branch has them; a change the branch has made
// leaves the outbox with its entry. Every step is recorded on the entry
// as it is done, so a process killed part way finishes on the next
// sync without a second pull request. It returns head at the outbox's
// tip; a forge or push failure is the entries' news, not the sync's.
func (s *Syncer) pushReviews(ctx context.Context, loc store.Location, head gitfetch.Head, auth transport.AuthMethod, r store.Review) (gitfetch.Head, error) {
	repo := head.Repository()
	entries, err := s.db.Outbox(ctx, loc.ID)
	if err != nil {
		return head, err
	}
	var queued []store.OutboxEntry
	for _, e := range entries {
		if e.Queued() {
			queued = append(queued, e)
		}
	}
	up, err := repo.Reference(plumbing.NewBranchReferenceName(head.Branch), true)
	if err != nil {
		return head, gitfetch.Corrupt(fmt.Errorf("read branch %s: %w", head.Branch, err))
	}
	upstream := up.Hash()
	apiCtx, cancel := context.WithTimeout(ctx, reviewBudget)
	defer cancel()
	rv, rvErr := s.reviews(loc, r)
	before, _ := json.Marshal(queued)
	rebuild := false
	for i := range queued {
		e := &queued[i]
		switch {
		case rvErr != nil:
			e.LastError, e.LastTry = rvErr.Error(), s.now()
		case e.Review != nil && e.Review.Number > 0:
			moved, err := s.poll(apiCtx, loc, repo, auth, rv, e)
			if err != nil {
				e.LastError, e.LastTry = err.Error(), s.now()
				s.log.Warn("poll a pull request", "location", loc.ID, "entry", e.ID, "err", err)
			}
			rebuild = rebuild || moved
		}
	}
	chain, err := outbox.Pending(repo, head.Branch)
	if err != nil {
		return head, gitfetch.Corrupt(err)
	}
	if rebuild || len(chain) > 0 && chain[0].ParentHashes[0] != upstream {
		if queued, err = s.rebuildOutbox(ctx, loc.ID, head, queued); err != nil {
			return head, err
		}
	}
	for i := range queued {
		e := &queued[i]
		if rvErr != nil || e.State != store.StatePending || e.Review != nil && e.Review.Number > 0 {
			continue
		}
		if err := s.openReview(apiCtx, loc, head, upstream, auth, rv, e); err != nil {
			e.LastError, e.LastTry = err.Error(), s.now()
			s.log.Warn("open a pull request", "location", loc.ID, "entry", e.ID, "err", err)
		}
	}
	if err := s.db.PutOutbox(ctx, queued...); err != nil {
		s.log.Warn("record the outbox", "location", loc.ID, "err", err)
	}
	if after, _ := json.Marshal(queued); !bytes.Equal(after, before) {
		s.emit.Emit(ctx, events.OutboxChanged, events.SyncResultData{LocationID: loc.ID})
	}
	tip, _, err := outbox.Tip(repo, head.Branch)
	if err != nil {
		return head, gitfetch.Corrupt(err)
	}
	return head.At(tip), nil
}

// poll reads e's pull request and records its state. When the branch
// moved on the remote (a reviewer pushed), the reviewer's versions of
// e's files become e's change: moved says the outbox must be made again.
func (s *Syncer) poll(ctx context.Context, loc store.Location, repo *git.Repository, auth transport.AuthMethod, rv *discover.Reviews, e *store.OutboxEntry) (moved bool, err error) {
	pr, err := rv.Get(ctx, e.Review.Number)
	if err != nil {
		return false, err
	}
	e.Review.State, e.LastError = pr.State, ""
	switch pr.State {
	case discover.PRClosed:
		e.State = store.StateClosed
	case discover.PROpen, discover.PRChangesRequested:
		e.State = store.StatePending
	}
	if pr.Head == "" || pr.Head == e.Review.Head || pr.State == discover.PRClosed {
		return false, nil
	}
	got, err := s.fetchEdit(ctx, loc, repo, auth, e.Review.Branch)
	if err != nil {
		return false, err
	}
	for i, c := range e.Changes {
		data, exists, err := outbox.File(repo, got, c.Path)
		if err != nil {
			return false, err
		}
		e.Changes[i].Content = nil
		if exists {
			text := string(data)
			e.Changes[i].Content = &text
		}
	}
	s.log.Info("following a push to a pull request's branch", "location", loc.ID, "entry", e.ID, "head", got)
	e.Review.Head = got.String()
	return true, nil
}

// rebuildOutbox makes the outbox of loc again from queued, on the
// branch as fetched: a change the branch has made leaves it with its
// entry. It returns the entries still queued.
func (s *Syncer) rebuildOutbox(ctx context.Context, id string, head gitfetch.Head, queued []store.OutboxEntry) ([]store.OutboxEntry, error) {
	repo := head.Repository()
	if err := outbox.Truncate(repo, head.Branch, 0); err != nil {
		return queued, gitfetch.Corrupt(err)
	}
	var kept []store.OutboxEntry
	for _, e := range queued {
		commit, err := s.recommitEntry(ctx, id, head, e)
		if err != nil {
			return queued, err
		}
		if !commit.IsZero() {
			kept = append(kept, e)
		}
	}
	return kept, nil
}

// reviewRef is where the clone keeps the commit of an edit branch.
func reviewRef(branch string) plumbing.ReferenceName {
	return plumbing.ReferenceName("refs/callboard/review/" + branch)
}

// fetchEdit fetches the remote's edit branch into the clone and returns
// its commit.
func (s *Syncer) fetchEdit(ctx context.Context, loc store.Location, repo *git.Repository, auth transport.AuthMethod, branch string) (plumbing.Hash, error) {
	err := repo.FetchContext(ctx, &git.FetchOptions{RemoteURL: loc.URL, Auth: auth, Tags: git.NoTags,
		RefSpecs: []config.RefSpec{config.RefSpec("+" + plumbing.NewBranchReferenceName(branch) + ":" + reviewRef(branch))}})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return plumbing.ZeroHash, fmt.Errorf("fetch %s of %s: %w", branch, gitfetch.Redact(loc.URL), err)
	}
	ref, err := repo.Reference(reviewRef(branch), true)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read %s: %w", reviewRef(branch), err)
	}
	return ref.Hash(), nil
}

// openReview takes e to review, step by step, each recorded before the
// next: its edit branch named, its commit on the branch as fetched
// pushed there (never forced: a branch already there, from a run cut
// short or a reviewer, is taken as it is), and its pull request found
// by that branch or opened.
func (s *Syncer) openReview(ctx context.Context, loc store.Location, head gitfetch.Head, upstream plumbing.Hash, auth transport.AuthMethod, rv *discover.Reviews, e *store.OutboxEntry) error {
	repo := head.Repository()
	if e.Review == nil || e.Review.Branch == "" {
		title, _ := describe(repo, upstream, *e)
		e.Review = &store.OutboxReview{Branch: editBranch(*e), Forge: string(rv.Forge()), Title: title}
		if err := s.db.PutOutbox(ctx, *e); err != nil {
			return err
		}
		s.steps.Reached(StepNamed)
	}
	branch := e.Review.Branch
	if e.Review.Head == "" {
		name, email, _ := strings.Cut(strings.TrimSuffix(e.Author, ">"), " <")
		commit, err := outbox.CommitOn(repo, upstream, changesOf(e.Changes), e.Message, outbox.Author{Name: name, Email: email}, e.CreatedAt)
		if err != nil {
			return fmt.Errorf("make the commit of %s: %w", branch, err)
		}
		if err := repo.Storer.SetReference(plumbing.NewHashReference(reviewRef(branch), commit)); err != nil {
			return fmt.Errorf("keep the commit of %s: %w", branch, err)
		}
		err = repo.PushContext(ctx, &git.PushOptions{RemoteURL: loc.URL, Auth: auth,
			RefSpecs: []config.RefSpec{config.RefSpec(reviewRef(branch) + ":" + plumbing.NewBranchReferenceName(branch))}})
		if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
			// The branch may be there already, pushed by a run cut short
			// before it recorded so, on another base: take it as it is.
			got, fErr := s.fetchEdit(ctx, loc, repo, auth, branch)
			if fErr != nil {
				return fmt.Errorf("push %s to %s: %w", branch, gitfetch.Redact(loc.URL), err)
			}
			commit = got
		}
		e.Review.Head = commit.String()
		if err := s.db.PutOutbox(ctx, *e); err != nil {
			return err
		}
		s.steps.Reached(StepPushed)
	}
	pr, err := rv.FindOpen(ctx, branch)
	if err != nil {
		return err
	}
	if pr == nil {
		_, body := describe(repo, upstream, *e)
		opened, err := rv.Open(ctx, discover.NewPR{Head: branch, Base: head.Branch, Title: e.Review.Title, Body: body})
		if err != nil {
			return err
		}
		pr = &opened
	}
	s.steps.Reached(StepOpened)
	e.Review.Number, e.Review.URL, e.Review.State, e.LastError = pr.Number, pr.URL, pr.State, ""
	if pr.Head != "" {
		e.Review.Head = pr.Head
	}
	if err := s.db.PutOutbox(ctx, *e); err != nil {
		return err
	}
	s.steps.Reached(StepReviewed)
	return nil
}

// unsafeBranch is what an edit branch's name leaves out: anything but
// lower-case letters, digits, - and _ (no dots: ".." and ".lock" are
// not allowed in a branch).
var unsafeBranch = regexp.MustCompile(`[^a-z0-9_-]+`)

// editBranch names e's edit branch: callboard/edit/<entity>-<short id>,
// the entity the first entity its first file defines (the file's name
// when none), the id the start of its first commit.
func editBranch(e store.OutboxEntry) string {
	name := ""
	for _, c := range e.Changes {
		if c.Content != nil {
			if refs := refsIn([]byte(*c.Content)); len(refs) > 0 {
				name = refs[0].Name
				break
			}
		}
	}
	if name == "" && len(e.Paths) > 0 {
		name = e.Paths[0][strings.LastIndex(e.Paths[0], "/")+1:]
		name = strings.TrimSuffix(strings.TrimSuffix(name, ".yaml"), ".yml")
	}
	name = strings.Trim(unsafeBranch.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(name) > 60 {
		name = name[:60]
	}
	short := unsafeBranch.ReplaceAllString(strings.ToLower(e.Commit[:min(7, len(e.Commit))]), "")
	return "callboard/edit/" + cmp.Or(name, "change") + "-" + cmp.Or(short, "0")
}

// closedEntry returns location id's queued entries and the index of
// entryID among them, which must be a change whose pull request was
// closed.
func (s *Syncer) closedEntry(ctx context.Context, entryID string) (store.Location, []store.OutboxEntry, int, error) {
	id, _, _ := strings.Cut(entryID, "/")
	loc, err := s.location(ctx, id)
	if err != nil {
		return loc, nil, 0, err
	}
	entries, err := s.db.Outbox(ctx, id)
	if err != nil {
		return loc, nil, 0, err
	}
	var queued []store.OutboxEntry
	at := -1
	for _, e := range entries {
		if !e.Queued() {
			continue
		}
		if e.ID == entryID {
			at = len(queued)
		}
		queued = append(queued, e)
	}
	switch {
	case at < 0:
		return loc, nil, 0, fmt.Errorf("outbox entry %s: %w", entryID, ErrNotFound)
	case queued[at].State != store.StateClosed || queued[at].Review == nil:
		return loc, nil, 0, fmt.Errorf("%w: outbox entry %s has no closed pull request", ErrRefused, entryID)
	}
	return loc, queued, at, nil
}

// Discard takes back the change of outbox entry entryID, whose pull
// request was closed: the outbox is made again without it, then the
// entry goes, and the catalog shows the branch's version again. Killed
// in between, the next reconcile makes the change again (nothing is
// lost); discarding again finishes.
func (s *Syncer) Discard(ctx context.Context, entryID string) error {
	id, _, _ := strings.Cut(entryID, "/")
	defer s.lock(id)()
	s.settled.Delete(id)
	loc, queued, at, err := s.closedEntry(ctx, entryID)
	if err != nil {
		return err
	}
	head, err := gitfetch.Open(s.Clone(id), loc.Branch)
	if err != nil {
		return damaged(id, err)
	}
	if _, err := s.rebuildOutbox(ctx, id, head, append(queued[:at:at], queued[at+1:]...)); err != nil {
		return err
	}
	if err := s.db.DeleteOutbox(ctx, entryID); err != nil {
		return err
	}
	if err := s.reconcile(ctx, loc); err != nil {
		return err
	}
	s.settled.Store(id, true)
	s.log.Info("a closed pull request's change discarded", "location", id, "entry", entryID)
	s.emit.Emit(ctx, events.OutboxChanged, events.SyncResultData{LocationID: id})
	return nil
}

// Reopen reopens the closed pull request of outbox entry entryID; the
// change waits for review again.
func (s *Syncer) Reopen(ctx context.Context, entryID string) error {
	id, _, _ := strings.Cut(entryID, "/")
	defer s.lock(id)()
	loc, queued, at, err := s.closedEntry(ctx, entryID)
	if err != nil {
		return err
	}
	e := queued[at]
	rv, err := s.reviews(loc, s.reviewOf(ctx, loc))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, reviewBudget)
	defer cancel()
	pr, err := rv.Reopen(ctx, e.Review.Number)
	if err != nil {
		return err
	}
	e.State, e.Review.State, e.LastError = store.StatePending, pr.State, ""
	if err := s.db.PutOutbox(ctx, e); err != nil {
		return err
	}
	s.emit.Emit(ctx, events.OutboxChanged, events.SyncResultData{LocationID: id})
	return nil
}
