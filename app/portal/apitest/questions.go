package apitest

import (
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

// The questions the test organisation's repository holds: one answered
// about payments, one open, and a broken file.
const (
	keysID   = "/rotate-keys"
	deployID = "/deploy-friday"
)

func questionFiles() map[string][]byte {
	return map[string][]byte{
		"questions/rotate-keys/question.md": []byte("---\ntitle: How do I rotate the payments keys?\nauthor: " + userRef +
			"\ndate: 2026-05-01\ntags: [security, payments]\nentityRefs: [component:payments]\naccepted: 2026-05-02-bob.md\nvotes: 2\n---\n\nEvery **quarter**? <script>alert(1)</script>\n"),
		"questions/rotate-keys/answers/2026-05-02-bob.md":   []byte("---\nauthor: Bob\ndate: 2026-05-02\nvotes: 1\n---\nUse the vault.\n"),
		"questions/rotate-keys/answers/2026-05-03-carol.md": []byte("---\nauthor: Carol\ndate: 2026-05-03\nvotes: 5\n---\nAsk SRE.\n"),
		"questions/rotate-keys/answers/2026-05-04-dan.md":   []byte("---\nauthor: Dan\ndate: 2026-05-04\nvotes: 5\n---\nOr the runbook.\n"),
		"questions/deploy-friday/question.md":               []byte("---\ntitle: Can we deploy on Fridays?\nauthor: Zed\ndate: 2026-06-01T12:00:00Z\ntags: [process]\n---\nAsking for a friend.\n"),
		"questions/broken/question.md":                      []byte("---\ntitle: Broken\nauthor: Zed\ndate: 2026-06-01\nvotes: many\n---\n"),
	}
}

// qaOrg is the test organisation with its questions, registered from a
// bare repository the app can push to.
type qaOrg struct {
	*org
	remote string
}

// withQuestions opens an instance with the test organisation and its
// questions registered and synced.
func (s *suite) withQuestions(t *testing.T) qaOrg {
	t.Helper()
	repo := gittest.New(t)
	repo.Commit("Add the organisation", orgFiles())
	repo.Commit("Describe payments", map[string][]byte{"services.yaml": []byte(servicesYAML("Takes card payments and refunds."))})
	repo.Commit("Ask", questionFiles())
	remote := repo.Bare()
	f := s.fresh(t)
	loc, err := f.API.AddLocation(t.Context(), portal.NewLocation{URL: remote})
	must(t, "add the organisation", err)
	_, err = f.API.Sync(t.Context(), loc.ID)
	must(t, "sync the organisation", err)
	f.Settle(t)
	return qaOrg{org: &org{Fixture: f, repo: repo, loc: loc}, remote: remote}
}

// remoteFile is a file of the remote's main branch.
func (o qaOrg) remoteFile(t *testing.T, name string) string {
	return gittest.Git(t, o.remote, "show", "main:"+name)
}

func idsOf(items []portal.QuestionSummary) []string {
	out := []string{}
	for _, q := range items {
		out = append(out, q.ID)
	}
	return out
}

func testQuestions(t *testing.T, s *suite) {
	o := s.withQuestions(t)
	ctx := t.Context()
	keys, deploy := o.loc.ID+keysID, o.loc.ID+deployID
	all, err := o.API.Questions(ctx, portal.QuestionQuery{})
	must(t, "Questions", err)
	lists(t, o.Fixture, "Questions", all)
	if !slices.Equal(idsOf(all.Items), []string{deploy, keys}) || all.Total != 2 {
		t.Errorf("questions = %v (total %d), want the newest first: %s, %s", idsOf(all.Items), all.Total, deploy, keys)
	}
	if len(all.Problems) != 1 || all.Problems[0].File != "questions/broken/question.md" || all.Problems[0].Line != 5 || all.Problems[0].Field != "votes" {
		t.Errorf("problems = %+v, want broken/question.md:5 votes", all.Problems)
	}
	if k := all.Items[1]; k.Title != "How do I rotate the payments keys?" || k.Author != userRef || !k.Answered || k.Answers != 3 || k.Votes != 2 ||
		!slices.Equal(k.EntityRefs, []string{paymentsRef}) || k.Date != "2026-05-01T00:00:00Z" {
		t.Errorf("rotate-keys = %+v", k)
	}
	for _, tc := range []struct {
		name string
		q    portal.QuestionQuery
		want []string
	}{
		{"unanswered", portal.QuestionQuery{Filter: "unanswered"}, []string{deploy}},
		{"by tag", portal.QuestionQuery{Tag: "Security"}, []string{keys}},
		{"by entity", portal.QuestionQuery{Entity: "component:payments"}, []string{keys}},
		{"a page", portal.QuestionQuery{Offset: 1, Limit: 1}, []string{keys}},
		{"past the end", portal.QuestionQuery{Offset: 5}, []string{}},
	} {
		got, err := o.API.Questions(ctx, tc.q)
		must(t, "Questions "+tc.name, err)
		if !slices.Equal(idsOf(got.Items), tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, idsOf(got.Items), tc.want)
		}
	}
	if got, _ := o.API.Questions(ctx, portal.QuestionQuery{}); len(got.Tags) != 3 || got.Tags[0].Count != 1 {
		t.Errorf("tags = %+v", got.Tags)
	}
	probs, err := o.API.Problems(ctx, portal.ProblemQuery{})
	must(t, "Problems", err)
	if !slices.ContainsFunc(probs.Items, func(p portal.Problem) bool {
		return p.Kind == portal.ProblemFileRefused && p.File == "questions/broken/question.md" && p.Line == 5 && p.Field == "votes"
	}) {
		t.Errorf("the Problems page lacks the refused question file: %+v", probs.Items)
	}
	for _, q := range []portal.QuestionQuery{{Filter: "old"}, {Entity: "payments"}, {Limit: 501}, {Offset: -1}} {
		_, err := o.API.Questions(ctx, q)
		wantErr(t, "Questions of a bad query", err, portal.ErrInvalid)
	}
}

