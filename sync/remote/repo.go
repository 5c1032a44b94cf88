package remote

import (
	"fmt"
	"net/url"
	"strings"
)

// A Location target URL into another repository makes that repository a
// location of its own; these say which repository it is and where its
// root is.

// CloneURL is the URL git clones t's repository from, on t.Host with t's
// scheme, as each forge serves repositories. A plain URL names none, and
// nor does one naming its repository by the forge's id (GitLab's
// /api/v4/projects/42/…): both are ErrNoRepository.
func (t Target) CloneURL() (string, error) {
	if t.byID() {
		return "", fmt.Errorf("%w: %s names its repository by id, not by path", ErrNoRepository, t.URL)
	}
	base := t.Scheme + "://" + t.Host + "/"
	switch t.Forge {
	case GitHub, GitLab, Gitea, BitbucketCloud:
		return base + escapePath(t.Repo) + ".git", nil
	case BitbucketServer:
		return base + "scm/" + escapePath(t.Repo) + ".git", nil
	case Azure:
		return base + escapePath(t.Repo), nil
	}
	return "", fmt.Errorf("%w: %s", ErrNoRepository, t.URL)
}

// byID says whether t names its repository by an id where the forge's
// repositories have paths of owner and name; git cannot clone by id.
func (t Target) byID() bool {
	switch t.Forge {
	case GitHub, GitLab, Gitea, BitbucketCloud:
		return !strings.Contains(t.Repo, "/")
	}
	return false
}

// SameRepo says whether clone (a repository URL as locations hold them:
// https, ssh or scp-like) is t's repository.
func (t Target) SameRepo(clone string) bool { return t.Forge != Plain && t.sameRepo(clone) }

// RootURL is the URL a path from the repository root ("/x.yaml") is
// resolved against in the file t names, as Backstage resolves it: t's URL
// up to its path inside the repository, ending in a slash. It is "" for a
// plain URL and for forms that carry the path in their query (Azure, the
// APIs), which have no such prefix.
func (t Target) RootURL() string {
	if t.Forge == Plain || t.Path == "" {
		return ""
	}
	u, err := url.Parse(t.URL)
	if err != nil || u.RawQuery != "" || u.Fragment != "" {
		return ""
	}
	p, suffix := u.EscapedPath(), "/"+escapePath(t.Path)
	if !strings.HasSuffix(p, suffix) {
		return ""
	}
	return u.Scheme + "://" + u.Host + p[:len(p)-len(suffix)+1]
}
