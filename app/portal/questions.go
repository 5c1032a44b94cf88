package portal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/forgemd"
	"github.com/callboard/callboard/app/questions"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/syncer"
)

// questionsArea reads the questions of every location's questions/ folder
// into the store after each sync, answers the Questions pages from a
// summary of them kept in memory, and writes asks, answers, votes and
// accepts through the outbox (questionswrite.go).
type questionsArea struct {
	db      questionStore
	files   questionFiles
	writer  questionWriter
	users   identifier
	index   questionIndexer
	log     *slog.Logger
	now     func() time.Time
	reading sync.Mutex // one location read at a time
	mu      sync.Mutex // guards byLoc and newest
	byLoc   map[string]*locQuestions
	// newest is every location's questions, newest first, made again on
	// the first list after byLoc changed (nil), so a list filters a
	// sorted slice and sorts nothing.
	newest []*QuestionSummary
}

// questionStore keeps questions, the commit they were read at and votes.
type questionStore interface {
	Locations(ctx context.Context) ([]store.Location, error)
	Location(ctx context.Context, id string) (store.Location, bool, error)
	Settings(ctx context.Context) (store.Settings, error)
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	Outbox(ctx context.Context, locationID string) ([]store.OutboxEntry, error)
	QuestionState(ctx context.Context, id string) (store.QuestionState, bool, error)
	Questions(ctx context.Context, id string) (map[string]store.Question, error)
	Question(ctx context.Context, id, slug string) (store.Question, bool, error)
	PutQuestions(ctx context.Context, id, commit string, put []store.Question, gone []string) error
	DropQuestions(ctx context.Context, id string) error
	Voted(ctx context.Context, user, post string) (bool, error)
	SetVoted(ctx context.Context, user, post string, on bool) (bool, error)
}

// questionFiles reads a location's files at the commit the catalog shows;
// an error means the location has no clone to read (yet).
type questionFiles interface {
	Files(ctx context.Context, locationID string) (catalog.Files, string, error)
}

// questionWriter commits through the outbox and settles its conflicts.
type questionWriter interface {
	ReadFile(ctx context.Context, locationID, path string) (data []byte, exists bool, commit string, err error)
	Write(ctx context.Context, locationID string, w syncer.Write) (store.OutboxEntry, error)
	Resolve(ctx context.Context, entryID string, keepMine bool) error
}

// questionIndexer keeps the search index's question documents in step.
type questionIndexer interface {
	indexQuestions(id, before, commit string, all map[string]store.Question, changed []store.Question, gone []string)
}

// locQuestions is what the lists need of one location's questions.
type locQuestions struct {
	items    map[string]QuestionSummary
	problems []QuestionProblem
}

// maxQuestions bounds how many questions of one location are read.
const maxQuestions = 100_000

// hasher is a Files that knows its blobs' hashes (gitfetch.TreeFiles):
// a question whose files' hashes did not change is not read again.
type hasher interface{ Hash(name string) string }

// refreshAll reads again the questions of every location whose commit
// moved. A location that cannot be read is left as it was; a service
// without a syncer (a read-only CLI view, some tests) reads none.
func (a *questionsArea) refreshAll(ctx context.Context) {
	if a.files == nil {
		return
	}
	locs, err := a.db.Locations(ctx)
	if err != nil {
		a.log.Warn("list locations to read questions", "err", err)
		return
	}
	for _, l := range locs {
		if err := a.refresh(ctx, l.ID); err != nil && ctx.Err() == nil {
			a.log.Debug("questions not read", "location", l.ID, "err", err)
		}
	}
}

