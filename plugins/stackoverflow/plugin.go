package stackoverflow

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// Name is the plugin's name; the search shows its documents with a
// Stack Overflow badge.
const Name = "stackoverflow"

// maxDeadlineMargin is the most kept back of the host's deadline, so a
// fetch that runs out of time still leaves time to answer from the cache.
const maxDeadlineMargin = 500 * time.Millisecond

// maxDocumentBytes bounds the documents of one answer: the host's gRPC
// client takes messages of at most 4 MiB. At 10,000 questions each keeps
// about 100 bytes of its text beside its title, status and URL.
const maxDocumentBytes = 3 << 20

// docOverhead is the most a document costs in the answer beside its
// strings: its tag and length, and those of its id, title, text and URL;
// fieldOverhead is one more field's, its type's or a tag's (lengths under
// 2 MiB take at most three bytes).
const (
	fieldOverhead = 4
	docOverhead   = 4 + 4*fieldOverhead
)

// docType is what the documents are, for the search page's Type facet,
// as Callboard's own questions are found as questions.
const docType = "question"

// plugin answers the search extension point from its cache, refreshed
// from the API when due.
type plugin struct {
	fetcher *fetcher
	log     *slog.Logger
	now     func() time.Time
	// mu makes one call at a time read and refresh the cache, so two
	// calls never fetch at once.
	mu sync.Mutex
	// kept is the cache as last read or written, and its file's time, so
	// a call decodes the file again only once it changed.
	kept    cached
	keptMod time.Time
}

// newPlugin makes the plugin; transport is nil for the default one.
func newPlugin(transport http.RoundTripper, now func() time.Time, log *slog.Logger) *plugin {
	return &plugin{fetcher: newFetcher(transport, now), log: log, now: now}
}

// definition is the plugin as the SDK serves it.
func (p *plugin) definition() sdk.Plugin {
	return sdk.Plugin{
		Name: Name, Version: "1.0.0",
		Description:     "Stack Overflow (or Stack Overflow for Teams) questions with the tags you name, in search, kept for offline use.",
		Config:          configFields,
		SearchDocuments: p.searchDocuments,
	}
}

// searchDocuments returns the cached questions as search documents,
// fetching them first when due. A fetch that fails leaves the cache as it
// was; it is an error only when nothing is cached.
func (p *plugin) searchDocuments(ctx context.Context, req sdk.Request) ([]*pluginv1.SearchDocument, error) {
	s, err := settingsOf(req)
	if err != nil {
		return nil, err
	}
	if len(s.tags) == 0 && s.team == "" {
		// Not set up: a public site's every question is not wanted.
		return nil, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	qc := questionCache{dir: s.cacheDir}
	c, err := p.load(qc, s.cacheKey())
	if err != nil {
		p.log.Warn("question cache unreadable, fetching again", "err", err)
	}
	if now := p.now(); c.due(now, s.refresh) {
		fctx, cancel := fetchContext(ctx)
		r := p.fetcher.fetch(fctx, s)
		cancel()
		c = c.with(r, now)
		if err := p.store(qc, c); err != nil {
			p.log.Warn("keep the questions fetched", "err", err)
		}
		if r.err != nil {
			p.log.Warn("fetch of questions stopped", "err", r.err, "questions", len(r.questions), "notBefore", c.NotBefore)
			if len(c.Questions) == 0 {
				return nil, fmt.Errorf("fetch questions: %w", r.err)
			}
		} else {
			p.log.Info("questions fetched", "questions", len(r.questions), "kept", len(c.Questions))
		}
	}
	return documents(c.Questions, maxDocumentBytes), nil
}

// load is the cache of key, from memory while its file is unchanged (or
// when there is no cache folder, so the refresh interval still holds).
// The caller holds p.mu.
func (p *plugin) load(qc questionCache, key string) (cached, error) {
	mod := qc.modTime(key)
	if p.kept.Key == key && (qc.dir == "" || !mod.IsZero() && mod.Equal(p.keptMod)) {
		return p.kept, nil
	}
	c, err := qc.load(key)
	if err == nil {
		p.kept, p.keptMod = c, mod
	}
	return c, err
}

// store writes c and keeps it in memory. The caller holds p.mu.
func (p *plugin) store(qc questionCache, c cached) error {
	if err := qc.store(c); err != nil {
		return err
	}
	p.kept, p.keptMod = c, qc.modTime(c.Key)
	return nil
}

// fetchContext is ctx with its deadline moved forward a little, so that
// what was fetched can still be answered.
func fetchContext(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	margin := min(time.Until(deadline)/10, maxDeadlineMargin)
	return context.WithDeadline(ctx, deadline.Add(-margin))
}

// documents are the questions as search documents, within budget bytes:
// the title, a line of status and tags, then as much of the excerpt as
// the budget leaves each (the most recently active questions first, and
// only those whose title, status and URL fit); the question's page as
// the URL.
func documents(qs []question, budget int) []*pluginv1.SearchDocument {
	out := make([]*pluginv1.SearchDocument, 0, len(qs))
	fixed := 0
	for _, q := range qs {
		d := &pluginv1.SearchDocument{Id: strconv.FormatInt(q.ID, 10), Title: q.Title, Text: statusLine(q), Url: q.URL,
			Type: docType, Tags: q.Tags}
		size := docOverhead + len(d.Id) + len(d.Title) + len(d.Text) + len(d.Url) + fieldOverhead + len(d.Type)
		for _, t := range d.Tags {
			size += fieldOverhead + len(t)
		}
		if fixed+size > budget {
			break
		}
		fixed += size
		out = append(out, d)
	}
	if len(out) == 0 {
		return out
	}
	each := min(maxExcerpt, (budget-fixed)/len(out))
	for i, d := range out {
		// The excerpt's cut adds " …" (4 bytes) and the line break one.
		if e := clip(qs[i].Excerpt, max(each-5, 0)); e != "" && each > 5 {
			d.Text += "\n" + e
		}
	}
	return out
}

// statusLine is "Accepted answer · 12 votes · 3 answers · go, docker".
func statusLine(q question) string {
	state := "Unanswered"
	switch {
	case q.Accepted:
		state = "Accepted answer"
	case q.Answered:
		state = "Answered"
	}
	parts := []string{state, plural(q.Score, "vote"), plural(q.Answers, "answer")}
	if len(q.Tags) > 0 {
		parts = append(parts, strings.Join(q.Tags, ", "))
	}
	return strings.Join(parts, " · ")
}

func plural(n int, word string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
