package scorecard

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/callboard/callboard/app/catalog"
)

// An entity's score over time, from the git history of what it reads: its
// catalog file and the files its checks read. Today's scorecards are
// evaluated at each commit that changed one of them, with the entity as
// that commit's catalog file defined it. Facts and relations are not
// historical (a plugin reports facts now; a relation's target is
// today's catalog), so checks reading them are left out of every point
// and named in LeftOut.

// History bounds: the commits shown, how far back, how many commits are
// walked looking for them.
const (
	MaxHistoryPoints  = 50
	HistorySpan       = 365 * 24 * time.Hour
	maxHistoryCommits = 10000
)

// ScoreHistory is an entity's level on one scorecard at each commit that
// changed what it reads, oldest first.
type ScoreHistory struct {
	Scorecard string   `json:"scorecard"`
	Title     string   `json:"title"`
	Levels    []string `json:"levels"`
	// LeftOut are the checks not evaluated in the past: those reading
	// facts or relations.
	LeftOut []string     `json:"leftOut"`
	Points  []ScorePoint `json:"points"`
}

// ScorePoint is the entity's standing at one commit.
type ScorePoint struct {
	Commit string `json:"commit"`
	When   string `json:"when"` // RFC 3339, the commit's author time
	Level  string `json:"level"`
	Passed int    `json:"passed"`
	Total  int    `json:"total"`
}

// HistoryRequest is one entity in its repository.
type HistoryRequest struct {
	Repo *git.Repository
	Head plumbing.Hash
	// File is the entity's catalog file, from the repository's root.
	File string
	Ref  catalog.Ref
	// Cards are today's scorecards; those applying to the entity at each
	// commit are evaluated.
	Cards []*Card
}

// PointCache keeps the points evaluated, by commit, scorecard version and
// entity, so asking again after the branch moved evaluates only the new
// commits. Safe for concurrent use; it forgets everything when it holds
// maxCachedCommits.
type PointCache struct {
	mu     sync.Mutex
	points map[string][]ScorePoint
}

const maxCachedCommits = 20000

// NewPointCache returns an empty cache.
func NewPointCache() *PointCache { return &PointCache{points: map[string][]ScorePoint{}} }

func (pc *PointCache) get(k string) ([]ScorePoint, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p, ok := pc.points[k]
	return p, ok
}

func (pc *PointCache) put(k string, p []ScorePoint) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if len(pc.points) >= maxCachedCommits {
		clear(pc.points)
	}
	pc.points[k] = p
}

// EntityHistory walks the first-parent history from Head for the commits
// that changed the entity's file or a file its checks read (at most
// MaxHistoryPoints, none older than HistorySpan before Head), and
// evaluates the scorecards at each. The walk stops where the entity did
// not exist yet or the clone's history ends (a shallow clone).
func EntityHistory(ctx context.Context, req HistoryRequest, cache *PointCache) ([]ScoreHistory, error) {
	dir := path.Dir(req.File)
	if dir == "." {
		dir = ""
	}
	cards := make([]*Card, len(req.Cards))
	var out []ScoreHistory
	for i, c := range req.Cards {
		cards[i] = historical(c)
		h := ScoreHistory{Scorecard: c.Ref, Title: c.Title, Levels: c.Spec.Levels, LeftOut: []string{}, Points: []ScorePoint{}}
		for _, ck := range c.Spec.Checks {
			if !slices.ContainsFunc(cards[i].Spec.Checks, func(k catalog.Check) bool { return k.ID == ck.ID }) {
				h.LeftOut = append(h.LeftOut, ck.ID)
			}
		}
		out = append(out, h)
	}
	var read []string
	for _, c := range cards {
		for i := range c.Spec.Checks {
			read = append(read, filesOf(&c.Spec.Checks[i].Rule, dir)...)
		}
	}
	slices.Sort(read)
	// The entity's file first: where it is missing, the history ends.
	watched := append([]string{req.File}, slices.DeleteFunc(slices.Compact(read), func(p string) bool { return p == req.File })...)

	commits, err := touching(ctx, req.Repo, req.Head, watched)
	if err != nil {
		return nil, err
	}
	var version strings.Builder
	for _, c := range cards {
		fmt.Fprintf(&version, "%x;", c.version)
	}
	shared := newFileCache(cards)
	// Oldest first; the walk found them newest first.
	for i := len(commits) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("scorecard history of %s: %w", req.Ref, err)
		}
		c := commits[i]
		key := c.Hash.String() + "\x00" + req.Ref.String() + "\x00" + version.String()
		points, ok := cache.get(key)
		if !ok {
			if points, err = pointsAt(req, c, dir, cards, shared); err != nil {
				return nil, err
			}
			cache.put(key, points)
		}
		for j, p := range points {
			if p.Commit != "" {
				out[j].Points = append(out[j].Points, p)
			}
		}
	}
	return out, nil
}

// pointsAt evaluates every card at commit c, one point per card (an empty
// one where the card does not apply or the entity is not in its file).
func pointsAt(req HistoryRequest, c *object.Commit, dir string, cards []*Card, shared *fileCache) ([]ScorePoint, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("scorecard history of %s: tree of %s: %w", req.Ref, c.Hash, err)
	}
	files := &treeFiles{tree: tree}
	points := make([]ScorePoint, len(cards))
	data, err := files.ReadFile(req.File)
	if err != nil {
		return points, nil
	}
	raw := entityDocument(data, req.Ref)
	if raw == nil {
		return points, nil
	}
	s := &Subject{Entity: &catalog.Entity{Raw: raw}, Dir: dir, Files: files}
	ev := newEvaluation(s, nil, shared)
	for i, card := range cards {
		if !card.Applies(s.Entity) {
			continue
		}
		r := ev.card(card, req.Ref.String())
		points[i] = ScorePoint{Commit: c.Hash.String(), When: c.Author.When.UTC().Format(time.RFC3339), Level: r.Level,
			Passed: r.Passed(), Total: len(r.Checks)}
	}
	return points, nil
}

