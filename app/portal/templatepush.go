package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/branchpush"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// TemplateUpdatePushRequest takes an applied template update to the
// project's remote: its checkout's folder, the update's branch ("" for
// the branch the checkout is on), and whether to open a pull request
// from it (into Base, "" for the remote's default branch).
type TemplateUpdatePushRequest struct {
	Dir         string `json:"dir"`
	Branch      string `json:"branch,omitempty"`
	PullRequest bool   `json:"pullRequest"`
	Base        string `json:"base,omitempty"`
}

// TemplateUpdatePush is a template update on its way to the project's
// remote. State is queued (not pushed yet; Cause "offline" when the
// remote could not be reached), pushed, prOpen (Review has the pull
// request's link), merged or closed (its pull request was, as last
// read at a sync) or failed (Cause: auth, nonFastForward, or "" with
// LastError saying why).
type TemplateUpdatePush struct {
	ID  string `json:"id"`
	Dir string `json:"dir"`
	// Branch is the local branch, RemoteBranch where it goes.
	Branch       string `json:"branch"`
	Commit       string `json:"commit"`
	RemoteBranch string `json:"remoteBranch"`
	// TemplateCommit is the template's commit the update brings the
	// project to.
	TemplateCommit string        `json:"templateCommit,omitempty"`
	Remote         string        `json:"remote,omitempty"`
	PullRequest    bool          `json:"pullRequest"`
	Title          string        `json:"title"`
	State          string        `json:"state"`
	Cause          string        `json:"cause,omitempty"`
	LastError      string        `json:"lastError,omitempty"`
	Review         *OutboxReview `json:"review,omitempty"`
	CreatedAt      string        `json:"createdAt"`
	LastTry        string        `json:"lastTry,omitempty"`
}

// branchPusher takes a branch of the user's checkout to its origin and
// reads the state of the pull request opened from it. Errors wrap
// branchpush.ErrAuth, ErrMoved or ErrOffline when they are one of those.
type branchPusher interface {
	PushBranch(ctx context.Context, b branchpush.Request) (branchpush.Result, error)
	BranchPullRequest(ctx context.Context, dir string, forge remote.Forge, number int) (discover.PR, error)
}

// branchPushStore keeps the branch pushes waiting or done.
type branchPushStore interface {
	PutBranchPush(ctx context.Context, b store.BranchPush) error
	BranchPushes(ctx context.Context) ([]store.BranchPush, error)
}

// updatePushes takes applied template updates to their projects'
// remotes, through the outbox: tried at once, and again at each sync
// until they land.
type updatePushes struct {
	db        branchPushStore
	pusher    branchPusher
	locations interface {
		Locations(ctx context.Context) ([]store.Location, error)
	}
	events publisher
	log    *slog.Logger
	now    func() time.Time
	// settled tells of a pull request merged or closed; nil: nobody.
	settled func(ctx context.Context, b store.BranchPush)
}

// PushTemplateUpdate answers API.PushTemplateUpdate.
func (s *updatePushes) PushTemplateUpdate(ctx context.Context, req TemplateUpdatePushRequest) (TemplateUpdatePush, error) {
	if s.pusher == nil {
		return TemplateUpdatePush{}, fmt.Errorf("this instance cannot push template updates: %w", ErrInvalid)
	}
	rec, err := s.queue(ctx, req)
	if err != nil {
		return TemplateUpdatePush{}, err
	}
	rec = s.try(ctx, rec)
	return updatePushDTO(rec), nil
}

