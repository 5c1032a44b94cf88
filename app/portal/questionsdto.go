package portal

// QuestionQuery asks for a page of questions: newest first, or only those
// without an accepted answer, by tag or about an entity.
type QuestionQuery struct {
	// Filter is "" (all) or "unanswered" (no accepted answer).
	Filter string `json:"filter,omitempty"`
	Tag    string `json:"tag,omitempty"`
	// Entity is an entity ref the questions name in entityRefs.
	Entity string `json:"entity,omitempty"`
	Offset int    `json:"offset,omitempty"`
	// Limit is 50 when zero, at most 500.
	Limit int `json:"limit,omitempty"`
}

// QuestionList is a page of questions, newest first.
type QuestionList struct {
	Items []QuestionSummary `json:"items"`
	// Total counts the questions matching the query.
	Total int `json:"total"`
	// Tags counts every tag of the questions matching the query but its
	// tag, most used first.
	Tags []TagCount `json:"tags"`
	// Problems are the question and answer files refused, in every
	// location.
	Problems []QuestionProblem `json:"problems"`
}

// TagCount is how many questions carry a tag.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// QuestionSummary is a question as lists show it.
type QuestionSummary struct {
	// ID is <location>/<slug>.
	ID         string   `json:"id"`
	LocationID string   `json:"locationId"`
	Slug       string   `json:"slug"`
	Title      string   `json:"title"`
	Author     string   `json:"author"`
	Date       string   `json:"date"`
	Tags       []string `json:"tags"`
	EntityRefs []string `json:"entityRefs"`
	Votes      int      `json:"votes"`
	Answers    int      `json:"answers"`
	Answered   bool     `json:"answered"` // an answer is accepted
}

// QuestionDetail is a question with its answers, accepted first, then by
// votes, then oldest first; bodies rendered as sanitised HTML.
type QuestionDetail struct {
	Question QuestionSummary  `json:"question"`
	File     string           `json:"file"`
	HTML     string           `json:"html"`
	Thread   []QuestionAnswer `json:"thread"`
	// Voted says the user voted on the question from this app.
	Voted bool `json:"voted"`
	// CanAccept says the user is the question's author.
	CanAccept bool              `json:"canAccept"`
	Problems  []QuestionProblem `json:"problems"`
	// Pending says a change to the question waits in the outbox.
	Pending bool `json:"pending"`
}

// QuestionAnswer is one answer of a question.
type QuestionAnswer struct {
	Name     string `json:"name"`
	File     string `json:"file"`
	Author   string `json:"author"`
	Date     string `json:"date"`
	Votes    int    `json:"votes"`
	Accepted bool   `json:"accepted"`
	Voted    bool   `json:"voted"`
	HTML     string `json:"html"`
}

// QuestionProblem is a question or answer file that was refused.
type QuestionProblem struct {
	LocationID string `json:"locationId"`
	File       string `json:"file"`
	Line       int    `json:"line,omitempty"`
	Field      string `json:"field,omitempty"`
	Message    string `json:"message"`
}

// NewQuestion is a question to ask. LocationID is where it is committed;
// empty, the location of its first entity, else the first location that
// can take a commit.
type NewQuestion struct {
	LocationID string   `json:"locationId,omitempty"`
	Title      string   `json:"title"`
	Body       string   `json:"body"`
	Tags       []string `json:"tags,omitempty"`
	EntityRefs []string `json:"entityRefs,omitempty"`
}

// QuestionVote is a vote on a question, or on one of its answers.
type QuestionVote struct {
	// Answer is the answer's file name, or "" for the question itself.
	Answer string `json:"answer,omitempty"`
}
