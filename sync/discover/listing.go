package discover

import (
	"time"
)

// Repo is one repository of a listing.
type Repo struct {
	// ID is the forge's own id (GitHub's GraphQL node id, GitLab's
	// project id), kept across renames and moves: the identity a
	// discovered location is filed under.
	ID       string `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"fullName"` // owner/name, group/sub/name
	CloneURL string `json:"cloneUrl"` // https
	WebURL   string `json:"webUrl"`
	// DefaultBranch is "" for an empty repository or one whose default
	// branch was deleted.
	DefaultBranch string   `json:"defaultBranch,omitempty"`
	Archived      bool     `json:"archived,omitempty"`
	Fork          bool     `json:"fork,omitempty"`
	Visibility    string   `json:"visibility"` // public, private, internal
	Topics        []string `json:"topics,omitempty"`
	// UpdatedAt and PushedAt are the forge's (GitLab's last activity for
	// both): a repository whose times did not move is not looked at
	// again.
	UpdatedAt time.Time `json:"updatedAt"`
	PushedAt  time.Time `json:"pushedAt"`
	// Branch is where the catalog files were looked for; Files what was
	// found there, sorted by path.
	Branch string        `json:"branch,omitempty"`
	Files  []CatalogFile `json:"files,omitempty"`
	// Skipped says why the repository has no catalog files; "" when it
	// has some.
	Skipped Reason `json:"skipped,omitempty"`
}

// CatalogFile is a catalog file found in a repository.
type CatalogFile struct {
	Path string `json:"path"`
	OID  string `json:"oid,omitempty"` // the blob's git object id
	Size int64  `json:"size,omitempty"`
}

// Reason says why a repository has no catalog files.
type Reason string

// The reasons a listed repository yields no location.
const (
	NoFile   Reason = "noFile"   // no file at the catalog path
	Filtered Reason = "filtered" // the filters leave it out
	Archived Reason = "archived" // archived, and archived ones are left out
	NoAccess Reason = "noAccess" // listed, but its files cannot be read with the token
	NoBranch Reason = "noBranch" // empty, or its default branch (or the filters' branch) is gone
)

// Listing is what a source holds now.
type Listing struct {
	Source Source `json:"source"`
	// Repos are all the repositories the token can see, catalogued or
	// not, sorted by FullName.
	Repos []Repo `json:"repos"`
	// Total is the forge's count of the owner's repositories; the same
	// number next time is one of the signs nothing changed.
	Total    int       `json:"total"`
	ListedAt time.Time `json:"listedAt"`
	// Unchanged is set when the listing is the previous one, reused
	// because a cheap check found the source idle.
	Unchanged bool `json:"unchanged,omitempty"`
	// Requests counts the API requests this listing made, retries
	// included.
	Requests int    `json:"requests"`
	Budget   Budget `json:"budget"`
}

// Catalogued are the repositories with catalog files: each becomes a
// location whose roots are its files' paths, on Branch (the repository's
// default branch when the filters name none).
func (l Listing) Catalogued() []Repo {
	var out []Repo
	for _, r := range l.Repos {
		if len(r.Files) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// Budget is the rate limit left on a host after a listing, as the forge
// last reported it. Limit 0 is not known.
type Budget struct {
	Limit     int       `json:"limit,omitempty"`
	Remaining int       `json:"remaining,omitempty"`
	ResetAt   time.Time `json:"resetAt,omitzero"`
}

// stateVersion is bumped when State's meaning changes; an older state is
// ignored, costing one full listing.
const stateVersion = 1

// State is what the caller keeps of a listing between discoveries, as
// JSON: the listing itself, to be reused when the source is idle, and
// what tells it is.
type State struct {
	Version int `json:"version"`
	// Key is the source and filters the listing was made for; another
	// key makes a full listing.
	Key     string  `json:"key"`
	Listing Listing `json:"listing"`
	// NewestUpdate and NewestPush are the forge's newest update and
	// push times over all repositories.
	NewestUpdate time.Time `json:"newestUpdate"`
	NewestPush   time.Time `json:"newestPush"`
	// ETag is GitLab's for the probe request.
	ETag string `json:"etag,omitempty"`
	// FullAt is when the listing was last made in full; past
	// Options.MaxAge the next discovery lists in full though the source
	// looks idle.
	FullAt time.Time `json:"fullAt"`
}

// usable says whether s is a previous listing of key that may be reused
// at now.
func (s *State) usable(key string, now time.Time, maxAge time.Duration) bool {
	return s != nil && s.Version == stateVersion && s.Key == key && now.Sub(s.FullAt) < maxAge
}

// newest records the newest times over repos.
func (s *State) newest(repos []Repo) {
	for _, r := range repos {
		if r.UpdatedAt.After(s.NewestUpdate) {
			s.NewestUpdate = r.UpdatedAt
		}
		if r.PushedAt.After(s.NewestPush) {
			s.NewestPush = r.PushedAt
		}
	}
}
