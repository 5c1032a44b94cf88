package remote

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/callboard/callboard/sync/gitfetch"
)

// Forge is the kind of server a URL points into: it decides where a file
// is fetched from and how a token is presented.
type Forge string

// The forges whose URL forms Backstage's URL readers accept, and plain
// https for everything else.
const (
	GitHub          Forge = "github" // github.com and GitHub Enterprise
	GitLab          Forge = "gitlab"
	BitbucketCloud  Forge = "bitbucketCloud"
	BitbucketServer Forge = "bitbucketServer"
	Azure           Forge = "azure" // Azure DevOps Services and Server
	Gitea           Forge = "gitea" // Gitea and Forgejo
	Plain           Forge = "url"
)

// maxURL bounds the URLs parsed; real ones are far shorter.
const maxURL = 4096

// Target is a parsed URL: which repository, ref and path it names, on
// which host. Host is the name credentials, trusted hosts and the hosts
// the user allows are filed under (as gitfetch.Host files them); every
// request for the target goes to Host, or for github.com and bitbucket.org
// to their own API and raw-file hosts.
type Target struct {
	URL    string // as given
	Scheme string // https or http
	Host   string // lower case, with the port when it is not the scheme's own
	Forge  Forge
	// Repo is the repository's path on Host: owner/name, group/subgroup/name,
	// PROJECT/name (Bitbucket Server), org/project/_git/name (Azure). Empty
	// for Plain.
	Repo string
	// Ref is the branch, tag or commit the URL names; empty for the
	// repository's default branch.
	Ref string
	// Path is the file or folder inside the repository, slash-separated,
	// without a leading slash; for Plain, the URL's path.
	Path string
	// Tree is set when the URL names a folder (GitHub's and GitLab's tree/).
	Tree bool

	plain string // the URL with its host as Host spells it, fetched for Plain
}