// historical is a card without the checks whose rules read facts or
// relations.
func historical(c *Card) *Card {
	spec := *c.Spec
	spec.Checks = slices.DeleteFunc(slices.Clone(spec.Checks), func(k catalog.Check) bool { return !pastRule(&k.Rule) })
	out := *c
	out.Spec = &spec
	return &out
}

func pastRule(r *catalog.Rule) bool {
	switch r.Kind {
	case catalog.RuleFact, catalog.RuleRelation:
		return false
	}
	for i := range r.Rules {
		if !pastRule(&r.Rules[i]) {
			return false
		}
	}
	return true
}

// filesOf are the repository paths a rule reads for an entity in dir.
func filesOf(r *catalog.Rule, dir string) []string {
	var out []string
	if r.File != "" {
		p := path.Join(dir, r.File)
		if strings.HasPrefix(r.File, "/") {
			p = strings.TrimPrefix(path.Clean(r.File), "/")
		}
		out = append(out, p)
	}
	for i := range r.Rules {
		out = append(out, filesOf(&r.Rules[i], dir)...)
	}
	return out
}

// touching walks first parents from head and returns, newest first, the
// commits whose watched files differ from their parent's.
func touching(ctx context.Context, repo *git.Repository, head plumbing.Hash, watched []string) ([]*object.Commit, error) {
	c, err := repo.CommitObject(head)
	if err != nil {
		return nil, fmt.Errorf("scorecard history: commit %s: %w", head, err)
	}
	since := c.Author.When.Add(-HistorySpan)
	ids, err := blobsAt(c, watched)
	if err != nil {
		return nil, err
	}
	var out []*object.Commit
	for walked := 0; walked < maxHistoryCommits && len(out) < MaxHistoryPoints; walked++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("scorecard history: %w", err)
		}
		if c.Author.When.Before(since) {
			break
		}
		var parent *object.Commit
		var parentIDs []plumbing.Hash
		if c.NumParents() > 0 {
			// A parent the clone lacks (a shallow clone) ends the walk here.
			if p, err := c.Parent(0); err == nil {
				parent = p
				if parentIDs, err = blobsAt(p, watched); err != nil {
					return nil, err
				}
			}
		}
		if ids[0].IsZero() {
			break // the entity's file is not there: its history starts later
		}
		if parent == nil || !slices.Equal(ids, parentIDs) {
			out = append(out, c)
		}
		if parent == nil {
			break
		}
		c, ids = parent, parentIDs
	}
	return out, nil
}

// blobsAt are the watched files' blob ids at c, zero for a missing one.
func blobsAt(c *object.Commit, watched []string) ([]plumbing.Hash, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("scorecard history: tree of %s: %w", c.Hash, err)
	}
	ids := make([]plumbing.Hash, len(watched))
	for i, p := range watched {
		if e, err := tree.FindEntry(p); err == nil && e.Mode.IsFile() {
			ids[i] = e.Hash
		}
	}
	return ids, nil
}

// entityDocument is the document of data defining want, decoded; nil when
// none does.
func entityDocument(data []byte, want catalog.Ref) map[string]any {
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			continue
		}
		kind, _ := doc.Scalar("kind")
		name, _ := doc.Scalar("metadata", "name")
		ns, _ := doc.Scalar("metadata", "namespace")
		if !strings.EqualFold(kind, want.Kind) || !strings.EqualFold(name, want.Name) ||
			!strings.EqualFold(cmp.Or(ns, catalog.DefaultNamespace), want.Namespace) {
			continue
		}
		v, err := doc.Decode(nil)
		if err != nil {
			return nil
		}
		m, _ := v.(map[string]any)
		return m
	}
	return nil
}

// treeFiles reads a commit's tree as Files, only the few files asked for.
type treeFiles struct{ tree *object.Tree }

func (t *treeFiles) entry(name string) (*object.TreeEntry, error) {
	e, err := t.tree.FindEntry(name)
	if err != nil || !e.Mode.IsFile() || e.Mode == filemode.Symlink {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return e, nil
}

// Hash implements Hasher.
func (t *treeFiles) Hash(name string) string {
	e, err := t.entry(name)
	if err != nil {
		return ""
	}
	return e.Hash.String()
}

// Size implements Files.
func (t *treeFiles) Size(name string) (int64, error) {
	e, err := t.entry(name)
	if err != nil {
		return 0, err
	}
	f, err := t.tree.TreeEntryFile(e)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", name, err)
	}
	return f.Size, nil
}

// ReadFile implements Files, within MaxFileBytes.
func (t *treeFiles) ReadFile(name string) ([]byte, error) {
	e, err := t.entry(name)
	if err != nil {
		return nil, err
	}
	f, err := t.tree.TreeEntryFile(e)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if f.Size > MaxFileBytes {
		return nil, fmt.Errorf("%s is larger than %d KiB, the most a check reads", name, MaxFileBytes>>10)
	}
	r, err := f.Reader()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}

var _ Hasher = (*treeFiles)(nil)