// refresh reads location id's questions at the commit the catalog shows,
// unless they were read at it already, reading only the questions whose
// files changed. Vote conflicts are settled first (questionswrite.go).
func (a *questionsArea) refresh(ctx context.Context, id string) error {
	if a.files == nil {
		return nil
	}
	a.settleVotes(ctx, id)
	a.reading.Lock()
	defer a.reading.Unlock()
	files, commit, err := a.files.Files(ctx, id)
	if err != nil {
		return err
	}
	st, ok, err := a.db.QuestionState(ctx, id)
	if err != nil {
		return err
	}
	if ok && st.Commit == commit {
		_, err := a.loaded(ctx, id)
		return err
	}
	stored, err := a.db.Questions(ctx, id)
	if err != nil {
		return err
	}
	names, err := files.List()
	if err != nil {
		return fmt.Errorf("list the files of %s: %w", id, err)
	}
	bySlug := map[string][]string{}
	for _, n := range names {
		if k, slug, _ := questions.Classify(n); k != questions.KindNone {
			bySlug[slug] = append(bySlug[slug], n)
		}
	}
	h, _ := files.(hasher)
	var put []store.Question
	slugs := slices.Sorted(maps.Keys(bySlug))
	if found := len(slugs); found > maxQuestions {
		// Synced files are untrusted: past the bound the rest are left
		// out, and the log says so.
		for _, slug := range slugs[maxQuestions:] {
			delete(bySlug, slug)
		}
		slugs = slugs[:maxQuestions]
		a.log.Warn("questions left out", "location", id, "read", maxQuestions, "found", found)
	}
	for _, slug := range slugs {
		paths := bySlug[slug]
		var hashes map[string]string
		if h != nil {
			hashes = make(map[string]string, len(paths))
			for _, p := range paths {
				hashes[p] = h.Hash(p)
			}
			if old, ok := stored[slug]; ok && maps.Equal(old.Files, hashes) {
				continue
			}
		}
		q := readQuestion(files, slug, paths)
		q.Files = hashes
		put = append(put, q)
	}
	var gone []string
	for slug := range stored {
		if _, ok := bySlug[slug]; !ok {
			gone = append(gone, slug)
		}
	}
	if err := a.db.PutQuestions(ctx, id, commit, put, gone); err != nil {
		return err
	}
	for _, q := range put {
		q.LocationID = id
		stored[q.Slug] = q
	}
	for _, slug := range gone {
		delete(stored, slug)
	}
	a.setCache(id, stored)
	if a.index != nil {
		a.index.indexQuestions(id, st.Commit, commit, stored, put, gone)
	}
	a.log.Debug("questions read", "location", id, "commit", commit, "read", len(put), "gone", len(gone))
	return nil
}

// readQuestion reads one question folder's files; what is refused is
// kept as its problems.
func readQuestion(files catalog.Files, slug string, paths []string) store.Question {
	q := store.Question{Slug: slug}
	slices.Sort(paths)
	var answers []string
	qfile := questions.QuestionFile(slug)
	for _, p := range paths {
		if p != qfile {
			answers = append(answers, p)
		}
	}
	data, err := readBounded(files, qfile)
	var parsed questions.Question
	if err == nil {
		parsed, err = questions.ParseQuestion(qfile, data)
	}
	if err != nil {
		q.Broken = true
		q.Problems = append(q.Problems, questionProblem(qfile, err))
		return q
	}
	q.Title, q.Author, q.Date, q.Tags, q.EntityRefs = parsed.Title, parsed.Author, parsed.Date, parsed.Tags, parsed.EntityRefs
	q.Accepted, q.Votes, q.Body = parsed.Accepted, parsed.Votes, parsed.Body
	if len(answers) > questions.MaxAnswers {
		q.Problems = append(q.Problems, store.QuestionProblem{File: qfile,
			Message: fmt.Sprintf("has %d answers; the first %d are shown", len(answers), questions.MaxAnswers)})
		answers = answers[:questions.MaxAnswers]
	}
	for _, p := range answers {
		data, err := readBounded(files, p)
		var a questions.Answer
		if err == nil {
			a, err = questions.ParseAnswer(p, data)
		}
		if err != nil {
			q.Problems = append(q.Problems, questionProblem(p, err))
			continue
		}
		q.Answers = append(q.Answers, store.Answer{Name: a.Name, Author: a.Author, Date: a.Date, Votes: a.Votes, Body: a.Body})
	}
	return q
}

// readBounded reads a file no larger than a question file may be.
func readBounded(files catalog.Files, name string) ([]byte, error) {
	size, err := files.Size(name)
	if err != nil {
		return nil, err
	}
	if size > questions.MaxFileSize {
		return nil, &questions.Error{File: name, Msg: fmt.Sprintf("is %d bytes; question and answer files may have %d", size, questions.MaxFileSize)}
	}
	return files.ReadFile(name)
}

func questionProblem(file string, err error) store.QuestionProblem {
	var e *questions.Error
	if errors.As(err, &e) {
		return store.QuestionProblem{File: e.File, Line: e.Line, Field: e.Field, Message: e.Msg}
	}
	if errors.Is(err, fs.ErrNotExist) {
		return store.QuestionProblem{File: file, Message: "is missing: a question folder needs a question.md"}
	}
	return store.QuestionProblem{File: file, Message: err.Error()}
}

