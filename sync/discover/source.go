package discover

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// maxSourceURL bounds the URLs parsed; real ones are far shorter.
const maxSourceURL = 2048

// Source is an organisation to discover: a GitHub organisation (or
// user) or a GitLab group with its subgroups, and which of its
// repositories count. It is stored with the location it feeds, as JSON.
type Source struct {
	Forge  remote.Forge `json:"forge"`
	Scheme string       `json:"scheme"` // https; http only on loopback
	// Host is where tokens are filed (gitfetch.Host's spelling): github.com
	// for github.com, whose API is on api.github.com.
	Host string `json:"host"`
	// Owner is the organisation's login, or the group's full path.
	Owner   string  `json:"owner"`
	Filters Filters `json:"filters"`
}

// Filters say which repositories of a source count and where their
// catalog files are, named as Backstage's entity providers name them.
type Filters struct {
	// CatalogPath is the catalog file's path in each repository, or a
	// glob of up to maxGlobDepth segments after its literal folder
	// (`.backstage/*.yaml`); catalog-info.yaml when empty.
	CatalogPath string `json:"catalogPath,omitempty"`
	// Branch is looked at in every repository; the repository's default
	// branch when empty.
	Branch string `json:"branch,omitempty"`
	// Repository is a regular expression (RE2) the repository's name must
	// match whole.
	Repository string `json:"repository,omitempty"`
	// TopicsInclude keeps only repositories with one of these topics;
	// TopicsExclude drops those with one of these. Exclusion wins.
	TopicsInclude []string `json:"topicsInclude,omitempty"`
	TopicsExclude []string `json:"topicsExclude,omitempty"`
	// Visibility keeps only repositories of these visibilities (public,
	// private, internal); all when empty.
	Visibility []string `json:"visibility,omitempty"`
	// ExcludeForks drops forks, kept by default as Backstage's allowForks.
	ExcludeForks bool `json:"excludeForks,omitempty"`
	// IncludeArchived keeps archived repositories, dropped by default.
	IncludeArchived bool `json:"includeArchived,omitempty"`
}

// DefaultCatalogPath is where a repository's catalog file is looked for
// when the filters name no other place.
const DefaultCatalogPath = "catalog-info.yaml"

