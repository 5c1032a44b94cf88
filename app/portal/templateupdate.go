package portal

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/scaffold/treediff"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// Bounds of what an update sends for the preview: the three sides and
// the merge of a text file up to maxUpdateFile each, maxUpdatePreview in all;
// past them a file is listed without its texts.
const (
	maxUpdateFile    = 256 << 10
	maxUpdatePreview = 8 << 20
	// maxLogCommits bounds the template's commit log read for an update.
	maxLogCommits = 200
	// maxLogWalk bounds the commits walked to find them.
	maxLogWalk = 2000
)

// errNotSynced is a template location not synced yet: nothing to compare
// with until it is.
var errNotSynced = errors.New("not synced yet")

// TemplateUpdateRequest names a project made from a template (its folder,
// holding .callboard/template.json) and the commit of the template's
// repository to update it to ("" for the location's synced tip).
type TemplateUpdateRequest struct {
	Dir string `json:"dir"`
	To  string `json:"to,omitempty"`
	// Values answer the template's new questions (and those to ask
	// again); recorded answers are kept.
	Values json.RawMessage `json:"values,omitempty"`
	// Secrets are the run's secrets, asked again: never recorded.
	Secrets map[string]string `json:"secrets,omitempty"`
}

// TemplateCommit is a commit of a template's repository that changed the
// template's folder.
type TemplateCommit struct {
	Hash    string `json:"hash"`
	Subject string `json:"subject"`
	Author  string `json:"author"`
	// Date is the author's date, RFC 3339.
	Date string `json:"date"`
}

// TemplateUpdateSummary says whether a project's template moved past the
// commit the project was made (or last updated) from.
type TemplateUpdateSummary struct {
	Dir      string `json:"dir"`
	Template string `json:"template"`
	Title    string `json:"title"`
	// EntityRef is the catalog entity the project's folder holds, when
	// it is a location.
	EntityRef string `json:"entityRef,omitempty"`
	From      string `json:"from"`
	To        string `json:"to,omitempty"`
	// Available says the template changed since From.
	Available bool             `json:"available"`
	Commits   []TemplateCommit `json:"commits"`
	// MoreCommits says the log was cut at its bound.
	MoreCommits bool `json:"moreCommits,omitempty"`
	// Problem says why the update cannot be worked out (the template's
	// location is gone, its clone lacks the commit, …).
	Problem string `json:"problem,omitempty"`
	// FromBackstage says Backstage made the project (its catalog file's
	// backstage.io/source-template): no record, so the template's commit
	// is its last before the project's first commit, and the answers,
	// taken from the entity's fields, are asked once (Asked).
	FromBackstage bool `json:"fromBackstage,omitempty"`
	// Push is the project's latest template update on its way to its
	// remote, with its pull request's state as last read; nil when none
	// was pushed. An update whose pull request was merged is no longer
	// Available for its template commit, though the checkout's branch
	// has not pulled it yet.
	Push *TemplateUpdatePush `json:"push,omitempty"`
}

// TemplateQuestion is a question of the template's new version the
// recorded answers do not cover, with the answer the update uses.
type TemplateQuestion struct {
	Name     string          `json:"name"`
	Title    string          `json:"title,omitempty"`
	Required bool            `json:"required,omitempty"`
	Secret   bool            `json:"secret,omitempty"`
	Value    json.RawMessage `json:"value,omitempty"`
}

// TemplateUpdateFile is one file the template changed, what the update
// does with it (update, merge, conflict, add, remove, rename, keep) and,
// for a text file within bounds, the template's old and new render, the
// project's file and the result.
type TemplateUpdateFile struct {
	Path      string  `json:"path"`
	From      string  `json:"from,omitempty"`
	Action    string  `json:"action"`
	Why       string  `json:"why,omitempty"`
	Conflicts int     `json:"conflicts,omitempty"`
	Old       *string `json:"old,omitempty"`
	New       *string `json:"new,omitempty"`
	Current   *string `json:"current,omitempty"`
	Merged    *string `json:"merged,omitempty"`
	// Cut says the texts were left out, past the preview's bounds.
	Cut bool `json:"cut,omitempty"`
}