func testQuestion(t *testing.T, s *suite) {
	o := s.withQuestions(t)
	ctx := t.Context()
	d, err := o.API.Question(ctx, o.loc.ID+keysID)
	must(t, "Question", err)
	lists(t, o.Fixture, "Question", d)
	var order []string
	for _, a := range d.Thread {
		order = append(order, a.Name)
	}
	// Accepted first, then by votes, then oldest first.
	if want := []string{"2026-05-02-bob.md", "2026-05-03-carol.md", "2026-05-04-dan.md"}; !slices.Equal(order, want) {
		t.Errorf("answers in order %v, want %v", order, want)
	}
	if !d.Thread[0].Accepted || d.Thread[1].Accepted || d.Thread[0].File != "questions/rotate-keys/answers/2026-05-02-bob.md" {
		t.Errorf("thread = %+v", d.Thread)
	}
	if !strings.Contains(d.HTML, "<strong>quarter</strong>") || strings.Contains(d.HTML, "<script") {
		t.Errorf("html = %s: want Markdown rendered and sanitised", d.HTML)
	}
	if d.File != "questions/rotate-keys/question.md" || d.Voted || d.CanAccept || d.Pending {
		t.Errorf("detail = %+v", d)
	}
	_, err = o.API.Question(ctx, o.loc.ID+"/nope")
	wantErr(t, "Question of an unknown one", err, portal.ErrNotFound)
	_, err = o.API.Question(ctx, o.loc.ID+"/broken")
	wantErr(t, "Question of a broken one", err, portal.ErrNotFound)
	_, err = o.API.Question(ctx, "no-slash")
	wantErr(t, "Question of a malformed id", err, portal.ErrInvalid)
}

func testAskQuestion(t *testing.T, s *suite) {
	o := s.withQuestions(t)
	ctx := t.Context()
	ref := userRef
	_, err := o.API.PatchSettings(ctx, portal.SettingsPatch{UserRef: &ref})
	must(t, "PatchSettings", err)
	d, err := o.API.AskQuestion(ctx, portal.NewQuestion{Title: "Where are the payments dashboards?", Body: "Looking for *Grafana*.",
		Tags: []string{"Observability"}, EntityRefs: []string{"component:payments"}})
	must(t, "AskQuestion", err)
	lists(t, o.Fixture, "AskQuestion", d)
	id := o.loc.ID + "/where-are-the-payments-dashboards"
	if d.Question.ID != id || d.Question.Author != userRef || !d.Pending || !slices.Equal(d.Question.Tags, []string{"observability"}) ||
		!d.CanAccept || !strings.Contains(d.HTML, "<em>Grafana</em>") {
		t.Errorf("asked = %+v", d)
	}
	entries, err := o.API.Outbox(ctx)
	must(t, "Outbox", err)
	if len(entries) != 1 || !slices.Equal(entries[0].Paths, []string{"questions/where-are-the-payments-dashboards/question.md"}) ||
		!strings.HasPrefix(entries[0].Message, "Ask: Where are the payments dashboards?") {
		t.Errorf("outbox = %+v, want the question's commit", entries)
	}
	got, err := o.API.Questions(ctx, portal.QuestionQuery{Entity: paymentsRef})
	must(t, "Questions", err)
	if !slices.Contains(idsOf(got.Items), id) {
		t.Errorf("questions about payments = %v, want the new one", idsOf(got.Items))
	}
	again, err := o.API.AskQuestion(ctx, portal.NewQuestion{Title: "Where are the payments dashboards?"})
	must(t, "AskQuestion again", err)
	if again.Question.ID != id+"-2" {
		t.Errorf("the same title again = %s, want %s-2", again.Question.ID, id)
	}
	o.Settle(t)
	res, err := o.API.Search(ctx, portal.SearchQuery{Text: "grafana dashboards", Types: []string{"question"}})
	must(t, "Search", err)
	if len(res.Hits) == 0 || res.Hits[0].Path != "/questions/"+id || res.Hits[0].Type != "question" {
		t.Errorf("search for the question = %+v", res.Hits)
	}
	_, err = o.API.Sync(ctx, o.loc.ID)
	must(t, "Sync", err)
	if got := o.remoteFile(t, "questions/where-are-the-payments-dashboards/question.md"); !strings.Contains(got, "Looking for *Grafana*.") {
		t.Errorf("the repository's question.md after the sync = %q", got)
	}
	for _, nq := range []portal.NewQuestion{{Title: " "}, {Title: "two\nlines"}, {Title: "x", EntityRefs: []string{"payments"}},
		{Title: "x", Tags: []string{""}}, {Title: strings.Repeat("x", 301)}} {
		_, err := o.API.AskQuestion(ctx, nq)
		wantErr(t, "AskQuestion of "+nq.Title, err, portal.ErrInvalid)
	}
	_, err = o.API.AskQuestion(ctx, portal.NewQuestion{Title: "x", LocationID: "nowhere"})
	wantErr(t, "AskQuestion in an unknown location", err, portal.ErrNotFound)
	testQuestionsLocation(t, o)
}

