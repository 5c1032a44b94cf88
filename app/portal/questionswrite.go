package portal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/questions"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/outbox"
	"github.com/callboard/callboard/sync/syncer"
)

// maxQuestionBody bounds the Markdown of a question or answer written in
// the app, well under what a file may hold.
const maxQuestionBody = 64 << 10

// voteMessage starts the commit message of a vote: a conflict between
// votes only is settled by voting again on the remote's version.
const voteMessage = "Vote: "

// Ask answers API.AskQuestion.
func (a *questionsArea) Ask(ctx context.Context, nq NewQuestion) (QuestionDetail, error) {
	title := strings.TrimSpace(nq.Title)
	switch {
	case title == "" || strings.ContainsAny(title, "\r\n"):
		return QuestionDetail{}, fieldError("title", "a question needs a title of one line")
	case utf8.RuneCountInString(title) > questions.MaxTitle:
		return QuestionDetail{}, fieldError("title", fmt.Sprintf("a title has at most %d characters", questions.MaxTitle))
	case len(nq.Body) > maxQuestionBody:
		return QuestionDetail{}, fieldError("body", fmt.Sprintf("the text has at most %d bytes", maxQuestionBody))
	case len(nq.Tags) > questions.MaxTags:
		return QuestionDetail{}, fieldError("tags", fmt.Sprintf("at most %d tags", questions.MaxTags))
	case len(nq.EntityRefs) > questions.MaxEntityRefs:
		return QuestionDetail{}, fieldError("entityRefs", fmt.Sprintf("at most %d entities", questions.MaxEntityRefs))
	}
	q := questions.Question{Title: title, Body: nq.Body, Date: a.now().UTC()}
	for _, t := range nq.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || len(t) > questions.MaxName || strings.ContainsAny(t, "\r\n\t") {
			return QuestionDetail{}, fieldError("tags", fmt.Sprintf("tag %q is empty, too long or has a line break", t))
		}
		if !slices.Contains(q.Tags, t) {
			q.Tags = append(q.Tags, t)
		}
	}
	for _, s := range nq.EntityRefs {
		r, err := catalog.ParseRef(s, "", "")
		if err != nil {
			return QuestionDetail{}, fieldError("entityRefs", err.Error())
		}
		q.EntityRefs = append(q.EntityRefs, r.String())
	}
	loc, err := a.askLocation(ctx, nq.LocationID, q.EntityRefs)
	if err != nil {
		return QuestionDetail{}, err
	}
	me, err := a.users.identity(ctx)
	if err != nil {
		return QuestionDetail{}, err
	}
	q.Author = authorOf(me)
	lq, err := a.loaded(ctx, loc)
	if err != nil {
		return QuestionDetail{}, err
	}
	var taken error
	q.Slug = questions.Slug(title, func(s string) bool {
		if _, ok := lq.items[s]; ok {
			return true
		}
		_, exists, _, err := a.writer.ReadFile(ctx, loc, questions.QuestionFile(s))
		taken = cmp.Or(taken, err)
		return exists
	})
	if taken != nil {
		return QuestionDetail{}, syncError(taken)
	}
	file := questions.QuestionFile(q.Slug)
	if err := a.commit(ctx, loc, file, questions.FormatQuestion(q), "Ask: "+title); err != nil {
		return QuestionDetail{}, err
	}
	return a.Get(ctx, loc+"/"+q.Slug)
}

// askLocation is where a new question goes: the one asked for, else the
// location of its first entity, else the Q&A location of the settings,
// else the first location that holds a repository.
func (a *questionsArea) askLocation(ctx context.Context, asked string, refs []string) (string, error) {
	if asked != "" {
		if _, ok, err := a.db.Location(ctx, asked); err != nil {
			return "", err
		} else if !ok {
			return "", fmt.Errorf("location %q: %w", asked, ErrNotFound)
		}
		return asked, nil
	}
	for _, ref := range refs {
		if e, ok, err := a.db.Entity(ctx, ref); err != nil {
			return "", err
		} else if ok {
			if l, ok, err := a.db.Location(ctx, e.LocationID); err == nil && ok && writable(l) {
				return l.ID, nil
			}
		}
	}
	st, err := a.db.Settings(ctx)
	if err != nil {
		return "", err
	}
	if id := st.QuestionsLocation; id != "" {
		if l, ok, err := a.db.Location(ctx, id); err != nil {
			return "", err
		} else if ok && writable(l) {
			return id, nil
		}
		a.log.Warn("the Q&A location cannot take a question, asking in the first repository", "location", id)
	}
	locs, err := a.db.Locations(ctx)
	if err != nil {
		return "", err
	}
	for _, l := range locs {
		if writable(l) {
			return l.ID, nil
		}
	}
	return "", fmt.Errorf("no location can take a question: add a repository on the Locations page: %w", ErrInvalid)
}

