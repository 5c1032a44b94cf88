package branchpush

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// Why a branch push failed, as Pusher.Push's errors wrap them.
var (
	// ErrAuth is the remote or its forge refusing the credentials (or
	// asking for some when there are none).
	ErrAuth = errors.New("the remote refused the credentials")
	// ErrMoved is a remote branch that is not what Callboard last pushed
	// there: replacing it would lose someone's commits.
	ErrMoved = errors.New("the remote branch moved since Callboard pushed it (not a fast-forward)")
	// ErrOffline is a remote that cannot be reached now; trying again
	// later may work.
	ErrOffline = errors.New("the remote cannot be reached")
	// ErrNoOrigin is a checkout without a remote named origin.
	ErrNoOrigin = errors.New("the checkout has no origin remote")
)

// branchPushBudget bounds one push with its pull request: the remote's
// refs listed, the push, the forge's API.
const branchPushBudget = 2 * time.Minute

// Request is one branch of a checkout the user keeps (a project a
// template made, not a synced location's clone) to bring to its
// origin, and optionally a pull request from it.
type Request struct {
	// Dir is the checkout, or a folder inside it.
	Dir string
	// Branch is the local branch to push.
	Branch string
	// RemoteBranch is the branch on the remote; "" is Branch.
	RemoteBranch string
	// Lease is the commit Callboard last pushed to RemoteBranch: the
	// remote branch is replaced only while it still holds Lease (or a
	// commit Branch contains). "" takes origin's remote-tracking branch
	// as git's --force-with-lease does; with neither it must be absent.
	Lease string
	// PullRequest, when set, opens a pull request from RemoteBranch, or
	// finds the one open already.
	PullRequest *PullRequest
}

// PullRequest is the pull request a Request opens.
type PullRequest struct {
	Title, Body string
	// Base is the branch to merge into; "" is the remote's default.
	Base string
	// Forge names the kind of forge of a host Callboard does not know by
	// name (a GitHub Enterprise, a self-managed GitLab or Gitea).
	Forge remote.Forge
}

// Result is what a Request left on the remote.
type Result struct {
	// Remote is origin's URL, without user info.
	Remote string
	// Commit is what RemoteBranch holds now: the lease of the next push.
	Commit string
	// PR is the pull request, when one was asked for.
	PR *discover.PR
}

// Pusher pushes branches of the user's checkouts. Each call asks
// for the credentials of the remote's own host, so a token goes only to
// the host it is for.
type Pusher struct {
	// Auth gives the git credentials for a remote URL.
	Auth func(ctx context.Context, url string) (transport.AuthMethod, error)
	// Reviews opens the pull request API of the repository a clone URL
	// names, with the token of that URL's host.
	Reviews func(cloneURL string, forge remote.Forge) (*discover.Reviews, error)
}

// New is the Pusher of creds: git with the host's
// credentials, the forge's API with o (the host's token from creds
// unless o.Token gives one).
func New(creds gitfetch.Credentials, o discover.Options) Pusher {
	if o.Token == nil {
		o.Token = remote.GitTokens(creds)
	}
	return Pusher{
		Auth: creds.AuthFor,
		Reviews: func(cloneURL string, forge remote.Forge) (*discover.Reviews, error) {
			return discover.NewReviews(cloneURL, forge, o)
		},
	}
}