// testQuestionsLocation: with a Q&A location in the settings, a question
// about no entity goes there; one about an entity still goes to the
// entity's location, and one asked for a location to that one.
func testQuestionsLocation(t *testing.T, o qaOrg) {
	ctx := t.Context()
	qa := gittest.New(t)
	qa.Commit("Start the Q&A", map[string][]byte{"README.md": []byte("Questions and answers.\n")})
	loc, err := o.API.AddLocation(ctx, portal.NewLocation{URL: qa.Bare()})
	must(t, "add the Q&A repository", err)
	_, err = o.API.Sync(ctx, loc.ID)
	must(t, "sync the Q&A repository", err)
	for _, bad := range []string{"nowhere", "plugin-nope"} {
		_, err := o.API.PatchSettings(ctx, portal.SettingsPatch{QuestionsLocation: &bad})
		wantErr(t, "PatchSettings of Q&A location "+bad, err, portal.ErrInvalid)
	}
	got, err := o.API.PatchSettings(ctx, portal.SettingsPatch{QuestionsLocation: &loc.ID})
	must(t, "PatchSettings of the Q&A location", err)
	read, err := o.API.Settings(ctx)
	must(t, "Settings", err)
	if got.QuestionsLocation != loc.ID || read.QuestionsLocation != loc.ID {
		t.Errorf("Q&A location %q, read back %q, want %q", got.QuestionsLocation, read.QuestionsLocation, loc.ID)
	}
	for _, c := range []struct {
		name string
		nq   portal.NewQuestion
		want string
	}{
		{"about no entity", portal.NewQuestion{Title: "Who runs the coffee machine?"}, loc.ID},
		{"about an entity", portal.NewQuestion{Title: "Who runs payments on call?", EntityRefs: []string{paymentsRef}}, o.loc.ID},
		{"asked for a location", portal.NewQuestion{Title: "Why Fridays?", LocationID: o.loc.ID}, o.loc.ID},
	} {
		d, err := o.API.AskQuestion(ctx, c.nq)
		must(t, "AskQuestion "+c.name, err)
		if d.Question.LocationID != c.want {
			t.Errorf("a question %s went to %q, want %q", c.name, d.Question.LocationID, c.want)
		}
	}
	none := ""
	got, err = o.API.PatchSettings(ctx, portal.SettingsPatch{QuestionsLocation: &none})
	must(t, "PatchSettings clearing the Q&A location", err)
	if got.QuestionsLocation != "" {
		t.Errorf("Q&A location %q after clearing it", got.QuestionsLocation)
	}
}

