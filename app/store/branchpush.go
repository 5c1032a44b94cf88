package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Branches of the user's own checkouts waiting to reach their remotes (a
// template update pushed, or a pull request opened from it), kept so an
// offline push lands on a later try.

const pBranchPush = "xb/" // xb/<id> → BranchPush

// Branch push states.
const (
	BranchQueued = "queued" // not pushed yet, or to push again
	BranchPushed = "pushed" // on the remote; no pull request asked
	BranchPROpen = "prOpen" // on the remote with its pull request
	BranchFailed = "failed" // the last try failed: Cause and LastError say why
	BranchMerged = "merged" // its pull request was merged
	BranchClosed = "closed" // its pull request was closed unmerged
)

// BranchPush is one branch of a checkout on its way to the checkout's
// origin: one record per checkout and remote branch, so a newer update
// replaces the branch (and keeps its pull request).
type BranchPush struct {
	ID  string `json:"id"`
	Dir string `json:"dir"`
	// Branch is the local branch and Commit its commit when queued.
	Branch       string `json:"branch"`
	Commit       string `json:"commit"`
	RemoteBranch string `json:"remoteBranch"`
	// TemplateCommit is the template's commit the update brings the
	// project to: once its pull request is merged, an update to it is no
	// longer offered.
	TemplateCommit string `json:"templateCommit,omitempty"`
	// Remote is origin's URL as last tried, without user info.
	Remote string `json:"remote,omitempty"`
	// PullRequest asks for a pull request, Title and Body its text.
	PullRequest bool   `json:"pullRequest,omitempty"`
	Title       string `json:"title"`
	Body        string `json:"body,omitempty"`
	Base        string `json:"base,omitempty"`
	Forge       string `json:"forge,omitempty"`
	State       string `json:"state"`
	// Pushed is the commit Callboard last pushed to RemoteBranch: the
	// lease a newer push replaces.
	Pushed string        `json:"pushed,omitempty"`
	Review *OutboxReview `json:"review,omitempty"`
	// Cause is auth, nonFastForward or offline when the last try failed
	// for one of those.
	Cause     string    `json:"cause,omitempty"`
	LastError string    `json:"lastError,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	LastTry   time.Time `json:"lastTry,omitzero"`
}

// PutBranchPush creates or replaces a branch push.
func (d *DB) PutBranchPush(ctx context.Context, b BranchPush) error {
	if err := d.update(ctx, func(txn *badger.Txn) error { return putJSON(txn, pBranchPush+b.ID, b) }); err != nil {
		return fmt.Errorf("keep the push of %s: %w", b.Branch, err)
	}
	return nil
}

// BranchPushes lists the branch pushes, by id.
func (d *DB) BranchPushes(ctx context.Context) ([]BranchPush, error) {
	var out []BranchPush
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pBranchPush, func(_, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			var b BranchPush
			if err := json.Unmarshal(v, &b); err != nil {
				return err
			}
			out = append(out, b)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the branch pushes: %w", err)
	}
	return out, nil
}
