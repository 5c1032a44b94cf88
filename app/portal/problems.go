package portal

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/listing"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
)

// Problems: what keeps the catalog from showing what its files say, read
// from what syncs already record (a location's last error, its
// processing errors and refused targets, the errors of entities kept at
// a last good version, the outbox), with the commit that last changed
// each file from the local clone.

// Bounds on the commit lookups of one call: the clone is local, but a
// file untouched for years walks the whole history.
const (
	problemLookups      = 200
	problemLookupBudget = 3 * time.Second
	// maxKept bounds the entities kept at a last good version read per call.
	maxKept = 10_000
)

// problemStore is what the problems area reads of the store; *store.DB
// is the one in use. A missing entity is ok=false, not an error.
type problemStore interface {
	Locations(ctx context.Context) ([]store.Location, error)
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	Outbox(ctx context.Context, locationID string) ([]store.OutboxEntry, error)
}

// problemUsers says who the user is, for Owner "me".
type problemUsers interface {
	identity(ctx context.Context) (Identity, error)
}

// fileHistory reads the commits that changed a file from a location's
// clone, newest first, without the network; *syncer.Syncer is the one in
// use. Errors are the syncer's (no clone yet, a path refused).
type fileHistory interface {
	History(ctx context.Context, locationID, file, ref string, limit int) (syncer.History, error)
}

// problems is the Problems area. It shares the catalog table (rows) with
// the catalog view, as the other areas reading rows do.
type problems struct {
	store   problemStore
	rows    *rows
	users   problemUsers
	history fileHistory // nil: no commits
	gate    *gate       // shared with entity history: both walk clones
	// questions lists the question and answer files refused; nil: none.
	questions questionProblemLister
	// decisions lists the decision record files refused; nil: none.
	decisions decisionProblemLister
}

// questionProblemLister lists a location's refused question and answer
// files.
type questionProblemLister interface {
	problemsOf(ctx context.Context, locationID string) ([]QuestionProblem, error)
}

// decisionProblemLister lists a location's refused decision record
// files, each with its entity.
type decisionProblemLister interface {
	problemsOf(ctx context.Context, locationID string) ([]catalog.Error, error)
}

// keptRows brings the table up to date with the store and returns the
// rows of entities kept at a last good version, at most limit.
func (p *problems) keptRows(ctx context.Context, limit int) ([]store.Row, error) {
	if err := p.rows.refresh(ctx); err != nil {
		return nil, err
	}
	return p.rows.listing.Query(listing.Query{Errors: true, Sort: "name", Limit: limit}).Rows, nil
}

func (p *problems) list(ctx context.Context, q ProblemQuery) (ProblemList, error) {
	if err := checkPage(q.Offset, q.Limit); err != nil {
		return ProblemList{}, err
	}
	if q.Limit == 0 {
		q.Limit = 100
	}
	q.Limit = min(q.Limit, 1000)
	match, err := p.matcher(ctx, q)
	if err != nil {
		return ProblemList{}, err
	}
	all, locs, err := p.gather(ctx, q.Location)
	if err != nil {
		return ProblemList{}, fmt.Errorf("list problems: %w", err)
	}
	out := ProblemList{Items: []Problem{}}
	for _, pr := range all {
		if !match(pr) {
			continue
		}
		if out.Total >= q.Offset && len(out.Items) < q.Limit {
			out.Items = append(out.Items, pr)
		}
		out.Total++
	}
	p.addCommits(ctx, out.Items)
	for i := range out.Items {
		pr := &out.Items[i]
		if pr.File != "" && !strings.Contains(pr.File, "://") {
			pr.LocalFile = localFile(locs[pr.LocationID], pr.File)
		}
	}
	return out, nil
}

