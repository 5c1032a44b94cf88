package discover

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/callboard/callboard/sync/remote"
)

// Pull request states, as PR.State holds them.
const (
	PROpen             = "open"
	PRChangesRequested = "changesRequested"
	PRMerged           = "merged"
	PRClosed           = "closed"
)

// PR is a pull request (a GitLab merge request) as the forge last told.
type PR struct {
	Number int
	URL    string
	State  string // PROpen, PRChangesRequested, PRMerged, PRClosed
	// Head is the commit its branch points at.
	Head string
}

// NewPR is a pull request to open: from branch Head onto branch Base.
type NewPR struct {
	Head, Base  string
	Title, Body string
}

// Reviews opens and follows the pull requests of one repository through
// its forge's API, with the bounds, retries and rate limits of a
// listing. The token goes to the repository's API host only.
type Reviews struct {
	c    *client
	repo string // owner/name, or GitLab's group/sub/name
}

// ErrNoForge marks a repository whose forge Callboard cannot tell or
// has no pull requests API for.
var ErrNoForge = errors.New("no pull request API known for this repository")

// NewReviews makes the Reviews of the repository cloneURL points at.
// forge names the kind of forge when its host is not one remote knows
// (a GitHub Enterprise, a self-managed GitLab or Gitea); "" otherwise.
// http is accepted on loopback only. Errors wrap ErrNoForge.
func NewReviews(cloneURL string, forge remote.Forge, o Options) (*Reviews, error) {
	u, err := url.Parse(apiURL(cloneURL))
	if err != nil || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: %s is not an https URL of a repository", ErrNoForge, cloneURL)
	}
	probe, _ := remote.Parse(u.Scheme + "://" + u.Host + "/x")
	switch {
	case probe.Host == "":
		return nil, fmt.Errorf("%w: %q is not a host name Callboard reads", ErrNoForge, u.Host)
	case u.Scheme != "https" && !(u.Scheme == "http" && loopback(probe.Host)):
		return nil, fmt.Errorf("%w: %s is not https; tokens go over https only", ErrNoForge, cloneURL)
	}
	if probe.Forge != remote.Plain {
		forge = probe.Forge
	}
	switch forge {
	case remote.GitHub, remote.GitLab, remote.Gitea:
	case "":
		return nil, fmt.Errorf("%w: Callboard does not know which forge %s is: name it (github, gitlab or gitea)", ErrNoForge, probe.Host)
	default:
		return nil, fmt.Errorf("%w: %s pull requests are not supported yet", ErrNoForge, forge)
	}
	path := strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git")
	if strings.Count(path, "/") < 1 || strings.Contains(path, "//") || forge != remote.GitLab && strings.Count(path, "/") != 1 {
		return nil, fmt.Errorf("%w: %s names no repository", ErrNoForge, cloneURL)
	}
	c := newClient(Source{Forge: forge, Scheme: u.Scheme, Host: probe.Host, Owner: path}, o)
	c.o.Logger = c.o.Logger.With("component", "reviews", "repo", u.Scheme+"://"+probe.Host+"/"+path)
	return &Reviews{c: c, repo: path}, nil
}

// apiURL is the https URL of the repository an ssh clone URL
// (git@host:o/r.git, ssh://git@host[:port]/o/r.git) points at: its
// forge's API is on the same host, over https. Others are as given.
func apiURL(cloneURL string) string {
	if rest, ok := strings.CutPrefix(cloneURL, "ssh://"); ok {
		if _, after, ok := strings.Cut(rest, "@"); ok {
			rest = after
		}
		host, path, _ := strings.Cut(rest, "/")
		host, _, _ = strings.Cut(host, ":")
		return "https://" + host + "/" + path
	}
	if user, rest, ok := strings.Cut(cloneURL, "@"); ok && !strings.Contains(user, "/") && !strings.Contains(user, ":") {
		if host, path, ok := strings.Cut(rest, ":"); ok && !strings.Contains(host, "/") {
			return "https://" + host + "/" + strings.TrimPrefix(path, "/")
		}
	}
	return cloneURL
}

