package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Discovered organisations: a location may be an organisation (a GitHub
// org, a GitLab group) whose repositories come from its forge's API
// (sync/discover) rather than from a Location file. Its record (l/<id>)
// says what to discover and a summary; the listing itself, large for a
// large org, is kept apart (d/<id>) so reading every location stays
// cheap. The repositories with catalog files become derived locations
// through SetDerived, filed under the forge's repository id (Links.RepoID)
// so a rename keeps them.

// Org marks a location as a discovered organisation.
type Org struct {
	// Source is what to discover, sync/discover's Source (forge, host,
	// owner, filters) as JSON: the store keeps it, the syncer reads it.
	Source json.RawMessage `json:"source"`
	// Teams imports the organisation's teams and members as the
	// location's own Group and User entities.
	Teams bool `json:"teams,omitempty"`
	// ListedAt is when the forge last gave or confirmed the listing: the
	// repositories were last seen then.
	ListedAt time.Time `json:"listedAt,omitzero"`
	// Repos counts the repositories listed, Catalogued those with catalog
	// files.
	Repos      int `json:"repos,omitempty"`
	Catalogued int `json:"catalogued,omitempty"`
	// Requests is how many API requests the last listing made.
	Requests int `json:"requests,omitempty"`
	// RateLimit and RateRemaining are the host's budget as the forge last
	// reported it; RateLimit 0 is not known.
	RateLimit     int       `json:"rateLimit,omitempty"`
	RateRemaining int       `json:"rateRemaining,omitempty"`
	RateResetAt   time.Time `json:"rateResetAt,omitzero"`
}

// OrgListing is what the last listing of an organisation found.
type OrgListing struct {
	// State is sync/discover's State as JSON, given back to the next
	// listing so an idle organisation costs one request.
	State json.RawMessage `json:"state,omitempty"`
	// Repos are every repository listed, catalogued or not, by full name.
	Repos []OrgRepo `json:"repos"`
	// Viewer is the token's own user as sync/discover's Person (JSON),
	// kept so its User entity is there without asking every sync.
	Viewer json.RawMessage `json:"viewer,omitempty"`
}

// OrgRepo is one repository of an organisation's listing.
type OrgRepo struct {
	// ID is the forge's repository id, prefixed by its host: a rename or
	// move keeps it. A derived location holding the repository has it as
	// its RepoID.
	ID         string   `json:"id"`
	FullName   string   `json:"fullName"`
	URL        string   `json:"url"` // clone URL
	WebURL     string   `json:"webUrl,omitempty"`
	Branch     string   `json:"branch,omitempty"` // where catalog files were looked for
	Files      []string `json:"files,omitempty"`
	Skipped    string   `json:"skipped,omitempty"` // why there are no catalog files
	Archived   bool     `json:"archived,omitempty"`
	Fork       bool     `json:"fork,omitempty"`
	Visibility string   `json:"visibility,omitempty"`
	// LastSeen is when a listing last had the repository.
	LastSeen time.Time `json:"lastSeen"`
}

// PutOrgListing stores an organisation's listing and its summary on the
// location, in one transaction. The location must be an organisation.
func (d *DB) PutOrgListing(ctx context.Context, id string, l OrgListing, sum Org) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		var loc Location
		ok, err := getJSON(txn, pLocation+id, &loc)
		if err != nil {
			return err
		}
		if !ok || loc.Org == nil {
			return fmt.Errorf("location %s: %w", id, ErrNotOrg)
		}
		sum.Source, sum.Teams = loc.Org.Source, loc.Org.Teams
		loc.Org = &sum
		if err := putJSON(txn, pLocation+id, loc); err != nil {
			return err
		}
		return putJSON(txn, pOrgListing+id, l)
	})
	if err != nil {
		return fmt.Errorf("store the listing of organisation %s: %w", id, err)
	}
	return nil
}

// OrgListing returns the last listing of organisation id; ok is false
// when none was stored.
func (d *DB) OrgListing(ctx context.Context, id string) (l OrgListing, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		ok, err = getJSON(txn, pOrgListing+id, &l)
		return err
	})
	if err != nil {
		return OrgListing{}, false, fmt.Errorf("read the listing of organisation %s: %w", id, err)
	}
	return l, ok, nil
}

// SetOrgSource changes what organisation id discovers (its filters, its
// teams switch). The kept listing stays: the next listing sees the new
// filters and lists in full.
func (d *DB) SetOrgSource(ctx context.Context, id string, source json.RawMessage, teams bool) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		var loc Location
		ok, err := getJSON(txn, pLocation+id, &loc)
		if err != nil {
			return err
		}
		if !ok || loc.Org == nil {
			return fmt.Errorf("location %s: %w", id, ErrNotOrg)
		}
		org := *loc.Org
		org.Source, org.Teams = source, teams
		loc.Org = &org
		return putJSON(txn, pLocation+id, loc)
	})
	if err != nil {
		return fmt.Errorf("change organisation %s: %w", id, err)
	}
	return nil
}