// setCache replaces location id's summaries.
func (a *questionsArea) setCache(id string, qs map[string]store.Question) {
	lq := &locQuestions{items: make(map[string]QuestionSummary, len(qs))}
	for _, q := range qs {
		for _, p := range q.Problems {
			lq.problems = append(lq.problems, QuestionProblem{LocationID: id, File: p.File, Line: p.Line, Field: p.Field, Message: p.Message})
		}
		if !q.Broken {
			lq.items[q.Slug] = summaryOf(id, q)
		}
	}
	slices.SortFunc(lq.problems, func(x, y QuestionProblem) int {
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line))
	})
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.byLoc == nil {
		a.byLoc = map[string]*locQuestions{}
	}
	a.byLoc[id] = lq
	a.newest = nil
}

// sorted returns every question held, newest first.
func (a *questionsArea) sorted() []*QuestionSummary {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.newest != nil {
		return a.newest
	}
	all := []*QuestionSummary{}
	for _, lq := range a.byLoc {
		for _, s := range lq.items {
			all = append(all, &s)
		}
	}
	slices.SortFunc(all, func(x, y *QuestionSummary) int { return cmp.Or(cmp.Compare(y.Date, x.Date), cmp.Compare(x.ID, y.ID)) })
	a.newest = all
	return all
}

func summaryOf(id string, q store.Question) QuestionSummary {
	return QuestionSummary{ID: id + "/" + q.Slug, LocationID: id, Slug: q.Slug, Title: q.Title, Author: q.Author,
		Date: q.Date.UTC().Format(time.RFC3339), Tags: nonNil(q.Tags), EntityRefs: nonNil(q.EntityRefs), Votes: q.Votes,
		Answers: len(q.Answers), Answered: q.Accepted != "" && slices.ContainsFunc(q.Answers, func(a store.Answer) bool { return a.Name == q.Accepted })}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// loaded returns location id's summaries, from memory, else from the
// store, else read from its clone.
func (a *questionsArea) loaded(ctx context.Context, id string) (*locQuestions, error) {
	a.mu.Lock()
	lq := a.byLoc[id]
	a.mu.Unlock()
	if lq != nil {
		return lq, nil
	}
	if _, ok, err := a.db.QuestionState(ctx, id); err != nil {
		return nil, err
	} else if !ok {
		// Nothing to read (a plugin's location, one not synced yet, a
		// service without a syncer): no questions until a sync reads them.
		if err := a.refresh(ctx, id); err != nil || a.files == nil {
			a.setCache(id, nil)
		}
	} else {
		qs, err := a.db.Questions(ctx, id)
		if err != nil {
			return nil, err
		}
		a.setCache(id, qs)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.byLoc[id], nil
}

// problemsOf lists location id's refused question and answer files.
func (a *questionsArea) problemsOf(ctx context.Context, id string) ([]QuestionProblem, error) {
	lq, err := a.loaded(ctx, id)
	if err != nil {
		return nil, err
	}
	return lq.problems, nil
}

// List answers API.Questions.
func (a *questionsArea) List(ctx context.Context, q QuestionQuery) (QuestionList, error) {
	if err := checkPage(q.Offset, q.Limit); err != nil {
		return QuestionList{}, err
	}
	if q.Filter != "" && q.Filter != "unanswered" {
		return QuestionList{}, fmt.Errorf("filter %q: want \"\" or \"unanswered\": %w", q.Filter, ErrInvalid)
	}
	limit := cmp.Or(q.Limit, 50)
	if limit > 500 {
		return QuestionList{}, fmt.Errorf("limit %d: at most 500: %w", limit, ErrInvalid)
	}
	entity := ""
	if q.Entity != "" {
		r, err := catalog.ParseRef(q.Entity, "", "")
		if err != nil {
			return QuestionList{}, fmt.Errorf("entity: %w: %w", err, ErrInvalid)
		}
		entity = r.String()
	}
	tag := strings.ToLower(q.Tag)
	locs, err := a.db.Locations(ctx)
	if err != nil {
		return QuestionList{}, err
	}
	out := QuestionList{Items: []QuestionSummary{}, Tags: []TagCount{}, Problems: []QuestionProblem{}}
	known := make(map[string]bool, len(locs))
	for _, l := range locs {
		lq, err := a.loaded(ctx, l.ID)
		if err != nil {
			return QuestionList{}, err
		}
		known[l.ID] = true
		out.Problems = append(out.Problems, lq.problems...)
	}
	tags := map[string]int{}
	for _, s := range a.sorted() {
		if !known[s.LocationID] || (q.Filter == "unanswered" && s.Answered) || (entity != "" && !slices.Contains(s.EntityRefs, entity)) {
			continue
		}
		for _, t := range s.Tags {
			tags[t]++
		}
		if tag != "" && !slices.Contains(s.Tags, tag) {
			continue
		}
		if out.Total >= q.Offset && len(out.Items) < limit {
			out.Items = append(out.Items, *s)
		}
		out.Total++
	}
	for t, n := range tags {
		out.Tags = append(out.Tags, TagCount{Tag: t, Count: n})
	}
	slices.SortFunc(out.Tags, func(x, y TagCount) int { return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Tag, y.Tag)) })
	return out, nil
}