// Push brings b.Branch to the remote branch of origin, and opens (or
// finds) the pull request when b asks for one. A push that failed wraps
// ErrAuth, ErrMoved or ErrOffline when it is one of those; the pull
// request's failure comes with what was pushed, so a retry only opens it.
func (p Pusher) Push(ctx context.Context, b Request) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, branchPushBudget)
	defer cancel()
	repo, err := git.PlainOpenWithOptions(b.Dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return Result{}, fmt.Errorf("open the checkout at %s: %w", b.Dir, err)
	}
	origin, err := repo.Remote("origin")
	if err != nil || len(origin.Config().URLs) == 0 {
		return Result{}, fmt.Errorf("%s: %w", b.Dir, ErrNoOrigin)
	}
	url := origin.Config().URLs[0]
	out := Result{Remote: gitfetch.Redact(url)}
	local, err := repo.Reference(plumbing.NewBranchReferenceName(b.Branch), true)
	if err != nil {
		return out, fmt.Errorf("read branch %s of %s: %w", b.Branch, b.Dir, err)
	}
	auth, err := p.Auth(ctx, url)
	if err != nil {
		return out, fmt.Errorf("credentials for %s: %w", out.Remote, err)
	}
	remoteBranch := b.RemoteBranch
	if remoteBranch == "" {
		remoteBranch = b.Branch
	}
	target := plumbing.NewBranchReferenceName(remoteBranch)
	refs, err := origin.ListContext(ctx, &git.ListOptions{Auth: auth})
	if err != nil {
		return out, classify(fmt.Errorf("list the branches of %s: %w", out.Remote, err))
	}
	current, base := remoteState(refs, target)
	if b.Lease == "" {
		if tracked, err := repo.Reference(plumbing.NewRemoteReferenceName("origin", remoteBranch), true); err == nil {
			b.Lease = tracked.Hash().String()
		}
	}
	if err := p.push(ctx, repo, auth, local.Hash(), current, b, target); err != nil {
		return out, classify(fmt.Errorf("push %s to %s of %s: %w", b.Branch, remoteBranch, out.Remote, err))
	}
	out.Commit = local.Hash().String()
	if b.PullRequest == nil {
		return out, nil
	}
	pr := *b.PullRequest
	if pr.Base == "" {
		pr.Base = base
	}
	if pr.Base == "" {
		return out, fmt.Errorf("open a pull request from %s: the remote names no default branch to merge into", remoteBranch)
	}
	rv, err := p.Reviews(url, pr.Forge)
	if err != nil {
		return out, err
	}
	open, err := rv.FindOpen(ctx, remoteBranch)
	if err != nil {
		return out, classify(err)
	}
	if open == nil {
		opened, err := rv.Open(ctx, discover.NewPR{Head: remoteBranch, Base: pr.Base, Title: pr.Title, Body: pr.Body})
		if err != nil {
			return out, classify(err)
		}
		open = &opened
	}
	out.PR = open
	return out, nil
}

// PullRequest reads pull request number of the repository the
// checkout at dir has as origin, as the forge says it is now: open,
// changesRequested, merged or closed. Errors wrap ErrAuth or ErrOffline
// when they are one of those, as Push's.
func (p Pusher) PullRequest(ctx context.Context, dir string, forge remote.Forge, number int) (discover.PR, error) {
	ctx, cancel := context.WithTimeout(ctx, branchPushBudget)
	defer cancel()
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return discover.PR{}, fmt.Errorf("open the checkout at %s: %w", dir, err)
	}
	origin, err := repo.Remote("origin")
	if err != nil || len(origin.Config().URLs) == 0 {
		return discover.PR{}, fmt.Errorf("%s: %w", dir, ErrNoOrigin)
	}
	rv, err := p.Reviews(origin.Config().URLs[0], forge)
	if err != nil {
		return discover.PR{}, err
	}
	pr, err := rv.Get(ctx, number)
	if err != nil {
		return discover.PR{}, classify(fmt.Errorf("read pull request #%d of %s: %w", number, gitfetch.Redact(origin.Config().URLs[0]), err))
	}
	return pr, nil
}