// TemplateUpdatePreview is what an update would do to a project.
type TemplateUpdatePreview struct {
	TemplateUpdateSummary
	Files     []TemplateUpdateFile `json:"files"`
	Conflicts int                  `json:"conflicts"`
	// Asked are the new questions; Dropped the recorded answers the new
	// template no longer asks for; AskAgain the secrets and Secret fields
	// to give again (Secrets).
	Asked    []TemplateQuestion `json:"asked"`
	Dropped  []string           `json:"dropped"`
	AskAgain []string           `json:"askAgain"`
	// Branch is the branch Apply commits on.
	Branch string `json:"branch"`
}

// TemplateUpdateApplied is an update committed on a new branch of the
// project's checkout, ready to push or to open a pull request from.
type TemplateUpdateApplied struct {
	TemplateUpdatePreview
	Commit string `json:"commit"`
}

// projectRecord is the record a real run writes into the project; nil
// (logged) when it cannot be made: the run goes on without.
func (s *templateRuns) projectRecord(ctx context.Context, t scaffold.Template, values any, secrets map[string]string) []byte {
	loc := ""
	if e, ok, err := s.db.Entity(ctx, t.Ref); err == nil && ok {
		loc = e.LocationID
	}
	rec, err := scaffold.NewRecord(t, loc, t.Home.Commit, values, secrets, s.version, time.Now())
	if err == nil {
		var b []byte
		if b, err = rec.Encode(); err == nil {
			return b
		}
	}
	s.log.Warn("record what made a project", "template", t.Ref, "err", err)
	return nil
}

// updateBase is what an update of a project starts from: its record,
// the template's location and the clone holding both commits.
type updateBase struct {
	dir    string
	record scaffold.Record
	loc    store.Location
	head   gitfetch.Head
	to     plumbing.Hash
	// backstage says Backstage made the project: the record stands in
	// (backstageRecord), its answers to confirm.
	backstage bool
}

// base reads the project's record and finds its template's location.
func (s *templateRuns) base(ctx context.Context, dir, to string) (updateBase, error) {
	if !filepath.IsAbs(dir) {
		return updateBase{}, fmt.Errorf("project %q: want an absolute path: %w", dir, ErrInvalid)
	}
	dir = filepath.Clean(dir)
	rec, err := scaffold.ReadRecord(dir)
	backstage := false
	if errors.Is(err, scaffold.ErrNoRecord) {
		if rec, err = s.backstageRecord(ctx, dir); err == nil {
			backstage = true
		} else if errors.Is(err, scaffold.ErrNoRecord) {
			return updateBase{}, fmt.Errorf("%w: %w", err, ErrNotFound)
		} else {
			return updateBase{}, err
		}
	} else if err != nil {
		return updateBase{}, fmt.Errorf("%w: %w", err, ErrInvalid)
	}
	loc, err := s.recordLocation(ctx, rec)
	if err != nil {
		return updateBase{}, err
	}
	if loc.HeadCommit == "" {
		return updateBase{}, fmt.Errorf("template location %s: %w", loc.ID, errNotSynced)
	}
	head, err := gitfetch.Open(s.clones.Clone(loc.ID), loc.Branch)
	if err != nil {
		return updateBase{}, fmt.Errorf("template location %s: %w", loc.ID, err)
	}
	b := updateBase{dir: dir, record: rec, loc: loc, head: head, to: head.Commit, backstage: backstage}
	if loc.HeadCommit != "" {
		b.to = plumbing.NewHash(loc.HeadCommit)
	}
	if to != "" {
		h, err := head.Repository().ResolveRevision(plumbing.Revision(to))
		if err != nil {
			return updateBase{}, fmt.Errorf("commit %q of the template's repository: %v: %w", to, err, ErrInvalid)
		}
		b.to = *h
	}
	return b, nil
}

// recordLocation is the location a record names, else one on the same
// repository.
func (s *templateRuns) recordLocation(ctx context.Context, rec scaffold.Record) (store.Location, error) {
	if rec.Location != "" {
		if loc, ok, err := s.db.Location(ctx, rec.Location); err != nil {
			return store.Location{}, err
		} else if ok && (rec.Repository == "" || loc.URL == rec.Repository) {
			return loc, nil
		}
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return store.Location{}, err
	}
	for _, l := range locs {
		if rec.Repository != "" && l.URL == rec.Repository && l.HeadCommit != "" {
			return l, nil
		}
	}
	return store.Location{}, fmt.Errorf("template %s: no location holds its repository %s any more: %w", rec.Template, cmp.Or(rec.Repository, rec.Location), ErrNotFound)
}

