package portal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/notify"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
)

// The watch follows the bus and raises each kind of notification where
// its event tells of it: sync:error (a failed sync), sync:done (new
// problems, template updates), outbox:changed (conflicts, pull requests
// merged or closed), scaffold:done (a template run ended) and
// facts:changed (red CI). It polls nothing: each kind is worked out
// only when its event comes and its switch is on.

const (
	// offlineAfter is how long a location may go without a successful
	// sync before it is told as offline.
	offlineAfter = 24 * time.Hour
	// maxFactRefs bounds the entities one facts:changed looks at.
	maxFactRefs = 10_000
	// ciPlugin and ciFact name the fact red CI is read from.
	ciPlugin = "ci"
	ciFact   = "defaultBranchLastRunPassed"
)

// watch raises notifications from the bus from now on, and shows them
// on the desktop through n when it is not nil, until the workers stop.
func (a *alerts) watch(n notify.Notifier) error {
	if a.bus == nil {
		return errors.New("watch for notifications: the service follows no event bus")
	}
	if n != nil {
		a.centre.desktop.Store(&n)
	}
	ch, cancel := a.bus.Subscribe()
	err := a.workers.Go("notifications", func(ctx context.Context) {
		defer cancel()
		if err := a.baseline(ctx); err != nil {
			a.log.Warn("read the problems to notify new ones", "err", err)
		}
		if err := a.baselineReviews(ctx); err != nil {
			a.log.Warn("read the outbox to notify pull requests", "err", err)
		}
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-ch:
				if err := a.handle(ctx, ev); err != nil && ctx.Err() == nil {
					a.log.Warn("raise a notification", "event", ev.Name, "err", err)
				}
			}
		}
	})
	if err != nil {
		cancel()
	}
	return err
}

// handle raises the notifications ev tells of.
func (a *alerts) handle(ctx context.Context, ev events.Event) error {
	switch d := ev.Data.(type) {
	case events.SyncResultData:
		switch ev.Name {
		case events.SyncDone:
			return errors.Join(a.afterSync(ctx, d.LocationID, d.Commit), a.templateUpdates(ctx))
		case events.SyncError:
			return a.syncFailed(ctx, d.LocationID)
		case events.OutboxChanged:
			if d.LocationID == "" {
				// A template update's push: its pull request is followed
				// by branchReviewSettled, and no location's outbox moved.
				return nil
			}
			return a.outboxChanged(ctx, d.LocationID)
		}
	case ScaffoldRun:
		return a.runEnded(ctx, d)
	case FactsChange:
		return a.factsChanged(ctx, d.Refs)
	}
	return nil
}