// ParseSource reads an organisation's URL: https://github.com/ACME (or
// …/orgs/ACME), https://ghe.example.com/ACME, https://gitlab.com/group/sub
// (or …/groups/group/sub). forge names the kind of server for a host
// Callboard does not know (remote.GitHub for GitHub Enterprise Server,
// remote.GitLab for a self-managed GitLab); for a known host it may be
// empty and must agree otherwise. Only GitHub and GitLab are listed so
// far. http is accepted on loopback hosts only, as tokens travel with
// every request. Errors wrap ErrBadSource.
func ParseSource(raw string, forge remote.Forge) (Source, error) {
	if len(raw) > maxSourceURL {
		return Source{}, fmt.Errorf("%w: the URL is %d characters long", ErrBadSource, len(raw))
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return Source{}, fmt.Errorf("%w: %v", ErrBadSource, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Opaque != "" || u.Host == "" {
		return Source{}, fmt.Errorf("%w: %s is not an https URL of an organisation", ErrBadSource, raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return Source{}, fmt.Errorf("%w: an organisation's URL has no query, fragment or user information", ErrBadSource)
	}
	if err := gitfetch.CheckURL(raw); err != nil {
		return Source{}, fmt.Errorf("%w: %w", ErrBadSource, err)
	}
	// One path segment matches none of remote's path shapes, so what
	// comes back is the host's canonical spelling and its forge if
	// remote knows the host itself.
	probe, _ := remote.Parse(u.Scheme + "://" + u.Host + "/x")
	if probe.Host == "" {
		return Source{}, fmt.Errorf("%w: %q is not a host name Callboard reads", ErrBadSource, u.Host)
	}
	if u.Scheme == "http" && !loopback(probe.Host) {
		return Source{}, fmt.Errorf("%w: %s is http; tokens go over https only (http is for loopback test servers)", ErrBadSource, raw)
	}
	known := probe.Forge
	if known == remote.Plain {
		known = ""
	}
	switch {
	case forge == "" && known == "":
		return Source{}, fmt.Errorf("%w: Callboard does not know which forge %s is: name it (github or gitlab)", ErrBadSource, probe.Host)
	case forge == "":
		forge = known
	case known != "" && forge != known:
		return Source{}, fmt.Errorf("%w: %s is %s, not %s", ErrBadSource, probe.Host, known, forge)
	}
	s := Source{Forge: forge, Scheme: u.Scheme, Host: probe.Host}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	for i, seg := range segs {
		d, err := url.PathUnescape(seg)
		if err != nil || d != seg {
			return Source{}, fmt.Errorf("%w: %s has an escaped character in its path", ErrBadSource, raw)
		}
		segs[i] = d
	}
	switch forge {
	case remote.GitHub:
		if len(segs) == 2 && segs[0] == "orgs" {
			segs = segs[1:]
		}
		if len(segs) != 1 || !githubLogin().MatchString(segs[0]) {
			return Source{}, fmt.Errorf("%w: %s names no GitHub organisation (https://%s/ORG)", ErrBadSource, raw, s.Host)
		}
		s.Owner = segs[0]
	case remote.GitLab:
		if len(segs) > 1 && segs[0] == "groups" {
			segs = segs[1:]
		}
		if i := indexOf(segs, "-"); i >= 0 {
			segs = segs[:i] // a group page: /group/-/issues
		}
		if len(segs) == 0 || len(segs) > maxGroupDepth {
			return Source{}, fmt.Errorf("%w: %s names no GitLab group (https://%s/GROUP/SUBGROUP)", ErrBadSource, raw, s.Host)
		}
		for _, seg := range segs {
			if !gitlabPath().MatchString(seg) || strings.HasSuffix(seg, ".git") || strings.HasSuffix(seg, ".atom") {
				return Source{}, fmt.Errorf("%w: %q is not a GitLab group's path", ErrBadSource, seg)
			}
		}
		s.Owner = strings.Join(segs, "/")
	default:
		return Source{}, fmt.Errorf("%w: discovery on %s is not built yet (GitHub and GitLab are)", ErrBadSource, forge)
	}
	return s, nil
}

// maxGroupDepth is GitLab's own limit on subgroup nesting (20) and the
// project's segment.
const maxGroupDepth = 21

var (
	githubLogin = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`) })
	gitlabPath  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$`) })
)

func indexOf(segs []string, s string) int {
	for i, v := range segs {
		if v == s {
			return i
		}
	}
	return -1
}

func loopback(host string) bool {
	name := host
	if strings.HasPrefix(name, "[") {
		name, _, _ = strings.Cut(name[1:], "]")
	} else {
		name, _, _ = strings.Cut(name, ":")
	}
	return name == "localhost" || name == "::1" || strings.HasPrefix(name, "127.")
}

// URL is the organisation's page.
func (s Source) URL() string { return s.Scheme + "://" + s.Host + "/" + s.Owner }

// apiHost is the host API requests go to, the only one the token is
// sent to.
func (s Source) apiHost() string {
	if s.Forge == remote.GitHub && s.Host == "github.com" {
		return "api.github.com"
	}
	return s.Host
}

// restBase is the REST API's root, without a trailing slash.
func (s Source) restBase() string {
	switch {
	case s.Forge == remote.GitLab:
		return s.Scheme + "://" + s.Host + "/api/v4"
	case s.Forge == remote.Gitea:
		return s.Scheme + "://" + s.Host + "/api/v1"
	case s.Host == "github.com":
		return "https://api.github.com"
	}
	return s.Scheme + "://" + s.Host + "/api/v3"
}

// graphQL is GitHub's GraphQL endpoint.
func (s Source) graphQL() string {
	if s.Host == "github.com" {
		return "https://api.github.com/graphql"
	}
	return s.Scheme + "://" + s.Host + "/api/graphql"
}