// templateAt loads the record's template from the clone at commit.
func (s *templateRuns) templateAt(ctx context.Context, b updateBase, commit plumbing.Hash) (scaffold.Template, error) {
	files, err := b.head.At(commit).Files(ctx)
	if err != nil {
		return scaffold.Template{}, fmt.Errorf("template %s at %s: %w (a shallow clone lacks old commits: deepen the location's history)", b.record.Template, shortCommit(commit.String()), err)
	}
	home := s.home(b.loc)
	home.Commit = commit.String()
	ref, err := catalog.ParseRef(b.record.Template, "template", catalog.DefaultNamespace)
	if err != nil {
		return scaffold.Template{}, fmt.Errorf("%s: template %q: %v: %w", scaffold.RecordPath, b.record.Template, err, ErrInvalid)
	}
	t, err := scaffold.Load(ctx, scaffold.Source{Files: files, File: b.record.File, Home: home}, ref.Name, catalog.Options{})
	if err != nil {
		return scaffold.Template{}, fmt.Errorf("template %s at %s: %w", b.record.Template, shortCommit(commit.String()), err)
	}
	return t, nil
}

func shortCommit(h string) string { return h[:min(len(h), 12)] }

// commitsSince lists the commits from b.to back to the record's commit
// that changed the template's folder, newest first, within the bounds.
func commitsSince(b updateBase) ([]TemplateCommit, bool, error) {
	repo := b.head.Repository()
	from := plumbing.NewHash(b.record.Commit)
	if from == b.to {
		return []TemplateCommit{}, false, nil
	}
	dir := path.Dir(b.record.File)
	iter, err := repo.Log(&git.LogOptions{From: b.to, Order: git.LogOrderCommitterTime})
	if err != nil {
		return nil, false, fmt.Errorf("read the template's history: %w", err)
	}
	defer iter.Close()
	out := []TemplateCommit{}
	more := false
	walked := 0
	stop := errors.New("stop")
	err = iter.ForEach(func(c *object.Commit) error {
		if c.Hash == from {
			return stop
		}
		if walked++; walked > maxLogWalk {
			more = true
			return stop
		}
		if !touches(c, dir) {
			return nil
		}
		if len(out) == maxLogCommits {
			more = true
			return stop
		}
		subject, _, _ := strings.Cut(c.Message, "\n")
		out = append(out, TemplateCommit{Hash: c.Hash.String(), Subject: subject, Author: c.Author.Name, Date: c.Author.When.UTC().Format(time.RFC3339)})
		return nil
	})
	if err != nil && !errors.Is(err, stop) && !errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, false, fmt.Errorf("read the template's history: %w", err)
	}
	return out, more, nil
}

// touches says whether c changed anything under dir ("." for all).
func touches(c *object.Commit, dir string) bool {
	tree, err := c.Tree()
	if err != nil {
		return true
	}
	var parentTree *object.Tree
	if c.NumParents() > 0 {
		p, err := c.Parent(0)
		if err != nil {
			return true
		}
		if parentTree, err = p.Tree(); err != nil {
			return true
		}
	}
	if dir == "." || dir == "" {
		return parentTree == nil || parentTree.Hash != tree.Hash
	}
	sub := func(t *object.Tree) plumbing.Hash {
		if t == nil {
			return plumbing.ZeroHash
		}
		e, err := t.FindEntry(dir)
		if err != nil {
			return plumbing.ZeroHash
		}
		return e.Hash
	}
	return sub(tree) != sub(parentTree)
}

// summary says whether b's template moved on.
func (s *templateRuns) summary(b updateBase) TemplateUpdateSummary {
	sum := TemplateUpdateSummary{Dir: b.dir, Template: b.record.Template, Title: b.record.Template, From: b.record.Commit, To: b.to.String(), Commits: []TemplateCommit{},
		FromBackstage: b.backstage}
	commits, more, err := commitsSince(b)
	if err != nil {
		sum.Problem = err.Error()
		return sum
	}
	sum.Commits, sum.MoreCommits, sum.Available = commits, more, len(commits) > 0
	return sum
}