// splitID parses a question id, <location>/<slug>.
func splitID(id string) (loc, slug string, err error) {
	loc, slug, ok := strings.Cut(id, "/")
	if !ok || loc == "" || !questions.ValidSlug(slug) {
		return "", "", fmt.Errorf("question %q: want <location>/<slug>: %w", id, ErrInvalid)
	}
	return loc, slug, nil
}

// question reads a question, reading its location's questions first if
// they never were.
func (a *questionsArea) question(ctx context.Context, id string) (store.Question, error) {
	loc, slug, err := splitID(id)
	if err != nil {
		return store.Question{}, err
	}
	if _, err := a.loaded(ctx, loc); err != nil {
		return store.Question{}, err
	}
	q, ok, err := a.db.Question(ctx, loc, slug)
	if err != nil {
		return store.Question{}, err
	}
	if !ok || q.Broken {
		return store.Question{}, fmt.Errorf("question %s: %w", id, ErrNotFound)
	}
	return q, nil
}

// Get answers API.Question.
func (a *questionsArea) Get(ctx context.Context, id string) (QuestionDetail, error) {
	q, err := a.question(ctx, id)
	if err != nil {
		return QuestionDetail{}, err
	}
	me, err := a.users.identity(ctx)
	if err != nil {
		return QuestionDetail{}, err
	}
	voter := voterOf(me)
	d := QuestionDetail{Question: summaryOf(q.LocationID, q), File: questions.QuestionFile(q.Slug), Thread: []QuestionAnswer{},
		Problems: []QuestionProblem{}, CanAccept: isAuthor(me, q.Author)}
	if d.HTML, err = forgemd.HTML(q.Body); err != nil {
		return QuestionDetail{}, err
	}
	if d.Voted, err = a.db.Voted(ctx, voter, id); err != nil {
		return QuestionDetail{}, err
	}
	for _, an := range q.Answers {
		qa := QuestionAnswer{Name: an.Name, File: questions.AnswerFile(q.Slug, an.Name), Author: an.Author,
			Date: an.Date.UTC().Format(time.RFC3339), Votes: an.Votes, Accepted: an.Name == q.Accepted}
		if qa.HTML, err = forgemd.HTML(an.Body); err != nil {
			return QuestionDetail{}, err
		}
		if qa.Voted, err = a.db.Voted(ctx, voter, id+"/"+an.Name); err != nil {
			return QuestionDetail{}, err
		}
		d.Thread = append(d.Thread, qa)
	}
	slices.SortStableFunc(d.Thread, func(x, y QuestionAnswer) int {
		if x.Accepted != y.Accepted {
			if x.Accepted {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(y.Votes, x.Votes), cmp.Compare(x.Date, y.Date), cmp.Compare(x.Name, y.Name))
	})
	for _, p := range q.Problems {
		d.Problems = append(d.Problems, QuestionProblem{LocationID: q.LocationID, File: p.File, Line: p.Line, Field: p.Field, Message: p.Message})
	}
	entries, err := a.db.Outbox(ctx, q.LocationID)
	if err != nil {
		return QuestionDetail{}, err
	}
	dir := path.Join(questions.Dir, q.Slug) + "/"
	for _, e := range entries {
		if slices.ContainsFunc(e.Paths, func(p string) bool { return strings.HasPrefix(p, dir) }) {
			d.Pending = true
		}
	}
	return d, nil
}

// voterOf names the user for the votes kept locally.
func voterOf(me Identity) string { return cmp.Or(me.UserRef, me.Email, "me") }

// isAuthor says whether the user wrote a question with that author field:
// the same User, or, for a free name, the same name or email.
func isAuthor(me Identity, author string) bool {
	if strings.HasPrefix(author, "user:") {
		return me.UserRef == author
	}
	return author != "" && (strings.EqualFold(author, me.Name) || strings.EqualFold(author, me.Email))
}