// Parse reads a URL in any of the forms Backstage's URL readers accept:
//
//	GitHub       https://github.com/o/r/blob/<ref>/path, tree/, raw/;
//	             https://raw.githubusercontent.com/o/r/<ref>/path; the API's
//	             /repos/o/r/contents/path?ref=; GitHub Enterprise hosts with the
//	             same paths, /raw/o/r/<ref>/path and /api/v3/repos/…
//	GitLab       https://host/group/sub/r/-/blob/<ref>/path, -/tree/, -/raw/;
//	             /api/v4/projects/<id>/repository/files/<path>/raw?ref=
//	Bitbucket    https://bitbucket.org/o/r/src/<ref>/path;
//	             https://host/projects/P/repos/r/browse/path?at=<ref> (Server)
//	Azure DevOps https://dev.azure.com/o/p/_git/r?path=/f&version=GB<branch>
//	Gitea        https://host/o/r/src/branch/<b>/path (also tag/, commit/)
//	anything else: a plain file URL
//
// Hosts other than the well-known ones are recognised by these path shapes.
// URLs with user information, a credential in the query, a host that is
// not an ASCII DNS name or an IP address, or "." and ".." path segments
// are refused (ErrBadURL).
func Parse(raw string) (Target, error) {
	if len(raw) > maxURL {
		return Target{}, fmt.Errorf("%w: the URL is %d characters long", ErrBadURL, len(raw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // url.Error quotes the whole URL
		}
		return Target{}, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return Target{}, fmt.Errorf("%w: only https and http URLs are read, not %s URLs", ErrBadURL, u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return Target{}, fmt.Errorf("%w: no host after %s://", ErrBadURL, u.Scheme)
	}
	if err := gitfetch.CheckURL(raw); err != nil {
		return Target{}, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	host, err := canonicalHost(u)
	if err != nil {
		return Target{}, err
	}
	t := Target{URL: raw, Scheme: u.Scheme, Host: host, Forge: Plain, Path: strings.TrimPrefix(u.Path, "/"),
		plain: u.Scheme + "://" + host + u.EscapedPath()}
	if u.RawQuery != "" {
		t.plain += "?" + u.RawQuery
	}
	segs, ok := segments(u.EscapedPath())
	known := knownHosts[host]
	if !ok {
		if known != "" {
			return t, fmt.Errorf("%w: %s has an empty, \".\" or \"..\" segment in its path", ErrBadURL, raw)
		}
		return t, nil // not a forge's path: a plain URL, read as it is
	}
	if known == "" && strings.HasSuffix(host, ".visualstudio.com") {
		known = Azure
	}
	q := u.Query()
	switch {
	case host == "raw.githubusercontent.com":
		t.Host = aliasOf[host]
		return t.githubRaw(segs)
	case host == "api.github.com":
		t.Host = aliasOf[host]
		return t.githubAPI(segs, q)
	case known == GitHub:
		t.Host = "github.com"
		return t.github(segs, q, false)
	case host == "api.bitbucket.org":
		t.Host = aliasOf[host]
		if len(segs) > 2 && segs[0].dec == "2.0" && segs[1].dec == "repositories" {
			return t.bitbucketCloud(segs[2:])
		}
		return t.badForm("Bitbucket API")
	case known == BitbucketCloud:
		t.Host = "bitbucket.org"
		return t.bitbucketCloud(segs)
	case known == GitLab:
		return t.gitlab(segs, q, true)
	case known == Azure:
		return t.azure(segs, q)
	case known == Gitea:
		return t.gitea(segs, q)
	}
	// Another host: its paths tell the forge.
	switch {
	case index(segs, "_git") > 0:
		return t.azure(segs, q)
	case len(segs) >= 4 && (segs[0].dec == "projects" && segs[2].dec == "repos" ||
		len(segs) >= 7 && segs[0].dec == "rest" && segs[1].dec == "api" && segs[3].dec == "projects" && segs[5].dec == "repos"):
		return t.bitbucketServer(segs, q)
	case gitlabDash(segs) > 0 || len(segs) > 3 && segs[0].dec == "api" && segs[1].dec == "v4" && segs[2].dec == "projects":
		return t.gitlab(segs, q, false)
	case len(segs) >= 5 && (segs[2].dec == "src" || segs[2].dec == "raw") && isGiteaKind(segs[3].dec) ||
		len(segs) >= 5 && segs[0].dec == "api" && segs[1].dec == "v1" && segs[2].dec == "repos":
		return t.gitea(segs, q)
	case len(segs) >= 4 && (segs[2].dec == "blob" || segs[2].dec == "tree" || segs[2].dec == "raw") ||
		len(segs) >= 5 && segs[0].dec == "raw" ||
		len(segs) >= 6 && segs[0].dec == "api" && segs[1].dec == "v3" && segs[2].dec == "repos":
		return t.github(segs, q, true)
	}
	return t, nil
}

// knownHosts are the forges' own hosts; others are told by their paths.
// A port makes a host another one (a test server, an Enterprise
// install), so these match without one only.
var knownHosts = map[string]Forge{
	"github.com": GitHub, "www.github.com": GitHub, "raw.githubusercontent.com": GitHub, "api.github.com": GitHub,
	"gitlab.com":    GitLab,
	"bitbucket.org": BitbucketCloud, "www.bitbucket.org": BitbucketCloud, "api.bitbucket.org": BitbucketCloud,
	"dev.azure.com": Azure,
	"gitea.com":     Gitea, "codeberg.org": Gitea,
}

// aliasOf maps the forges' API and raw-file hosts to the host their
// repositories, and so their tokens, are filed under.
var aliasOf = map[string]string{
	"www.github.com": "github.com", "raw.githubusercontent.com": "github.com", "api.github.com": "github.com",
	"www.bitbucket.org": "bitbucket.org", "api.bitbucket.org": "bitbucket.org",
}

// segment is one path segment, as written and decoded.
type segment struct{ raw, dec string }

// segments splits an escaped path. ok is false when a segment is empty
// (other than a trailing slash), "." or "..", or holds a backslash: no
// forge path has one, and a server would resolve it elsewhere than the
// repository the URL seems to name. A segment may hold an encoded slash
// (GitLab's API encodes a project's path so) when what it decodes to is a
// clean relative path.
func segments(escaped string) ([]segment, bool) {
	parts := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	if len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	out := make([]segment, 0, len(parts))
	for _, p := range parts {
		d, err := url.PathUnescape(p)
		if err != nil || !cleanRel(d) {
			return nil, false
		}
		out = append(out, segment{p, d})
	}
	return out, true
}

// cleanRel accepts a relative slash-separated path without empty, "." or
// ".." segments or backslashes.
func cleanRel(p string) bool {
	if p == "" || strings.Contains(p, "\\") {
		return false
	}
	for s := range strings.SplitSeq(p, "/") {
		if s == "" || s == "." || s == ".." {
			return false
		}
	}
	return true
}

func join(segs []segment) string {
	parts := make([]string, len(segs))
	for i, s := range segs {
		parts[i] = s.dec
	}
	return strings.Join(parts, "/")
}

func index(segs []segment, word string) int {
	for i, s := range segs {
		if s.dec == word {
			return i
		}
	}
	return -1
}

func hasSlash(segs []segment) bool {
	for _, s := range segs {
		if strings.Contains(s.dec, "/") {
			return true
		}
	}
	return false
}

// canonicalHost is u's host as credentials are filed: lower case, no
// trailing dot, the port only when it is not the scheme's own. Only ASCII
// DNS names and IP addresses pass, so no two spellings reach one name.
func canonicalHost(u *url.URL) (string, error) {
	name := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if port == "" && strings.HasSuffix(u.Host, ":") {
		return "", fmt.Errorf("%w: %q has an empty port", ErrBadURL, u.Host)
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return "", fmt.Errorf("%w: %q is not a port", ErrBadURL, port)
		}
		if n == 443 && u.Scheme == "https" || n == 80 && u.Scheme == "http" {
			port = ""
		}
	}
	if strings.HasPrefix(u.Host, "[") {
		a, err := netip.ParseAddr(name)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return "", fmt.Errorf("%w: %q is not an IPv6 address", ErrBadURL, name)
		}
		name = "[" + a.String() + "]"
	} else if !dnsName(name) {
		return "", fmt.Errorf("%w: host %q is not an ASCII host name (write an international name in its xn-- form)", ErrBadURL, u.Hostname())
	}
	if port != "" {
		return name + ":" + port, nil
	}
	return name, nil
}

// dnsName accepts lower-case ASCII names of letters, digits and hyphens
// (and dotted IPv4 addresses, which are such names too).
func dnsName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// hostname is host without its port.
func hostname(host string) string {
	if strings.HasPrefix(host, "[") {
		name, _, _ := strings.Cut(host, "]")
		return name + "]"
	}
	name, _, _ := strings.Cut(host, ":")
	return name
}

func (t Target) repoOnly(segs []segment) (Target, error) {
	t.Repo = strings.TrimSuffix(join(segs), ".git")
	t.Path = ""
	return t, nil
}

func (t Target) file(repo []segment, ref string, path []segment) (Target, error) {
	if hasSlash(repo) || hasSlash(path) {
		return t, fmt.Errorf("%w: %s has an encoded slash in its path", ErrBadURL, t.URL)
	}
	t.Repo = strings.TrimSuffix(join(repo), ".git")
	t.Ref, t.Path = ref, join(path)
	return t, nil
}

func (t Target) badForm(what string) (Target, error) {
	return t, fmt.Errorf("%w: %s is not a %s URL Callboard knows", ErrBadURL, t.URL, what)
}

// github reads owner/repo/{blob,tree,raw}/ref/path, and on an Enterprise
// host also raw/owner/repo/ref/path and api/v3/repos/….
func (t Target) github(segs []segment, q url.Values, enterprise bool) (Target, error) {
	t.Forge = GitHub
	switch {
	case enterprise && len(segs) >= 5 && segs[0].dec == "raw":
		return t.githubRaw(segs[1:])
	case enterprise && len(segs) >= 3 && segs[0].dec == "api" && segs[1].dec == "v3":
		return t.githubAPI(segs[2:], q)
	case len(segs) == 2:
		return t.repoOnly(segs)
	case len(segs) >= 4 && (segs[2].dec == "blob" || segs[2].dec == "tree" || segs[2].dec == "raw"):
		t.Tree = segs[2].dec == "tree"
		return t.file(segs[:2], segs[3].dec, segs[4:])
	}
	return t.badForm("GitHub file")
}

// githubRaw reads owner/repo/ref/path, where ref may be spelt
// refs/heads/<branch> or refs/tags/<tag>.
func (t Target) githubRaw(segs []segment) (Target, error) {
	t.Forge = GitHub
	if len(segs) >= 6 && segs[2].dec == "refs" && (segs[3].dec == "heads" || segs[3].dec == "tags") {
		return t.file(segs[:2], segs[4].dec, segs[5:])
	}
	if len(segs) < 4 {
		return t.badForm("GitHub raw file")
	}
	return t.file(segs[:2], segs[2].dec, segs[3:])
}

// githubAPI reads repos/owner/repo/contents/path?ref=.
func (t Target) githubAPI(segs []segment, q url.Values) (Target, error) {
	t.Forge = GitHub
	if len(segs) < 5 || segs[0].dec != "repos" || segs[3].dec != "contents" {
		return t.badForm("GitHub API contents")
	}
	return t.file(segs[1:3], q.Get("ref"), segs[4:])
}

// gitlabDash is the index of GitLab's "-" separator before blob, tree or
// raw, after at least a group and a project; or -1.
func gitlabDash(segs []segment) int {
	for i := 2; i+2 < len(segs); i++ {
		if segs[i].dec == "-" && (segs[i+1].dec == "blob" || segs[i+1].dec == "tree" || segs[i+1].dec == "raw") {
			return i
		}
	}
	return -1
}

// gitlab reads group/…/project/-/{blob,tree,raw}/ref/path, the older form
// without "-" on gitlab.com, and the files API.
func (t Target) gitlab(segs []segment, q url.Values, known bool) (Target, error) {
	t.Forge = GitLab
	if len(segs) >= 8 && segs[0].dec == "api" && segs[1].dec == "v4" && segs[2].dec == "projects" &&
		segs[4].dec == "repository" && segs[5].dec == "files" && segs[7].dec == "raw" {
		t.Repo, t.Ref, t.Path = segs[3].dec, q.Get("ref"), segs[6].dec
		return t, nil
	}
	if i := gitlabDash(segs); i > 0 {
		if len(segs) < i+3 {
			return t.badForm("GitLab file")
		}
		t.Tree = segs[i+1].dec == "tree"
		return t.file(segs[:i], segs[i+2].dec, segs[i+3:])
	}
	if known {
		for i := 2; i+1 < len(segs); i++ {
			if w := segs[i].dec; w == "blob" || w == "tree" || w == "raw" {
				t.Tree = w == "tree"
				return t.file(segs[:i], segs[i+1].dec, segs[i+2:])
			}
		}
		if len(segs) >= 2 {
			return t.repoOnly(segs)
		}
	}
	return t.badForm("GitLab file")
}

// bitbucketCloud reads owner/repo/{src,raw}/ref/path.
func (t Target) bitbucketCloud(segs []segment) (Target, error) {
	t.Forge = BitbucketCloud
	switch {
	case len(segs) == 2:
		return t.repoOnly(segs)
	case len(segs) >= 4 && (segs[2].dec == "src" || segs[2].dec == "raw"):
		return t.file(segs[:2], segs[3].dec, segs[4:])
	}
	return t.badForm("Bitbucket file")
}

// bitbucketServer reads projects/P/repos/r/{browse,raw}/path?at=ref and
// the same under rest/api/1.0.
func (t Target) bitbucketServer(segs []segment, q url.Values) (Target, error) {
	t.Forge = BitbucketServer
	if segs[0].dec == "rest" {
		segs = segs[3:]
	}
	ref := q.Get("at")
	for _, p := range []string{"refs/heads/", "refs/tags/"} {
		ref = strings.TrimPrefix(ref, p)
	}
	switch {
	case len(segs) == 4:
		return t.file([]segment{segs[1], segs[3]}, ref, nil)
	case len(segs) >= 5 && (segs[4].dec == "browse" || segs[4].dec == "raw"):
		return t.file([]segment{segs[1], segs[3]}, ref, segs[5:])
	}
	return t.badForm("Bitbucket Server file")
}

// azure reads [collection/]org/project/_git/repo?path=&version=GB<branch>
// (GT a tag, GC a commit).
func (t Target) azure(segs []segment, q url.Values) (Target, error) {
	t.Forge = Azure
	i := index(segs, "_git")
	if i < 1 || len(segs) != i+2 || hasSlash(segs) {
		return t.badForm("Azure DevOps repository")
	}
	t.Repo = join(segs)
	path := q.Get("path")
	if path != "" {
		clean := strings.Trim(path, "/")
		if !cleanRel(clean) {
			return t.badForm("Azure DevOps file")
		}
		t.Path = clean
	}
	if v := q.Get("version"); v != "" {
		if len(v) < 3 || v[0] != 'G' || (v[1] != 'B' && v[1] != 'T' && v[1] != 'C') {
			return t, fmt.Errorf("%w: %s: version must be GB<branch>, GT<tag> or GC<commit>", ErrBadURL, t.URL)
		}
		t.Ref = v
	}
	return t, nil
}

func isGiteaKind(s string) bool { return s == "branch" || s == "tag" || s == "commit" }

// gitea reads owner/repo/{src,raw}/{branch,tag,commit}/ref/path and the
// API's repos/owner/repo/{contents,raw}/path?ref=.
func (t Target) gitea(segs []segment, q url.Values) (Target, error) {
	t.Forge = Gitea
	switch {
	case len(segs) >= 6 && segs[0].dec == "api" && segs[1].dec == "v1" && segs[2].dec == "repos" &&
		(segs[5].dec == "contents" || segs[5].dec == "raw"):
		return t.file(segs[3:5], q.Get("ref"), segs[6:])
	case len(segs) == 2:
		return t.repoOnly(segs)
	case len(segs) >= 5 && (segs[2].dec == "src" || segs[2].dec == "raw") && isGiteaKind(segs[3].dec):
		return t.file(segs[:2], segs[4].dec, segs[5:])
	}
	return t.badForm("Gitea file")
}

// File reports whether t names a file (rather than a repository or folder).
func (t Target) File() bool { return !t.Tree && t.Path != "" }

// escapePath escapes each segment of a slash-separated path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// azureRef splits an Azure version (GBmain) into the name and its type.
func azureRef(v string) (name, kind string) {
	if len(v) < 3 {
		return "", ""
	}
	switch v[1] {
	case 'T':
		return v[2:], "tag"
	case 'C':
		return v[2:], "commit"
	}
	return v[2:], "branch"
}

// RefName is the branch, tag or commit t names, as git spells it ("" for
// the default branch).
func (t Target) RefName() string {
	if t.Forge == Azure {
		name, _ := azureRef(t.Ref)
		return name
	}
	return t.Ref
}

// FetchURL is the URL the file's contents are fetched from: the forge's
// raw-file endpoint, or its API when a token goes with the request
// (github.com serves private files to tokens through its API). It is on
// t.Host, or for github.com on api.github.com or
// raw.githubusercontent.com, for bitbucket.org on api.bitbucket.org.
func (t Target) FetchURL(withToken bool) (string, error) {
	if !t.File() && t.Forge != Plain {
		return "", fmt.Errorf("%w: %s names a repository or folder; point at a file", ErrNoFile, t.URL)
	}
	base := t.Scheme + "://" + t.Host
	owner, name, _ := strings.Cut(t.Repo, "/")
	switch t.Forge {
	case GitHub:
		if t.Host == "github.com" {
			if withToken {
				return "https://api.github.com/repos/" + escapePath(t.Repo) + "/contents/" + escapePath(t.Path) + refQuery("ref", t.Ref), nil
			}
			return "https://raw.githubusercontent.com/" + escapePath(t.Repo) + "/" + url.PathEscape(t.Ref) + "/" + escapePath(t.Path), nil
		}
		if withToken {
			return base + "/api/v3/repos/" + escapePath(t.Repo) + "/contents/" + escapePath(t.Path) + refQuery("ref", t.Ref), nil
		}
		return base + "/raw/" + escapePath(t.Repo) + "/" + url.PathEscape(t.Ref) + "/" + escapePath(t.Path), nil
	case GitLab:
		return base + "/api/v4/projects/" + url.PathEscape(t.Repo) + "/repository/files/" + url.PathEscape(t.Path) + "/raw" + refQuery("ref", t.Ref), nil
	case BitbucketCloud:
		return "https://api.bitbucket.org/2.0/repositories/" + escapePath(t.Repo) + "/src/" + url.PathEscape(t.Ref) + "/" + escapePath(t.Path), nil
	case BitbucketServer:
		return base + "/rest/api/1.0/projects/" + url.PathEscape(owner) + "/repos/" + url.PathEscape(name) + "/raw/" + escapePath(t.Path) + refQuery("at", t.Ref), nil
	case Azure:
		segs := strings.Split(t.Repo, "/")
		i := len(segs) - 2 // "_git"
		prefix := segs[:i]
		if t.Host == "dev.azure.com" && len(prefix) == 1 {
			prefix = append(prefix, segs[i+1]) // org/_git/repo: the project is named as the repository
		}
		q := url.Values{"api-version": {"6.0"}, "path": {"/" + t.Path}}
		if t.Ref != "" {
			ref, kind := azureRef(t.Ref)
			q.Set("version", ref)
			if kind != "branch" {
				q.Set("versionType", kind)
			}
		}
		return base + "/" + escapePath(strings.Join(prefix, "/")) + "/_apis/git/repositories/" + url.PathEscape(segs[i+1]) + "/items?" + q.Encode(), nil
	case Gitea:
		return base + "/api/v1/repos/" + escapePath(t.Repo) + "/raw/" + escapePath(t.Path) + refQuery("ref", t.Ref), nil
	}
	return t.plain, nil
}

func refQuery(key, ref string) string {
	if ref == "" {
		return ""
	}
	return "?" + key + "=" + url.QueryEscape(ref)
}

// authorize presents token the way t's forge takes it.
func (t Target) authorize(h http.Header, token string) {
	switch t.Forge {
	case GitHub, Gitea:
		h.Set("Authorization", "token "+token)
	case Azure:
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(":"+token)))
	default:
		h.Set("Authorization", "Bearer "+token)
	}
	if t.Forge == GitHub {
		h.Set("Accept", "application/vnd.github.raw")
	}
}