// PreviewTemplateUpdate answers API.PreviewTemplateUpdate.
func (s *templateRuns) PreviewTemplateUpdate(ctx context.Context, req TemplateUpdateRequest) (TemplateUpdatePreview, error) {
	p, _, _, err := s.planUpdate(ctx, req)
	return p, err
}

// ApplyTemplateUpdate answers API.ApplyTemplateUpdate.
func (s *templateRuns) ApplyTemplateUpdate(ctx context.Context, req TemplateUpdateRequest) (TemplateUpdateApplied, error) {
	p, plan, rec, err := s.planUpdate(ctx, req)
	if err != nil {
		return TemplateUpdateApplied{}, err
	}
	msg := fmt.Sprintf("Update from template %s to %s\n\nCallboard merged the template's changes since %s:\n",
		p.Template, shortCommit(p.To), shortCommit(p.From))
	for _, c := range p.Commits {
		msg += "\n- " + c.Subject
	}
	if p.Conflicts > 0 {
		msg += fmt.Sprintf("\n\n%d conflicts are marked with <<<<<<< %s / >>>>>>> %s.", p.Conflicts, scaffold.ProjectLabel, scaffold.TemplateLabel)
	}
	ident, _ := s.users.identity(ctx)
	applied, err := scaffold.ApplyUpdate(ctx, p.Dir, plan, rec, scaffold.User{Name: ident.Name, Email: ident.Email}, msg+"\n")
	switch {
	case errors.Is(err, scaffold.ErrDirty), errors.Is(err, scaffold.ErrBranchExists):
		return TemplateUpdateApplied{}, fmt.Errorf("%w: %w", err, ErrConflict)
	case errors.Is(err, scaffold.ErrNotCheckout):
		return TemplateUpdateApplied{}, fmt.Errorf("%w: %w", err, ErrInvalid)
	case err != nil:
		return TemplateUpdateApplied{}, err
	}
	s.log.Info("template update applied", "dir", p.Dir, "template", p.Template, "to", p.To, "branch", applied.Branch, "conflicts", p.Conflicts)
	return TemplateUpdateApplied{TemplateUpdatePreview: p, Commit: applied.Commit}, nil
}

