package syncer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/outbox"
)

// ErrRefused marks a write that was not committed because the catalog
// would not accept it; the error says which file, line and field.
var ErrRefused = errors.New("refused")

// Write is a change to a location's repository made through Callboard.
type Write struct {
	Changes []outbox.Change
	Message string
	// Author defaults to git's global user.name and user.email.
	Author outbox.Author
}

// lock holds location id's sync lock until the returned func is called.
func (s *Syncer) lock(id string) func() {
	mu, _ := s.inFlight.LoadOrStore(id, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	return mu.(*sync.Mutex).Unlock
}

// open returns the clone of loc at the commit the catalog shows: the
// newest outbox commit, else the branch as last fetched.
func (s *Syncer) open(loc store.Location) (gitfetch.Head, error) {
	if plugin, ok := PluginOf(loc.URL); ok {
		return gitfetch.Head{}, fmt.Errorf("%w: location %s holds the entities plugin %s provides; it has no repository to read, write or push to (change them in the plugin)", ErrRefused, loc.ID, plugin)
	}
	if loc.Org != nil {
		return gitfetch.Head{}, orgHasNoRepo(loc)
	}
	if loc.Backstage != nil {
		return gitfetch.Head{}, backstageHasNoRepo(loc)
	}
	head, err := gitfetch.Open(filepath.Join(s.clones, loc.ID), loc.Branch)
	if err != nil {
		if loc.HeadCommit == "" {
			return head, fmt.Errorf("location %s has not been synced yet: %w", loc.ID, err)
		}
		return head, err
	}
	tip, _, err := outbox.Tip(head.Repository(), head.Branch)
	if err != nil {
		return head, err
	}
	return head.At(tip), nil
}

// ReadFile returns the file at name of location id as the catalog shows
// it, or exists false.
func (s *Syncer) ReadFile(ctx context.Context, id, name string) (data []byte, exists bool, commit string, err error) {
	if err := outbox.CheckPath(name); err != nil {
		return nil, false, "", fmt.Errorf("%w: %w", ErrRefused, err)
	}
	loc, err := s.location(ctx, id)
	if err != nil {
		return nil, false, "", err
	}
	head, err := s.open(loc)
	if err != nil {
		return nil, false, "", err
	}
	data, exists, err = outbox.File(head.Repository(), head.Commit, name)
	return data, exists, head.Commit.String(), err
}

func (s *Syncer) location(ctx context.Context, id string) (store.Location, error) {
	loc, ok, err := s.db.Location(ctx, id)
	if err != nil {
		return loc, fmt.Errorf("read location %s: %w", id, err)
	}
	if !ok {
		return loc, fmt.Errorf("location %s: %w", id, ErrNotFound)
	}
	return loc, nil
}

// ErrNotFound means the location or outbox entry asked for does not exist.
var ErrNotFound = errors.New("no such location")

// defaultAuthor is git's global identity, or the login name.
func defaultAuthor() outbox.Author {
	if cfg, err := config.LoadConfig(config.GlobalScope); err == nil && cfg.User.Email != "" {
		return outbox.Author{Name: cmp.Or(cfg.User.Name, cfg.User.Email), Email: cfg.User.Email}
	}
	name := "callboard"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return outbox.Author{Name: name, Email: name + "@localhost"}
}

// push pushes the outbox of loc after a fetch, and records on its entries
// what became of them. It returns head moved to the commit the catalog
// should show. A failed push is the outbox's news, not the sync's: the
// fetch worked, so the sync goes on. Only a damaged clone is an error
// (ErrCorrupt): the caller clones again and retries.
func (s *Syncer) push(ctx context.Context, loc store.Location, head gitfetch.Head, auth transport.AuthMethod) (gitfetch.Head, error) {
	entries, err := s.db.Outbox(ctx, loc.ID)
	if err != nil {
		s.log.Warn("read the outbox", "location", loc.ID, "err", err)
	}
	var pending []store.OutboxEntry
	inReview := false
	for _, e := range entries {
		if e.State == store.StatePending {
			pending = append(pending, e)
		}
		inReview = inReview || e.Queued() && e.Review != nil
	}
	review := s.reviewOf(ctx, loc)
	how := mode(review)
	if how == store.ReviewPR || inReview {
		return s.pushReviews(ctx, loc, head, auth, review)
	}
	if how == store.ReviewDetect && len(pending) > 0 {
		if protected, known := s.askProtected(ctx, loc, review, head.Branch); known {
			how = map[bool]string{true: store.ReviewPR, false: store.ReviewDirect}[protected]
			s.detected(ctx, loc.ID, how)
			if protected {
				return s.pushReviews(ctx, loc, head, auth, review)
			}
		}
	}
	repo := head.Repository()
	res, pushErr := outbox.Push(ctx, repo, loc.URL, head.Branch, auth, s.now())
	if err := gitfetch.Corrupt(pushErr); errors.Is(err, gitfetch.ErrCorrupt) {
		return head, err
	}
	if how == store.ReviewDetect && pushErr != nil && protectedRefusal(pushErr) {
		s.detected(ctx, loc.ID, store.ReviewPR)
		return s.pushReviews(ctx, loc, head, auth, review)
	}
	if how == store.ReviewDetect && pushErr == nil && res.Clean > 0 {
		s.detected(ctx, loc.ID, store.ReviewDirect)
	}
	var update []store.OutboxEntry
	var done []string
	for i, e := range pending {
		switch {
		case i >= res.Clean && res.Conflict != nil:
			e.State, e.Branch = store.StateConflict, res.Conflict.Branch
			if i == res.Clean {
				e.Conflict = conflictOf(res.Conflict)
			}
			update = append(update, e)
		case pushErr == nil && i < res.Clean:
			done = append(done, e.ID)
		case pushErr != nil:
			e.LastError, e.LastTry = pushErr.Error(), s.now()
			update = append(update, e)
		}
	}
	if pushErr != nil {
		s.log.Warn("push the outbox", "location", loc.ID, "err", pushErr)
	}
	if err := s.db.PutOutbox(ctx, update...); err != nil {
		s.log.Warn("record the outbox", "location", loc.ID, "err", err)
	}
	if err := s.db.DeleteOutbox(ctx, done...); err != nil {
		s.log.Warn("record the outbox", "location", loc.ID, "err", err)
	}
	if len(update)+len(done) > 0 {
		s.emit.Emit(ctx, events.OutboxChanged, events.SyncResultData{LocationID: loc.ID})
	}
	tip, _, err := outbox.Tip(repo, head.Branch)
	if err != nil {
		return head, gitfetch.Corrupt(err)
	}
	return head.At(tip), nil
}

func conflictOf(c *outbox.Conflict) *store.OutboxConflict {
	text := func(b []byte) *string {
		if b == nil {
			return nil
		}
		s := string(b)
		return &s
	}
	out := &store.OutboxConflict{}
	for _, f := range c.Files {
		out.Files = append(out.Files, store.ConflictFile{Path: f.Path, Base: text(f.Base), Mine: text(f.Mine), Theirs: text(f.Theirs)})
	}
	return out
}

// recommit makes the pending outbox commits of location id again on a
// fresh clone, from the changes the store keeps, and returns head at the
// newest.
func (s *Syncer) recommit(ctx context.Context, id string, head gitfetch.Head) (gitfetch.Head, error) {
	entries, err := s.db.Outbox(ctx, id)
	if err != nil {
		return head, err
	}
	for _, e := range entries {
		if !e.Queued() {
			continue
		}
		commit, err := s.recommitEntry(ctx, id, head, e)
		if err != nil {
			return head, fmt.Errorf("on the new clone: %w", err)
		}
		if !commit.IsZero() {
			head = head.At(commit)
		}
	}
	return head, nil
}

func changesOf(fcs []store.FileChange) []outbox.Change {
	var out []outbox.Change
	for _, fc := range fcs {
		c := outbox.Change{Path: fc.Path, Delete: fc.Content == nil}
		if fc.Content != nil {
			c.Content = []byte(*fc.Content)
		}
		out = append(out, c)
	}
	return out
}

// Resolve settles the conflict of outbox entry entryID: keepMine commits
// the user's versions of its files again, on top of the remote's, for the
// next push; otherwise the remote's versions stand. Either way the
// conflicting commits stay on their branch in the clone.
func (s *Syncer) Resolve(ctx context.Context, entryID string, keepMine bool) error {
	id, _, _ := strings.Cut(entryID, "/")
	entries, err := s.db.Outbox(ctx, id)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(entries, func(e store.OutboxEntry) bool { return e.ID == entryID })
	if i < 0 {
		return fmt.Errorf("outbox entry %s: %w", entryID, ErrNotFound)
	}
	if entries[i].State != store.StateConflict {
		return fmt.Errorf("%w: outbox entry %s is not in conflict", ErrRefused, entryID)
	}
	branch := entries[i].Branch
	var group []string
	final := map[string]*string{}
	var order []string
	var messages []string
	for _, e := range entries {
		if e.State != store.StateConflict || e.Branch != branch {
			continue
		}
		group = append(group, e.ID)
		messages = append(messages, e.Message)
		for _, c := range e.Changes {
			if _, seen := final[c.Path]; !seen {
				order = append(order, c.Path)
			}
			final[c.Path] = c.Content
		}
	}
	if keepMine {
		var changes []store.FileChange
		for _, p := range order {
			changes = append(changes, store.FileChange{Path: p, Content: final[p]})
		}
		msg := messages[0]
		if len(messages) > 1 {
			msg = fmt.Sprintf("%s (and %d more)", msg, len(messages)-1)
		}
		w := Write{Changes: changesOf(changes), Message: msg + "\n\nKept over the remote's changes; the original commits are on " + branch + "."}
		if _, err := s.Write(ctx, id, w); err != nil && !errors.Is(err, outbox.ErrNoChange) {
			return err
		}
	}
	if err := s.db.DeleteOutbox(ctx, group...); err != nil {
		return err
	}
	s.emit.Emit(ctx, events.OutboxChanged, events.SyncResultData{LocationID: id})
	return nil
}

// Files returns the files of location id at the commit the catalog shows,
// read from its clone with no network.
func (s *Syncer) Files(ctx context.Context, id string) (catalog.Files, string, error) {
	loc, err := s.location(ctx, id)
	if err != nil {
		return nil, "", err
	}
	head, err := s.open(loc)
	if err != nil {
		return nil, "", err
	}
	var prev *gitfetch.TreeFiles
	if t, ok := s.trees.Load(id); ok {
		prev = t.(*gitfetch.TreeFiles)
	}
	files, err := head.FilesSince(ctx, prev)
	if err != nil {
		return nil, "", err
	}
	return files, head.Commit.String(), nil
}