// gather lists every problem of location id (of all when id is ""),
// sorted, and the locations by id.
func (p *problems) gather(ctx context.Context, id string) ([]Problem, map[string]store.Location, error) {
	all, err := p.store.Locations(ctx)
	if err != nil {
		return nil, nil, err
	}
	locs := map[string]store.Location{}
	for _, l := range all {
		if id == "" || l.ID == id {
			locs[l.ID] = l
		}
	}
	if id != "" && len(locs) == 0 {
		return nil, nil, fmt.Errorf("location %q: %w", id, ErrNotFound)
	}
	rows, err := p.keptRows(ctx, maxKept)
	if err != nil {
		return nil, nil, err
	}
	kept := map[string]bool{}
	var out []Problem
	for _, r := range rows {
		l, ok := locs[r.LocationID]
		if !ok {
			continue
		}
		kept[r.Ref] = true
		e, ok, err := p.store.Entity(ctx, r.Ref)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			continue // gone since the table was read
		}
		for _, ce := range e.Errors {
			pr := problemOf(l, ProblemEntityKept, ce)
			pr.Entity, pr.File = r.Ref, cmp.Or(ce.File, e.Source.File)
			out = append(out, pr)
		}
	}
	for _, l := range locs {
		if l.LastError != "" {
			pr := Problem{Kind: ProblemSyncFailed, LocationID: l.ID, LocationURL: gitfetch.Redact(l.URL), Message: l.LastError}
			if !l.StaleSince.IsZero() {
				pr.Since = l.StaleSince.UTC().Format(time.RFC3339)
			}
			out = append(out, pr)
		}
		refused := map[catalog.Error]bool{}
		for _, e := range l.Refused {
			refused[e] = true
		}
		for _, e := range l.Errors {
			switch {
			case refused[e]:
				out = append(out, problemOf(l, ProblemTargetRefused, e))
			case e.Entity == "":
				out = append(out, problemOf(l, ProblemFileRefused, e))
			case !kept[e.Entity]: // a kept entity's errors are listed with it
				out = append(out, problemOf(l, ProblemEntityRefused, e))
			}
		}
		if p.questions != nil {
			qps, err := p.questions.problemsOf(ctx, l.ID)
			if err != nil {
				return nil, nil, err
			}
			for _, q := range qps {
				out = append(out, problemOf(l, ProblemFileRefused, catalog.Error{File: q.File, Line: q.Line, Field: q.Field, Message: q.Message}))
			}
		}
		if p.decisions != nil {
			dps, err := p.decisions.problemsOf(ctx, l.ID)
			if err != nil {
				return nil, nil, err
			}
			for _, e := range dps {
				out = append(out, problemOf(l, ProblemFileRefused, e))
			}
		}
	}
	pushes, err := p.pushProblems(ctx, locs)
	if err != nil {
		return nil, nil, err
	}
	out = append(out, pushes...)
	for i := range out {
		p.describeEntity(&out[i])
	}
	slices.SortFunc(out, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.LocationID, b.LocationID), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Entity, b.Entity), cmp.Compare(a.Message, b.Message))
	})
	return out, locs, nil
}

func problemOf(l store.Location, kind string, e catalog.Error) Problem {
	return Problem{Kind: kind, LocationID: l.ID, LocationURL: gitfetch.Redact(l.URL), File: e.File, Line: e.Line, Column: e.Column,
		Field: e.Field, Message: e.Message, Entity: e.Entity}
}