// push moves target on the remote from current to commit: not at all
// when it is there, plainly when it is new or a fast-forward, and by
// force only while the remote still holds the lease.
func (p Pusher) push(ctx context.Context, repo *git.Repository, auth transport.AuthMethod, commit, current plumbing.Hash, b Request, target plumbing.ReferenceName) error {
	if current == commit {
		return nil
	}
	spec := config.RefSpec(plumbing.NewBranchReferenceName(b.Branch) + ":" + target)
	opts := &git.PushOptions{RemoteName: "origin", Auth: auth, RefSpecs: []config.RefSpec{spec}}
	if !current.IsZero() && !contains(repo, commit, current) {
		if b.Lease == "" || current.String() != b.Lease {
			return fmt.Errorf("%w: it holds %s", ErrMoved, current.String()[:8])
		}
		// go-git's ForceWithLease reads a remote-tracking ref named after
		// the local branch; RequireRemoteRefs checks the advertised ref.
		opts.RefSpecs = []config.RefSpec{"+" + spec}
		opts.RequireRemoteRefs = []config.RefSpec{config.RefSpec(current.String() + ":" + target.String())}
	}
	err := repo.PushContext(ctx, opts)
	if errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil
	}
	return err
}

// contains says whether commit has ancestor among its ancestors, so
// pushing commit over ancestor is a fast-forward. An ancestor the
// checkout does not have is not one of them.
func contains(repo *git.Repository, commit, ancestor plumbing.Hash) bool {
	a, err := repo.CommitObject(ancestor)
	if err != nil {
		return false
	}
	c, err := repo.CommitObject(commit)
	if err != nil {
		return false
	}
	ok, err := a.IsAncestor(c)
	return err == nil && ok
}

// remoteState reads target's commit (zero when absent) and the default
// branch (HEAD's target) out of a remote's refs.
func remoteState(refs []*plumbing.Reference, target plumbing.ReferenceName) (current plumbing.Hash, defaultBranch string) {
	for _, r := range refs {
		switch {
		case r.Name() == target && r.Type() == plumbing.HashReference:
			current = r.Hash()
		case r.Name() == plumbing.HEAD && r.Type() == plumbing.SymbolicReference:
			defaultBranch = r.Target().Short()
		}
	}
	return current, defaultBranch
}

// classify wraps err with why it failed, when it is one of ErrAuth,
// ErrMoved or ErrOffline.
func classify(err error) error {
	if err == nil || errors.Is(err, ErrMoved) {
		return err
	}
	msg := strings.ToLower(err.Error())
	status := 0
	var httpErr *githttp.Err
	var forgeErr *discover.StatusError
	switch {
	case errors.As(err, &httpErr):
		status = httpErr.StatusCode()
	case errors.As(err, &forgeErr):
		status = forgeErr.Code
	}
	var netErr net.Error
	switch {
	case gitfetch.AuthFailed(err) || errors.Is(err, discover.ErrAuth) || status == http.StatusUnauthorized || status == http.StatusForbidden:
		return fmt.Errorf("%w: %w", ErrAuth, err)
	case strings.Contains(msg, "non-fast-forward") || strings.Contains(msg, "fetch first") || strings.Contains(msg, "stale info") ||
		strings.Contains(msg, "required to be"):
		return fmt.Errorf("%w: %w", ErrMoved, err)
	case errors.As(err, &netErr), errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.ErrUnexpectedEOF),
		status == http.StatusBadGateway, status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout,
		strings.Contains(msg, "connection refused"), strings.Contains(msg, "no such host"),
		strings.Contains(msg, "network is unreachable"), strings.Contains(msg, "no route to host"),
		strings.Contains(msg, "status code: 502"), strings.Contains(msg, "status code: 503"), strings.Contains(msg, "status code: 504"):
		return fmt.Errorf("%w: %w", ErrOffline, err)
	}
	return err
}

// Cause names why err failed, as the outbox shows it: "auth",
// "nonFastForward", "offline", or "" for anything else.
func Cause(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrAuth):
		return "auth"
	case errors.Is(err, ErrMoved):
		return "nonFastForward"
	case errors.Is(err, ErrOffline):
		return "offline"
	}
	return ""
}