// planUpdate re-renders the template at the recorded commit with the
// recorded answers and at the new one with the answers the new form
// asks, and plans the merge into the project.
func (s *templateRuns) planUpdate(ctx context.Context, req TemplateUpdateRequest) (TemplateUpdatePreview, scaffold.Plan, scaffold.Record, error) {
	fail := func(err error) (TemplateUpdatePreview, scaffold.Plan, scaffold.Record, error) {
		return TemplateUpdatePreview{}, scaffold.Plan{}, scaffold.Record{}, err
	}
	b, err := s.base(ctx, req.Dir, req.To)
	if err != nil {
		return fail(err)
	}
	given := nunjucks.NewObject()
	if len(req.Values) > 0 && string(req.Values) != "null" {
		v, err := nunjucks.DecodeJSON(req.Values)
		o, ok := v.(*nunjucks.Object)
		if err != nil || !ok {
			return fail(fmt.Errorf("values: want an object: %w", ErrInvalid))
		}
		given = o
	}
	oldT, err := s.templateAt(ctx, b, plumbing.NewHash(b.record.Commit))
	if err != nil {
		return fail(err)
	}
	newT, err := s.templateAt(ctx, b, b.to)
	if err != nil {
		return fail(err)
	}
	oldValues, again, err := b.record.Answers()
	if err != nil {
		return fail(fmt.Errorf("%w: %w", err, ErrInvalid))
	}
	if b.backstage {
		// Answers given for a project Backstage made are what it was made
		// with: both renders take them.
		for _, k := range given.Keys() {
			v, _ := given.Get(k)
			oldValues.Set(k, v)
		}
	}
	p := TemplateUpdatePreview{TemplateUpdateSummary: s.summary(b), Files: []TemplateUpdateFile{}, Asked: []TemplateQuestion{}, Dropped: []string{},
		AskAgain: again, Branch: scaffold.UpdateBranch(b.to.String())}
	p.Title = cmp.Or(newT.Title, newT.Name)
	for name := range b.record.Secrets {
		p.AskAgain = append(p.AskAgain, name)
	}
	newValues := nunjucks.NewObject()
	questions := scaffold.Questions(newT.Parameters)
	asked := map[string]bool{}
	for _, q := range questions {
		asked[q.Name] = true
		v, ok := given.Get(q.Name)
		if !ok {
			v, ok = oldValues.Get(q.Name)
			if ok && !b.backstage {
				newValues.Set(q.Name, v)
				continue
			}
		}
		if !ok && q.Default != nil {
			v, ok = q.Default, true
		}
		tq := TemplateQuestion{Name: q.Name, Title: q.Title, Required: q.Required, Secret: q.Secret}
		if ok {
			newValues.Set(q.Name, v)
			tq.Value, _ = json.Marshal(v)
		}
		if _, had := oldValues.Get(q.Name); !had || b.backstage {
			p.Asked = append(p.Asked, tq)
		}
	}
	for _, k := range oldValues.Keys() {
		if len(questions) > 0 && !asked[k] && !b.backstage {
			p.Dropped = append(p.Dropped, k)
		}
	}
	if len(questions) == 0 {
		newValues = oldValues
	}
	for _, q := range p.Asked {
		if q.Required && q.Value == nil {
			return fail(fmt.Errorf("the template's new version asks %q (%s), which has no answer yet: %w", q.Name, cmp.Or(q.Title, q.Name), ErrInvalid))
		}
	}
	runner := s.runner(ctx)
	user := s.runUser(ctx)
	work := filepath.Join(s.dataDir, "scaffold")
	oldTree, err := runner.Render(ctx, oldT, oldValues, req.Secrets, user, work)
	if err != nil {
		return fail(fmt.Errorf("the template as it was: %w", err))
	}
	newTree, err := runner.Render(ctx, newT, newValues, req.Secrets, user, work)
	if err != nil {
		return fail(fmt.Errorf("the template as it is: %w", err))
	}
	plan, err := planIn(b.dir, oldTree, newTree)
	if err != nil {
		return fail(err)
	}
	p.Conflicts = plan.Conflicts
	budget := maxUpdatePreview
	for _, c := range plan.Files {
		f := TemplateUpdateFile{Path: c.Path, From: c.From, Action: string(c.Do), Why: c.Why, Conflicts: c.Conflicts}
		size := len(c.Old) + len(c.New) + len(c.Current) + len(c.Merged)
		if size <= 4*maxUpdateFile && size <= budget {
			budget -= size
			f.Old, f.New, f.Current, f.Merged = text(c.Old), text(c.New), text(c.Current), text(c.Merged)
		} else {
			f.Cut = true
		}
		p.Files = append(p.Files, f)
	}
	rec := b.record
	rec.Commit = b.to.String()
	rec.File = newT.File
	rec.Callboard = s.version
	if rec.Values, err = json.Marshal(recordValues(newValues, questions)); err != nil {
		return fail(err)
	}
	return p, plan, rec, nil
}

// recordValues are the answers to record: Secret fields stay "ask again".
func recordValues(values *nunjucks.Object, questions []scaffold.Question) *nunjucks.Object {
	secret := map[string]bool{}
	for _, q := range questions {
		secret[q.Name] = q.Secret
	}
	out := nunjucks.NewObject()
	for _, k := range values.Keys() {
		v, _ := values.Get(k)
		if secret[k] {
			v = map[string]any{"askAgain": true}
		}
		out.Set(k, v)
	}
	return out
}

// planIn plans the update against the project's files, confined to dir.
func planIn(dir string, old, new *treediff.Tree) (scaffold.Plan, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return scaffold.Plan{}, fmt.Errorf("open project %s: %w", dir, err)
	}
	defer root.Close()
	return scaffold.PlanUpdate(old, new, root.FS())
}

// text is b as a string for the preview; nil for nothing or binary.
func text(b []byte) *string {
	if b == nil || !utf8.Valid(b) || strings.IndexByte(string(b[:min(len(b), 8000)]), 0) >= 0 {
		return nil
	}
	s := string(b)
	return &s
}