// writable says whether a location is a repository the app can commit
// to now: one that has synced.
func writable(l store.Location) bool {
	return repository(l) && l.HeadCommit != ""
}

// repository says whether a location is a git repository of its own, not
// an organisation's, a Backstage location's or a plugin's.
func repository(l store.Location) bool {
	return l.Org == nil && l.Backstage == nil && !isPluginLocation(l.URL)
}

// authorOf is what a question or answer names as its author.
func authorOf(me Identity) string { return cmp.Or(me.UserRef, me.Name, me.Email, "anonymous") }

// Answer answers API.AnswerQuestion.
func (a *questionsArea) Answer(ctx context.Context, id, body string) (QuestionDetail, error) {
	switch {
	case strings.TrimSpace(body) == "":
		return QuestionDetail{}, fieldError("body", "an answer needs some text")
	case len(body) > maxQuestionBody:
		return QuestionDetail{}, fieldError("body", fmt.Sprintf("the text has at most %d bytes", maxQuestionBody))
	}
	q, err := a.question(ctx, id)
	if err != nil {
		return QuestionDetail{}, err
	}
	me, err := a.users.identity(ctx)
	if err != nil {
		return QuestionDetail{}, err
	}
	an := questions.Answer{Author: authorOf(me), Date: a.now().UTC(), Body: body}
	var taken error
	an.Name = questions.AnswerName(an.Date, an.Author, func(s string) bool {
		if slices.ContainsFunc(q.Answers, func(x store.Answer) bool { return x.Name == s }) {
			return true
		}
		_, exists, _, err := a.writer.ReadFile(ctx, q.LocationID, questions.AnswerFile(q.Slug, s))
		taken = cmp.Or(taken, err)
		return exists
	})
	if taken != nil {
		return QuestionDetail{}, syncError(taken)
	}
	if err := a.commit(ctx, q.LocationID, questions.AnswerFile(q.Slug, an.Name), questions.FormatAnswer(an), "Answer: "+q.Title); err != nil {
		return QuestionDetail{}, err
	}
	return a.Get(ctx, id)
}

// Vote answers API.VoteQuestion. The vote is kept locally first, so a
// second vote on the same post is refused even while the first is still
// in the outbox.
func (a *questionsArea) Vote(ctx context.Context, id string, v QuestionVote) (QuestionDetail, error) {
	q, err := a.question(ctx, id)
	if err != nil {
		return QuestionDetail{}, err
	}
	file, post := questions.QuestionFile(q.Slug), id
	if v.Answer != "" {
		if !slices.ContainsFunc(q.Answers, func(x store.Answer) bool { return x.Name == v.Answer }) {
			return QuestionDetail{}, fmt.Errorf("answer %q of %s: %w", v.Answer, id, ErrNotFound)
		}
		file, post = questions.AnswerFile(q.Slug, v.Answer), id+"/"+v.Answer
	}
	me, err := a.users.identity(ctx)
	if err != nil {
		return QuestionDetail{}, err
	}
	voter := voterOf(me)
	changed, err := a.db.SetVoted(ctx, voter, post, true)
	if err != nil {
		return QuestionDetail{}, err
	}
	if !changed {
		return QuestionDetail{}, fmt.Errorf("you voted on this already: %w", ErrConflict)
	}
	if err := a.vote(ctx, q.LocationID, file, q.Title); err != nil {
		if _, uErr := a.db.SetVoted(context.WithoutCancel(ctx), voter, post, false); uErr != nil {
			err = fmt.Errorf("%w (and forgetting the vote: %v)", err, uErr)
		}
		return QuestionDetail{}, err
	}
	return a.Get(ctx, id)
}