// Forge is the kind of forge the repository is on.
func (r *Reviews) Forge() remote.Forge { return r.c.src.Forge }

// base is the REST root of the repository.
func (r *Reviews) base() string {
	if r.c.src.Forge == remote.GitLab {
		return r.c.src.restBase() + "/projects/" + url.PathEscape(r.repo)
	}
	return r.c.src.restBase() + "/repos/" + r.repo
}

// Protected asks whether pushes to branch are restricted. known is false
// when the forge would not say (the token may not read it); the caller
// then learns from a push.
func (r *Reviews) Protected(ctx context.Context, branch string) (protected, known bool, err error) {
	if r.c.src.Forge == remote.GitLab {
		resp, err := r.c.do(ctx, http.MethodGet, r.base()+"/protected_branches/"+url.PathEscape(branch), nil, nil)
		switch {
		case err != nil:
			return false, false, err
		case resp.code == http.StatusOK:
			return true, true, nil
		case resp.code == http.StatusNotFound:
			return false, true, nil
		}
		return false, false, nil
	}
	var b struct {
		Protected *bool `json:"protected"`
	}
	resp, err := r.c.do(ctx, http.MethodGet, r.base()+"/branches/"+url.PathEscape(branch), nil, nil)
	if err != nil {
		return false, false, err
	}
	if resp.code != http.StatusOK || json.Unmarshal(resp.body, &b) != nil || b.Protected == nil {
		return false, false, nil
	}
	return *b.Protected, true, nil
}

// FindOpen returns the open pull request from branch head, or nil: a
// change whose pull request was opened by a process killed before it
// recorded it finds it here instead of opening another.
func (r *Reviews) FindOpen(ctx context.Context, head string) (*PR, error) {
	var q string
	switch r.c.src.Forge {
	case remote.GitHub:
		owner, _, _ := strings.Cut(r.repo, "/")
		q = "/pulls?state=open&per_page=100&head=" + url.QueryEscape(owner+":"+head)
	case remote.GitLab:
		q = "/merge_requests?state=opened&per_page=100&source_branch=" + url.QueryEscape(head)
	default:
		// Gitea filters by head branch only per base; the newest page is
		// where a pull request opened moments ago is.
		q = "/pulls?state=open&sort=recentupdate&limit=50"
	}
	var list []json.RawMessage
	if err := r.call(ctx, http.MethodGet, r.base()+q, nil, &list, "find the pull request of "+head); err != nil {
		return nil, err
	}
	for _, raw := range list {
		pr, from, err := r.decode(raw)
		if err != nil {
			return nil, err
		}
		if from == head && pr.State != PRClosed && pr.State != PRMerged {
			return &pr, nil
		}
	}
	return nil, nil
}

// Open opens a pull request.
func (r *Reviews) Open(ctx context.Context, n NewPR) (PR, error) {
	var body any = map[string]string{"title": n.Title, "body": n.Body, "head": n.Head, "base": n.Base}
	path := "/pulls"
	if r.c.src.Forge == remote.GitLab {
		body = map[string]string{"title": n.Title, "description": n.Body, "source_branch": n.Head, "target_branch": n.Base}
		path = "/merge_requests"
	}
	var raw json.RawMessage
	if err := r.call(ctx, http.MethodPost, r.base()+path, body, &raw, "open a pull request from "+n.Head); err != nil {
		return PR{}, err
	}
	pr, _, err := r.decode(raw)
	return pr, err
}