// TemplateUpdatePushes answers API.TemplateUpdatePushes.
func (s *updatePushes) TemplateUpdatePushes(ctx context.Context, dir string) ([]TemplateUpdatePush, error) {
	out := []TemplateUpdatePush{}
	all, err := s.db.BranchPushes(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range all {
		if dir == "" || b.Dir == filepath.Clean(dir) {
			out = append(out, updatePushDTO(b))
		}
	}
	return out, nil
}

// Retry tries again every push not landed, but those refused because
// the remote branch moved: replacing it is the user's call; and reads
// again the state of each pull request open, as the outbox does its
// own at each sync. Sync calls it.
func (s *updatePushes) Retry(ctx context.Context) {
	if s.pusher == nil {
		return
	}
	all, err := s.db.BranchPushes(ctx)
	if err != nil {
		s.log.Warn("read the template updates waiting to push", "err", err)
		return
	}
	for _, b := range all {
		switch {
		case b.State == store.BranchQueued || b.State == store.BranchFailed && b.Cause != "nonFastForward":
			s.try(ctx, b)
		case b.State == store.BranchPROpen && b.Review != nil && b.Review.Number > 0:
			s.follow(ctx, b)
		}
	}
}

// follow reads rec's pull request and records its state: merged or
// closed ends the push, open or changes requested keep it open. A
// failed read keeps the state and says why.
func (s *updatePushes) follow(ctx context.Context, rec store.BranchPush) {
	pr, err := s.pusher.BranchPullRequest(ctx, rec.Dir, remote.Forge(rec.Forge), rec.Review.Number)
	before := rec
	review := *rec.Review
	rec.Review = &review
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		rec.Cause, rec.LastError = branchpush.Cause(err), err.Error()
		s.log.Warn("read a template update's pull request", "dir", rec.Dir, "number", review.Number, "cause", rec.Cause, "err", err)
	} else {
		rec.Cause, rec.LastError, review.State = "", "", pr.State
		if pr.Head != "" {
			review.Head = pr.Head
		}
		switch pr.State {
		case discover.PRMerged:
			rec.State = store.BranchMerged
		case discover.PRClosed:
			rec.State = store.BranchClosed
		}
	}
	if rec.State == before.State && rec.LastError == before.LastError && review == *before.Review {
		return
	}
	rec.LastTry = s.now().UTC()
	if err := s.db.PutBranchPush(ctx, rec); err != nil {
		s.log.Warn("record a template update's pull request", "dir", rec.Dir, "err", err)
		return
	}
	if rec.State != before.State {
		s.log.Info("template update's pull request settled", "dir", rec.Dir, "number", review.Number, "state", rec.State)
		if s.settled != nil {
			s.settled(ctx, rec)
		}
	}
	s.events.emit(ctx, events.OutboxChanged, events.SyncResultData{})
}

// queue records the push req asks for, in place of an earlier push of
// the same project to the same remote branch (whose lease and pull
// request it keeps).
func (s *updatePushes) queue(ctx context.Context, req TemplateUpdatePushRequest) (store.BranchPush, error) {
	if !filepath.IsAbs(req.Dir) {
		return store.BranchPush{}, fmt.Errorf("project %q: want an absolute path: %w", req.Dir, ErrInvalid)
	}
	dir := filepath.Clean(req.Dir)
	u, err := scaffold.ReadUpdate(dir, req.Branch)
	switch {
	case errors.Is(err, scaffold.ErrNoBranch):
		return store.BranchPush{}, fmt.Errorf("%w: %w", err, ErrNotFound)
	case errors.Is(err, scaffold.ErrNotCheckout), errors.Is(err, scaffold.ErrNotUpdate):
		return store.BranchPush{}, fmt.Errorf("%w: %w", err, ErrInvalid)
	case err != nil:
		return store.BranchPush{}, err
	}
	remoteBranch := u.RemoteBranch
	sum := sha256.Sum256([]byte(dir + "\x00" + remoteBranch))
	rec := store.BranchPush{ID: hex.EncodeToString(sum[:8]), Dir: dir, RemoteBranch: remoteBranch, CreatedAt: s.now().UTC()}
	all, err := s.db.BranchPushes(ctx)
	if err != nil {
		return store.BranchPush{}, err
	}
	for _, b := range all {
		if b.ID == rec.ID {
			rec = b
		}
	}
	rec.Branch, rec.Commit, rec.TemplateCommit, rec.PullRequest, rec.Base = u.Branch, u.Commit, u.To, req.PullRequest, req.Base
	rec.Title, rec.Body, rec.State, rec.Cause, rec.LastError = u.Title, u.Body, store.BranchQueued, "", ""
	rec.Forge = s.forgeOf(ctx, dir)
	if err := s.db.PutBranchPush(ctx, rec); err != nil {
		return store.BranchPush{}, err
	}
	return rec, nil
}