// Home is the repository a file that names URLs comes from, at the
// commit being read: a URL into it is read from that commit, not fetched.
type Home struct {
	// URL is the repository's clone URL (https, ssh or scp-like).
	URL string
	// Branch and Commit are what is being read; DefaultBranch says Branch
	// is the repository's default, so "HEAD" and a URL without a ref name
	// it too.
	Branch, Commit string
	DefaultBranch  bool
}

// In returns the path of the file t names inside h's repository at h's
// branch or commit; ok is false when t names a folder or points anywhere
// else.
func (t Target) In(h Home) (path string, ok bool) {
	if !t.File() {
		return "", false
	}
	return t.Within(h)
}

// Within is In for folders too (a template fetches its skeleton by a tree
// URL): the file or folder t names inside h's repository, "" for its root.
func (t Target) Within(h Home) (path string, ok bool) {
	if t.Forge == Plain || h.URL == "" || !t.sameRepo(h.URL) {
		return "", false
	}
	ref := t.RefName()
	switch {
	case ref == h.Branch && ref != "",
		len(ref) >= 7 && len(ref) <= len(h.Commit) && strings.EqualFold(h.Commit[:len(ref)], ref) && isHex(ref),
		h.DefaultBranch && (ref == "" || ref == "HEAD"):
		return t.Path, true
	}
	return "", false
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// sameRepo says whether clone (a repository URL as locations hold them)
// is t's repository: the same host (ssh's port aside) and path.
func (t Target) sameRepo(clone string) bool {
	host, path, ssh, ok := cloneParts(clone)
	if !ok || t.byID() {
		return false
	}
	if ssh {
		if hostname(host) != hostname(t.Host) {
			return false
		}
	} else if host != t.Host {
		return false
	}
	path = strings.ToLower(strings.TrimSuffix(strings.Trim(path, "/"), ".git"))
	if t.Forge == BitbucketServer {
		path = strings.TrimPrefix(path, "scm/")
	}
	return path != "" && path == strings.ToLower(t.Repo)
}

// cloneParts reads a clone URL's host (as Target.Host files it) and path.
func cloneParts(clone string) (host, path string, ssh, ok bool) {
	if !strings.Contains(clone, "://") {
		// scp-like user@host:path
		at := strings.LastIndex(clone, "@")
		rest := clone[at+1:]
		h, p, found := strings.Cut(rest, ":")
		if !found || strings.Contains(h, "/") || h == "" {
			return "", "", false, false
		}
		return strings.ToLower(h), p, true, true
	}
	u, err := url.Parse(clone)
	if err != nil || u.Host == "" {
		return "", "", false, false
	}
	switch u.Scheme {
	case "https", "http":
		h, err := canonicalHost(u)
		if err != nil {
			return "", "", false, false
		}
		return h, u.Path, false, true
	case "ssh", "git+ssh", "ssh+git":
		return strings.ToLower(u.Hostname()), u.Path, true, true
	}
	return "", "", false, false
}