// pushProblems are the outbox entries of locs that failed to push or
// wait on a conflict.
func (p *problems) pushProblems(ctx context.Context, locs map[string]store.Location) ([]Problem, error) {
	entries, err := p.store.Outbox(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []Problem
	for _, e := range entries {
		l, ok := locs[e.LocationID]
		if !ok || e.State != store.StateConflict && e.LastError == "" {
			continue
		}
		subject, _, _ := strings.Cut(e.Message, "\n")
		pr := Problem{Kind: ProblemPushFailed, LocationID: l.ID, LocationURL: gitfetch.Redact(l.URL), Commit: e.Commit, Author: e.Author,
			CommittedAt: e.CreatedAt.UTC().Format(time.RFC3339), Since: e.CreatedAt.UTC().Format(time.RFC3339),
			Message: fmt.Sprintf("%q is not pushed: %s", subject, e.LastError)}
		if len(e.Paths) > 0 {
			pr.File = e.Paths[0]
		}
		if e.State == store.StateConflict {
			pr.Kind = ProblemPushConflict
			pr.Message = fmt.Sprintf("%q conflicts with the remote's changes; kept on branch %s until settled", subject, e.Branch)
		}
		out = append(out, pr)
	}
	return out, nil
}

// describeEntity fills in the kind and owner of pr's entity from its row,
// or the kind from its ref when the catalog does not hold it.
func (p *problems) describeEntity(pr *Problem) {
	if pr.Entity == "" {
		return
	}
	if r, ok := p.rows.listing.Get(pr.Entity); ok {
		pr.EntityKind, pr.Owner = r.Kind, r.Owner
		return
	}
	if r, err := catalog.ParseRef(pr.Entity, "", catalog.DefaultNamespace); err == nil {
		pr.EntityKind = r.Kind
	}
}

// matcher returns whether a problem matches q.
func (p *problems) matcher(ctx context.Context, q ProblemQuery) (func(Problem) bool, error) {
	var owners map[string]bool
	switch owner := strings.TrimSpace(q.Owner); owner {
	case "":
	case "me":
		id, err := p.users.identity(ctx)
		if err != nil {
			return nil, err
		}
		owners = setOf(append([]string{id.UserRef}, id.Groups...))
	default:
		r, err := catalog.ParseRef(owner, "group", catalog.DefaultNamespace)
		if err != nil {
			return nil, fmt.Errorf("owner %q: %w: %v", owner, ErrInvalid, err)
		}
		owners = map[string]bool{r.String(): true}
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	return func(pr Problem) bool {
		switch {
		case q.Kind != "" && pr.Kind != q.Kind,
			q.EntityKind != "" && !strings.EqualFold(pr.EntityKind, q.EntityKind),
			owners != nil && (pr.Owner == "" || !owners[pr.Owner]):
			return false
		}
		return text == "" || strings.Contains(strings.ToLower(strings.Join([]string{pr.Message, pr.File, pr.Field, pr.Entity, pr.LocationID}, "\x00")), text)
	}, nil
}

// historyRef is the ref the commit lookups name: they want a file's last
// commit, not an entity's changes.
const historyRef = "location:default/callboard-problems"

// addCommits sets the last commit of each problem's file from the clone:
// one lookup per file, at most problemLookups within problemLookupBudget,
// one call at a time with entity history. What is not found in time
// stays empty.
func (p *problems) addCommits(ctx context.Context, items []Problem) {
	if p.history == nil || len(items) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, problemLookupBudget)
	defer cancel()
	leave, err := p.gate.enter(ctx)
	if err != nil {
		return
	}
	defer leave()
	type key struct{ location, file string }
	found := map[key]*syncer.Version{}
	for i := range items {
		pr := &items[i]
		if pr.Commit != "" || pr.File == "" || strings.Contains(pr.File, "://") {
			continue
		}
		k := key{pr.LocationID, pr.File}
		v, seen := found[k]
		if !seen && len(found) < problemLookups && ctx.Err() == nil {
			// A shallow clone's oldest commit need not be the one that
			// changed the file: it is not named.
			if h, err := p.history.History(ctx, pr.LocationID, pr.File, historyRef, 1); err == nil && len(h.Versions) > 0 && !h.Versions[0].Boundary {
				v = &h.Versions[0]
			}
			found[k] = v
		}
		if v == nil {
			continue
		}
		pr.Commit, pr.Author, pr.CommittedAt = v.Commit, v.Author, v.When.UTC().Format(time.RFC3339)
		if pr.Since == "" {
			pr.Since = pr.CommittedAt
		}
	}
}