// forgeOf is the kind of forge of the checkout's origin when its host is
// one Callboard knows by name, else the forge a location on that host
// was given (a GitHub Enterprise, a self-managed GitLab or Gitea).
func (s *updatePushes) forgeOf(ctx context.Context, dir string) string {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return ""
	}
	origin, err := repo.Remote("origin")
	if err != nil || len(origin.Config().URLs) == 0 || s.locations == nil {
		return ""
	}
	host, ok := gitfetch.Host(origin.Config().URLs[0])
	if !ok {
		return ""
	}
	if t, err := remote.Parse("https://" + host + "/x"); err == nil && t.Forge != remote.Plain && t.Forge != "" {
		return ""
	}
	locs, err := s.locations.Locations(ctx)
	if err != nil {
		return ""
	}
	for _, l := range locs {
		if h, ok := gitfetch.Host(l.URL); ok && h == host && l.Review.Forge != "" {
			return l.Review.Forge
		}
	}
	return ""
}

// try pushes rec once and records how it went.
func (s *updatePushes) try(ctx context.Context, rec store.BranchPush) store.BranchPush {
	b := branchpush.Request{Dir: rec.Dir, Branch: rec.Branch, RemoteBranch: rec.RemoteBranch, Lease: rec.Pushed}
	if rec.PullRequest {
		b.PullRequest = &branchpush.PullRequest{Title: rec.Title, Body: rec.Body, Base: rec.Base, Forge: remote.Forge(rec.Forge)}
	}
	got, err := s.pusher.PushBranch(ctx, b)
	rec.LastTry, rec.Remote = s.now().UTC(), got.Remote
	if got.Commit != "" {
		rec.Pushed = got.Commit
	}
	if got.PR != nil {
		rec.Review = &store.OutboxReview{Branch: rec.RemoteBranch, Number: got.PR.Number, URL: got.PR.URL, State: got.PR.State, Head: got.PR.Head}
	}
	rec.Cause, rec.LastError = branchpush.Cause(err), ""
	switch {
	case errors.Is(err, branchpush.ErrOffline):
		rec.State, rec.LastError = store.BranchQueued, err.Error()
	case err != nil:
		rec.State, rec.LastError = store.BranchFailed, err.Error()
	case got.PR != nil:
		rec.State = store.BranchPROpen
	default:
		rec.State = store.BranchPushed
	}
	if err != nil {
		s.log.Warn("push a template update", "dir", rec.Dir, "branch", rec.Branch, "cause", rec.Cause, "err", err)
	} else {
		s.log.Info("template update pushed", "dir", rec.Dir, "branch", rec.RemoteBranch, "state", rec.State)
	}
	if err := s.db.PutBranchPush(ctx, rec); err != nil {
		s.log.Warn("record a template update's push", "dir", rec.Dir, "err", err)
	}
	s.events.emit(ctx, events.OutboxChanged, events.SyncResultData{})
	return rec
}

func updatePushDTO(b store.BranchPush) TemplateUpdatePush {
	dto := TemplateUpdatePush{ID: b.ID, Dir: b.Dir, Branch: b.Branch, Commit: b.Commit, RemoteBranch: b.RemoteBranch, TemplateCommit: b.TemplateCommit, Remote: b.Remote,
		PullRequest: b.PullRequest, Title: b.Title, State: b.State, Cause: b.Cause, LastError: b.LastError,
		Review: reviewDTO(b.Review), CreatedAt: b.CreatedAt.UTC().Format(time.RFC3339)}
	if !b.LastTry.IsZero() {
		dto.LastTry = b.LastTry.UTC().Format(time.RFC3339)
	}
	return dto
}

// branchPushEntries are the template updates' pushes as the outbox
// lists them: those not landed, and those landed in the last week.
func branchPushEntries(ctx context.Context, db branchPushStore, now time.Time) ([]OutboxEntry, error) {
	if db == nil {
		return nil, nil
	}
	all, err := db.BranchPushes(ctx)
	if err != nil {
		return nil, err
	}
	var out []OutboxEntry
	for _, b := range all {
		landed := b.State == store.BranchPushed || b.State == store.BranchPROpen || b.State == store.BranchMerged || b.State == store.BranchClosed
		if landed && now.Sub(b.LastTry) > 7*24*time.Hour {
			continue
		}
		d := updatePushDTO(b)
		out = append(out, OutboxEntry{ID: "push:" + b.ID, Kind: "branchPush", Commit: b.Commit, Message: b.Title, Paths: []string{b.Dir},
			CreatedAt: d.CreatedAt, State: b.State, Cause: b.Cause, LastError: b.LastError, LastTry: d.LastTry, Branch: b.RemoteBranch, Review: d.Review})
	}
	return out, nil
}