func testAnswerQuestion(t *testing.T, s *suite) {
	o := s.withQuestions(t)
	ctx := t.Context()
	id := o.loc.ID + deployID
	d, err := o.API.AnswerQuestion(ctx, id, "Only with a **rollback** plan.")
	must(t, "AnswerQuestion", err)
	if len(d.Thread) != 1 || !strings.Contains(d.Thread[0].HTML, "<strong>rollback</strong>") || !d.Pending ||
		!strings.HasPrefix(d.Thread[0].File, "questions/deploy-friday/answers/") {
		t.Errorf("answered = %+v", d)
	}
	d, err = o.API.AnswerQuestion(ctx, id, "Or not at all.")
	must(t, "AnswerQuestion again", err)
	if len(d.Thread) != 2 || d.Thread[0].Name == d.Thread[1].Name {
		t.Errorf("two answers by the same author: %+v, want two files", d.Thread)
	}
	_, err = o.API.AnswerQuestion(ctx, id, "  ")
	wantErr(t, "AnswerQuestion without text", err, portal.ErrInvalid)
	_, err = o.API.AnswerQuestion(ctx, o.loc.ID+"/nope", "x")
	wantErr(t, "AnswerQuestion of an unknown question", err, portal.ErrNotFound)
}

func testVoteQuestion(t *testing.T, s *suite) {
	o := s.withQuestions(t)
	ctx := t.Context()
	id := o.loc.ID + keysID
	d, err := o.API.VoteQuestion(ctx, id, portal.QuestionVote{})
	must(t, "VoteQuestion", err)
	if d.Question.Votes != 3 || !d.Voted || !d.Pending {
		t.Errorf("after a vote: votes %d, voted %v, pending %v", d.Question.Votes, d.Voted, d.Pending)
	}
	_, err = o.API.VoteQuestion(ctx, id, portal.QuestionVote{})
	wantErr(t, "VoteQuestion twice", err, portal.ErrConflict)
	d, err = o.API.VoteQuestion(ctx, id, portal.QuestionVote{Answer: "2026-05-02-bob.md"})
	must(t, "VoteQuestion on an answer", err)
	if d.Thread[0].Votes != 2 || !d.Thread[0].Voted || d.Thread[1].Voted {
		t.Errorf("after a vote on bob's answer: %+v", d.Thread)
	}
	_, err = o.API.VoteQuestion(ctx, id, portal.QuestionVote{Answer: "nobody.md"})
	wantErr(t, "VoteQuestion on an unknown answer", err, portal.ErrNotFound)
	_, err = o.API.Sync(ctx, o.loc.ID)
	must(t, "Sync", err)
	if got := o.remoteFile(t, "questions/rotate-keys/question.md"); !strings.Contains(got, "votes: 3\n") {
		t.Errorf("the repository's question.md after the sync = %q", got)
	}

	// Someone else's votes land first: the conflict on the votes line is
	// settled by voting again on their version.
	deploy := o.loc.ID + deployID
	_, err = o.API.VoteQuestion(ctx, deploy, portal.QuestionVote{})
	must(t, "VoteQuestion", err)
	o.repo.Commit("Votes elsewhere", map[string][]byte{"questions/deploy-friday/question.md": []byte(
		"---\ntitle: Can we deploy on Fridays?\nauthor: Zed\ndate: 2026-06-01T12:00:00Z\ntags: [process]\nvotes: 7\n---\nAsking for a friend.\n")})
	gittest.Git(t, o.repo.Dir, "push", "-q", "-f", o.remote, "main")
	_, err = o.API.Sync(ctx, o.loc.ID)
	must(t, "Sync into a vote conflict", err)
	_, err = o.API.Sync(ctx, o.loc.ID)
	must(t, "Sync after the conflict", err)
	if got := o.remoteFile(t, "questions/deploy-friday/question.md"); !strings.Contains(got, "votes: 8\n") {
		t.Errorf("question.md after two votes at once = %q, want votes: 8", got)
	}
	if out, err := o.API.Outbox(ctx); err != nil || len(out) != 0 {
		t.Errorf("outbox after the vote conflict = %+v, %v", out, err)
	}
}

func testAcceptAnswer(t *testing.T, s *suite) {
	o := s.withQuestions(t)
	ctx := t.Context()
	id := o.loc.ID + keysID
	_, err := o.API.AcceptAnswer(ctx, id, "2026-05-03-carol.md")
	wantErr(t, "AcceptAnswer by someone else", err, portal.ErrInvalid)
	ref := userRef
	_, err = o.API.PatchSettings(ctx, portal.SettingsPatch{UserRef: &ref})
	must(t, "PatchSettings", err)
	d, err := o.API.AcceptAnswer(ctx, id, "2026-05-03-carol.md")
	must(t, "AcceptAnswer", err)
	if !d.CanAccept || d.Thread[0].Name != "2026-05-03-carol.md" || !d.Thread[0].Accepted || d.Thread[1].Accepted {
		t.Errorf("after accepting carol's answer: %+v", d.Thread)
	}
	_, err = o.API.AcceptAnswer(ctx, id, "nobody.md")
	wantErr(t, "AcceptAnswer of an unknown answer", err, portal.ErrNotFound)
}