// Get returns pull request number as it stands. On GitHub an open one
// costs a second request, for its reviews.
func (r *Reviews) Get(ctx context.Context, number int) (PR, error) {
	var raw json.RawMessage
	if err := r.call(ctx, http.MethodGet, r.prURL(number), nil, &raw, "read pull request "+strconv.Itoa(number)); err != nil {
		return PR{}, err
	}
	pr, _, err := r.decode(raw)
	if err != nil || pr.State != PROpen || r.c.src.Forge == remote.GitLab {
		return pr, err
	}
	var reviews []struct {
		State string `json:"state"`
		User  struct {
			Login string `json:"login"`
		} `json:"user"`
	}
	if err := r.call(ctx, http.MethodGet, r.prURL(number)+"/reviews?per_page=100", nil, &reviews, "read the reviews of pull request "+strconv.Itoa(number)); err != nil {
		return pr, err
	}
	// A reviewer's latest verdict stands; comments change none.
	last := map[string]string{}
	for _, rv := range reviews {
		switch s := strings.ToUpper(rv.State); s {
		case "APPROVED", "CHANGES_REQUESTED", "REQUEST_CHANGES", "DISMISSED":
			last[rv.User.Login] = s
		}
	}
	for _, s := range last {
		if s == "CHANGES_REQUESTED" || s == "REQUEST_CHANGES" {
			pr.State = PRChangesRequested
		}
	}
	return pr, nil
}

// Reopen reopens a closed pull request.
func (r *Reviews) Reopen(ctx context.Context, number int) (PR, error) {
	method, body := http.MethodPatch, any(map[string]string{"state": "open"})
	if r.c.src.Forge == remote.GitLab {
		method, body = http.MethodPut, map[string]string{"state_event": "reopen"}
	}
	var raw json.RawMessage
	if err := r.call(ctx, method, r.prURL(number), body, &raw, "reopen pull request "+strconv.Itoa(number)); err != nil {
		return PR{}, err
	}
	pr, _, err := r.decode(raw)
	return pr, err
}

func (r *Reviews) prURL(number int) string {
	if r.c.src.Forge == remote.GitLab {
		return r.base() + "/merge_requests/" + strconv.Itoa(number)
	}
	return r.base() + "/pulls/" + strconv.Itoa(number)
}

// call sends in as JSON (none when nil) and reads the answer into out.
func (r *Reviews) call(ctx context.Context, method, rawURL string, in, out any, what string) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	resp, err := r.c.do(ctx, method, rawURL, body, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := r.c.check(resp, what); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return fmt.Errorf("%s: %s %s: %w", what, method, redactQuery(rawURL), err)
	}
	return nil
}

// decode reads one pull request of any forge, and the branch it is from.
func (r *Reviews) decode(raw json.RawMessage) (PR, string, error) {
	var p struct {
		Number int    `json:"number"`
		IID    int    `json:"iid"`
		HTML   string `json:"html_url"`
		Web    string `json:"web_url"`
		State  string `json:"state"`
		Merged bool   `json:"merged"`
		MAt    string `json:"merged_at"`
		Head   struct {
			Ref string `json:"ref"`
			SHA string `json:"sha"`
		} `json:"head"`
		SHA          string `json:"sha"`
		SourceBranch string `json:"source_branch"`
		Detailed     string `json:"detailed_merge_status"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return PR{}, "", fmt.Errorf("read a pull request of %s: %w", r.repo, err)
	}
	if r.c.src.Forge == remote.GitLab {
		pr := PR{Number: p.IID, URL: p.Web, Head: p.SHA, State: PROpen}
		switch {
		case p.State == "merged":
			pr.State = PRMerged
		case p.State == "closed" || p.State == "locked":
			pr.State = PRClosed
		case p.Detailed == "requested_changes":
			pr.State = PRChangesRequested
		}
		return pr, p.SourceBranch, nil
	}
	pr := PR{Number: p.Number, URL: p.HTML, Head: p.Head.SHA, State: PROpen}
	switch {
	case p.Merged || p.MAt != "":
		pr.State = PRMerged
	case p.State == "closed":
		pr.State = PRClosed
	}
	return pr, p.Head.Ref, nil
}