// vote adds one to the votes of file as the catalog shows it now.
func (a *questionsArea) vote(ctx context.Context, loc, file, title string) error {
	data, exists, _, err := a.writer.ReadFile(ctx, loc, file)
	if err != nil {
		return syncError(err)
	}
	if !exists {
		return fmt.Errorf("%s of %s: %w", file, loc, ErrNotFound)
	}
	voted, err := questions.Vote(file, data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return a.commit(ctx, loc, file, voted, voteMessage+title)
}

// Accept answers API.AcceptAnswer: only the question's author may.
func (a *questionsArea) Accept(ctx context.Context, id, answer string) (QuestionDetail, error) {
	q, err := a.question(ctx, id)
	if err != nil {
		return QuestionDetail{}, err
	}
	if !slices.ContainsFunc(q.Answers, func(x store.Answer) bool { return x.Name == answer }) {
		return QuestionDetail{}, fmt.Errorf("answer %q of %s: %w", answer, id, ErrNotFound)
	}
	me, err := a.users.identity(ctx)
	if err != nil {
		return QuestionDetail{}, err
	}
	if !isAuthor(me, q.Author) {
		return QuestionDetail{}, fmt.Errorf("only the question's author (%s) can accept an answer: %w", q.Author, ErrInvalid)
	}
	file := questions.QuestionFile(q.Slug)
	data, exists, _, err := a.writer.ReadFile(ctx, q.LocationID, file)
	if err != nil {
		return QuestionDetail{}, syncError(err)
	}
	if !exists {
		return QuestionDetail{}, fmt.Errorf("%s of %s: %w", file, q.LocationID, ErrNotFound)
	}
	accepted, err := questions.Accept(file, data, answer)
	if err != nil {
		return QuestionDetail{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := a.commit(ctx, q.LocationID, file, accepted, "Accept an answer: "+q.Title); err != nil {
		return QuestionDetail{}, err
	}
	return a.Get(ctx, id)
}

// commit writes one file through the outbox and reads the location's
// questions again, so the answer shows the change.
func (a *questionsArea) commit(ctx context.Context, loc, file string, data []byte, message string) error {
	_, err := a.writer.Write(ctx, loc, syncer.Write{
		Changes: []outbox.Change{{Path: file, Content: data}},
		Message: message + "\n\nWritten with Callboard's Questions.",
	})
	if err != nil {
		return fmt.Errorf("commit %s to %s: %w", file, loc, syncError(err))
	}
	return a.refresh(ctx, loc)
}

// settleVotes settles outbox conflicts made of votes only: two votes on
// the same post at once conflict on its votes line, so the remote's
// version stands and each vote is made again on top of it.
func (a *questionsArea) settleVotes(ctx context.Context, loc string) {
	entries, err := a.db.Outbox(ctx, loc)
	if err != nil {
		return
	}
	groups := map[string][]store.OutboxEntry{}
	for _, e := range entries {
		if e.State == store.StateConflict {
			groups[e.Branch] = append(groups[e.Branch], e)
		}
	}
	for _, group := range groups {
		votesOnly := !slices.ContainsFunc(group, func(e store.OutboxEntry) bool {
			return !strings.HasPrefix(e.Message, voteMessage) || len(e.Changes) != 1
		})
		if !votesOnly {
			continue
		}
		if err := a.writer.Resolve(ctx, group[0].ID, false); err != nil {
			a.log.Warn("settle a vote conflict", "entry", group[0].ID, "err", err)
			continue
		}
		for _, e := range group {
			title, _, _ := strings.Cut(strings.TrimPrefix(e.Message, voteMessage), "\n")
			if err := a.vote(ctx, loc, e.Changes[0].Path, title); err != nil && !errors.Is(err, ErrNotFound) {
				a.log.Warn("vote again after a conflict", "location", loc, "file", e.Changes[0].Path, "err", err)
			}
		}
		a.log.Info("vote conflict settled by voting again", "location", loc, "votes", len(group))
	}
}

// fieldError is ErrInvalid naming the field of the request at fault.
func fieldError(field, msg string) error {
	return &Error{Code: CodeInvalid, Message: msg, Field: field}
}