// syncFailed tells that location id's sync failed, once an episode (the
// location's StaleSince, or its never having synced), and once more
// when it has not synced for offlineAfter.
func (a *alerts) syncFailed(ctx context.Context, id string) error {
	if on, err := a.centre.on(ctx, NotifySyncFailed); err != nil || !on {
		return err
	}
	loc, ok, err := a.db.Location(ctx, id)
	if err != nil || !ok {
		return err
	}
	episode := "never synced"
	if !loc.StaleSince.IsZero() {
		episode = loc.StaleSince.UTC().Format(time.RFC3339Nano)
	}
	link := "/problems?location=" + url.QueryEscape(id)
	n := notice{kind: NotifySyncFailed, key: id + "\x00" + episode, title: "Sync of " + id + " failed", body: loc.LastError, link: link}
	if err := a.centre.raise(ctx, n); err != nil {
		return err
	}
	if loc.LastSuccess.IsZero() || a.centre.now().Sub(loc.LastSuccess) < offlineAfter {
		return nil
	}
	days := int(a.centre.now().Sub(loc.LastSuccess) / (24 * time.Hour))
	return a.centre.raise(ctx, notice{kind: NotifySyncFailed, key: id + "\x00offline\x00" + episode,
		title: fmt.Sprintf("%s has not synced for %s", id, plural(days, "day")), body: loc.LastError, link: link})
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// baselineReviews notes every location's entries with a pull request,
// so a later outbox change tells which were merged or closed.
func (a *alerts) baselineReviews(ctx context.Context) error {
	all, err := a.db.Outbox(ctx, "")
	if err != nil {
		return err
	}
	reviews := map[string]map[string]store.OutboxEntry{}
	for _, e := range all {
		if hasReview(e) {
			if reviews[e.LocationID] == nil {
				reviews[e.LocationID] = map[string]store.OutboxEntry{}
			}
			reviews[e.LocationID][e.ID] = e
		}
	}
	a.mu.Lock()
	a.reviews = reviews
	a.mu.Unlock()
	return nil
}

func hasReview(e store.OutboxEntry) bool { return e.Review != nil && e.Review.Number > 0 }

// outboxChanged tells of location id's outbox: each entry in conflict,
// and each pull request merged (its entry left the outbox while open:
// the branch has its change) or closed since the last look.
func (a *alerts) outboxChanged(ctx context.Context, id string) error {
	entries, err := a.db.Outbox(ctx, id)
	if err != nil {
		return err
	}
	now := map[string]store.OutboxEntry{}
	var conflicts, settled []notice
	for _, e := range entries {
		if e.State == store.StateConflict {
			conflicts = append(conflicts, notice{kind: NotifyOutboxConflict, key: e.ID,
				title: "A change conflicts with the remote in " + id,
				body:  fmt.Sprintf("%q is kept on branch %s until you settle it", firstLine(e.Message), e.Branch),
				link:  "/problems?kind=" + ProblemPushConflict + "&location=" + url.QueryEscape(id)})
		}
		if hasReview(e) {
			now[e.ID] = e
		}
	}
	a.mu.Lock()
	before := a.reviews[id]
	if a.reviews == nil {
		a.reviews = map[string]map[string]store.OutboxEntry{}
	}
	a.reviews[id] = now
	a.mu.Unlock()
	for eid, was := range before {
		if was.State == store.StateClosed {
			continue
		}
		is, kept := now[eid]
		switch {
		case !kept || is.Review.State == store.ReviewMerged:
			settled = append(settled, reviewNotice(was, store.ReviewMerged))
		case is.State == store.StateClosed:
			settled = append(settled, reviewNotice(is, store.ReviewClosed))
		}
	}
	var errs []error
	for kind, ns := range map[NotificationKind][]notice{NotifyOutboxConflict: conflicts, NotifyPullRequest: settled} {
		if len(ns) == 0 {
			continue
		}
		on, err := a.centre.on(ctx, kind)
		if err != nil || !on {
			errs = append(errs, err)
			continue
		}
		for _, n := range ns {
			errs = append(errs, a.centre.raise(ctx, n))
		}
	}
	return errors.Join(errs...)
}

// reviewNotice tells that e's pull request was merged or closed.
func reviewNotice(e store.OutboxEntry, state string) notice {
	title := "Pull request #%d merged"
	if state == store.ReviewClosed {
		title = "Pull request #%d closed unmerged"
	}
	subject := firstLine(e.Message)
	if e.Review.Title != "" {
		subject = e.Review.Title
	}
	body := fmt.Sprintf("%q in %s", subject, e.LocationID)
	if e.Review.URL != "" {
		body += "\n" + e.Review.URL
	}
	return notice{kind: NotifyPullRequest, key: fmt.Sprintf("%s\x00%d\x00%s", e.LocationID, e.Review.Number, state),
		title: fmt.Sprintf(title, e.Review.Number), body: body, link: "/"}
}

// branchReviewSettled tells that the pull request of a template
// update's push was merged or closed, as reviewNotice does an edit's.
func (a *alerts) branchReviewSettled(ctx context.Context, b store.BranchPush) {
	if b.Review == nil || b.State != store.BranchMerged && b.State != store.BranchClosed {
		return
	}
	on, err := a.centre.on(ctx, NotifyPullRequest)
	if err != nil || !on {
		return
	}
	title := "Pull request #%d merged"
	if b.State == store.BranchClosed {
		title = "Pull request #%d closed unmerged"
	}
	body := fmt.Sprintf("%q in %s", b.Title, b.Dir)
	if b.Review.URL != "" {
		body += "\n" + b.Review.URL
	}
	n := notice{kind: NotifyPullRequest, key: fmt.Sprintf("push:%s\x00%d\x00%s", b.ID, b.Review.Number, b.State),
		title: fmt.Sprintf(title, b.Review.Number), body: body, link: updateLinkOf(b.Dir)}
	if err := a.centre.raise(ctx, n); err != nil && ctx.Err() == nil {
		a.log.Warn("raise a notification", "kind", NotifyPullRequest, "err", err)
	}
}

// updateLinkOf is the route of the template update page of a project.
func updateLinkOf(dir string) string { return "/create/update?" + url.Values{"dir": {dir}}.Encode() }

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// runEnded tells that a template run ended; a dry run is the workbench's
// and not told.
func (a *alerts) runEnded(ctx context.Context, run ScaffoldRun) error {
	if run.DryRun {
		return nil
	}
	if on, err := a.centre.on(ctx, NotifyTemplateRun); err != nil || !on {
		return err
	}
	title := cmp.Or(run.Title, run.Template)
	n := notice{kind: NotifyTemplateRun, key: run.ID, link: "/create/runs/" + url.PathEscape(run.ID), body: run.Error}
	switch scaffold.Status(run.Status) {
	case scaffold.Completed:
		n.title = "Template run finished: " + title
		if run.Target != "" {
			n.body = run.Target
		}
	case scaffold.Cancelled:
		n.title = "Template run cancelled: " + title
	default:
		n.title = "Template run failed: " + title
	}
	return a.centre.raise(ctx, n)
}

// factsChanged tells of each entity of refs the user owns whose last
// run on the default branch failed, once until it passes again.
func (a *alerts) factsChanged(ctx context.Context, refs []string) error {
	if on, err := a.centre.on(ctx, NotifyCIFailed); err != nil || !on {
		return err
	}
	me, err := a.users.identity(ctx)
	if err != nil || me.UserRef == "" {
		return err
	}
	mine := setOf(append([]string{me.UserRef}, me.Groups...))
	var errs []error
	for _, ref := range refs[:min(len(refs), maxFactRefs)] {
		owner := a.owner(ref)
		if owner == "" || !mine[owner] {
			continue
		}
		passed, known, err := a.ciPassed(ctx, ref)
		switch {
		case err != nil:
			errs = append(errs, err)
		case !known:
		case passed:
			errs = append(errs, a.centre.forget(ctx, NotifyCIFailed, ref))
		default:
			errs = append(errs, a.centre.raise(ctx, notice{kind: NotifyCIFailed, key: ref,
				title: "CI failed on " + refName(ref), body: "The last run on the default branch failed.", link: entityRoute(ref)}))
		}
	}
	return errors.Join(errs...)
}

// ciPassed reads the ci plugin's defaultBranchLastRunPassed of ref.
func (a *alerts) ciPassed(ctx context.Context, ref string) (passed, known bool, err error) {
	reports, err := a.db.Facts(ctx, ref)
	if err != nil {
		return false, false, err
	}
	for _, r := range reports {
		if r.Plugin != ciPlugin {
			continue
		}
		for _, f := range r.Facts {
			if v, ok := f.Value.(bool); ok && f.Name == ciFact {
				return v, true, nil
			}
		}
	}
	return false, false, nil
}

// entityRoute is the app route of an entity's page.
func entityRoute(ref string) string {
	r, err := catalog.ParseRef(ref, "component", catalog.DefaultNamespace)
	if err != nil {
		return "/catalog"
	}
	return "/catalog/" + url.PathEscape(r.Kind) + "/" + url.PathEscape(r.Namespace) + "/" + url.PathEscape(r.Name)
}

func refName(ref string) string {
	if r, err := catalog.ParseRef(ref, "component", catalog.DefaultNamespace); err == nil {
		return r.Name
	}
	return ref
}

// templateUpdates tells of each project whose template moved on, once
// for each template commit it moved to.
func (a *alerts) templateUpdates(ctx context.Context) error {
	if on, err := a.centre.on(ctx, NotifyTemplateUpdate); err != nil || !on || a.updates == nil {
		return err
	}
	all, err := a.updates.TemplateUpdates(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, u := range all {
		if !u.Available || u.To == "" {
			continue
		}
		link := "/create/update?dir=" + url.QueryEscape(u.Dir)
		name := cmp.Or(u.EntityRef, u.Dir)
		errs = append(errs, a.centre.raise(ctx, notice{kind: NotifyTemplateUpdate, key: u.Dir + "\x00" + u.To,
			title: "Template update for " + name, body: fmt.Sprintf("%s moved on: %s", cmp.Or(u.Title, u.Template), plural(len(u.Commits), "commit")), link: link}))
	}
	return errors.Join(errs...)
}
