package forgetest

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Repo is one repository of a fake organisation.
type Repo struct {
	ID   int64
	Name string
	// Group is a GitLab project's subgroup path below the organisation's
	// group ("" for the group itself); GitHub has none.
	Group string
	// DefaultBranch "" is an empty repository or one whose default
	// branch was deleted.
	DefaultBranch string
	// Branches are other branches, holding the same Files.
	Branches   []string
	Archived   bool
	Fork       bool
	Visibility string // public, private, internal
	Topics     []string
	// Files are the default branch's files; the API answers from them,
	// and a Git repository holds them.
	Files map[string]string
	// NoAccess makes the repository's files unreadable to the token:
	// GitHub's FORBIDDEN (SSO) on its node, GitLab's 403.
	NoAccess            bool
	UpdatedAt, PushedAt time.Time
	// Git serves the repository through git http-backend, so its clone
	// URL works.
	Git bool
	// OldNames are names it had: GitHub answers them with 301.
	OldNames []string
	// Protected are branches a pre-receive hook refuses pushes to, as a
	// forge's branch protection does; ShowProtection makes the API tell
	// (otherwise it answers 404, as to a token that may not read it).
	Protected      []string
	ShowProtection bool
}

// Team is a GitHub team, or for GitLab a subgroup (Slug its path below
// the organisation's group).
type Team struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	Parent      string // the parent's Slug
	Members     []string
}

// Member is a person of the organisation.
type Member struct {
	ID                  int64
	Login               string
	Name                string
	Email               string // public
	VerifiedDomainEmail string
}

// Org is what a fake forge holds for one organisation or group.
type Org struct {
	Login   string
	Name    string
	Repos   []*Repo
	Teams   []*Team
	Members []*Member
	// RootMembers are the direct members of a GitLab group itself.
	RootMembers []string
}

// Epoch is the time generated repositories were last updated.
var Epoch = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// Generate makes n repositories named repo-0000…, of which those for
// which catalog(i) holds have a catalog-info.yaml; none are served by
// git, so thousands cost little.
func Generate(n int, catalog func(i int) bool) []*Repo {
	out := make([]*Repo, n)
	for i := range n {
		r := &Repo{ID: int64(1000 + i), Name: fmt.Sprintf("repo-%04d", i), DefaultBranch: "main", Visibility: "private",
			UpdatedAt: Epoch.Add(time.Duration(i) * time.Second), PushedAt: Epoch.Add(time.Duration(i) * time.Second),
			Files: map[string]string{"README.md": "# repo\n"}}
		if catalog != nil && catalog(i) {
			r.Files["catalog-info.yaml"] = fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %s\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n", r.Name)
		}
		out[i] = r
	}
	return out
}

// oid is a file's git blob id.
func oid(content string) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write([]byte(content))
	return hex.EncodeToString(h.Sum(nil))
}

// hasBranch says whether r has branch b.
func (r *Repo) hasBranch(b string) bool {
	return b != "" && (b == r.DefaultBranch || slices.Contains(r.Branches, b))
}

// treeEntry is a file or folder under a path of a repository.
type treeEntry struct {
	name, path string
	dir        bool
}

// entries lists what is directly under dir ("" for the root), sorted.
func (r *Repo) entries(dir string) ([]treeEntry, bool) {
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	seen := map[string]bool{}
	var out []treeEntry
	found := dir == ""
	for p := range r.Files {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok || rest == "" {
			continue
		}
		found = true
		name, _, sub := strings.Cut(rest, "/")
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, treeEntry{name: name, path: prefix + name, dir: sub})
	}
	slices.SortFunc(out, func(a, b treeEntry) int { return strings.Compare(a.name, b.name) })
	return out, found
}

// Clock is a fake discover.Clock: Sleep moves the time on at once and
// records how long was waited.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	slept  time.Duration
	sleeps int
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the clock on by d.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept += d
	c.sleeps++
	return nil
}

// Advance moves the clock on by d without counting it as a wait.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Slept is how long Sleep waited in all, and how many times.
func (c *Clock) Slept() (time.Duration, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept, c.sleeps
}
