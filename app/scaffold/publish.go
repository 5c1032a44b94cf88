package scaffold

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/callboard/callboard/app/nunjucks"
)

// LocalHost is the repoUrl host of a project kept on this machine only
// (RepoUrlPicker's "local folder" choice): publish:* commits, pushes
// nowhere.
const LocalHost = "local"

// repoHost is a repoUrl's host: a DNS name or IPv4 address, maybe a port.
var repoHost = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$`)

// repo is a parsed repoUrl: host?owner=…&repo=…&organization=…&workspace=…&project=….
type repo struct {
	host, owner, name, organization, workspace, project string
}

func parseRepoURL(s string) (repo, error) {
	host, query, ok := strings.Cut(s, "?")
	if !ok || host == "" {
		return repo{}, fmt.Errorf("repoUrl %q: want host?owner=…&repo=…", s)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return repo{}, fmt.Errorf("repoUrl %q: %w", s, err)
	}
	// The host becomes the remote's https://HOST/…: anything but a name
	// and port (user info, a path) would send the push elsewhere.
	if !repoHost.MatchString(host) {
		return repo{}, fmt.Errorf("repoUrl %q: %q is not a host name (such as github.com or git.example:8443)", s, host)
	}
	host = strings.TrimSuffix(strings.ToLower(host), ":443")
	r := repo{host: host, owner: q.Get("owner"), name: q.Get("repo"), organization: q.Get("organization"), workspace: q.Get("workspace"), project: q.Get("project")}
	if r.name == "" {
		return repo{}, fmt.Errorf("repoUrl %q has no repo", s)
	}
	for _, part := range []string{r.owner, r.name, r.organization, r.workspace, r.project} {
		if strings.Contains(part, "..") || strings.ContainsAny(part, "\\\x00\n") {
			return repo{}, fmt.Errorf("repoUrl %q: %q is not a repository name", s, part)
		}
	}
	return r, nil
}

// web is the repository's web address and the URL prefix of its files at
// branch, the way each publish action reports them; git is its git URL.
func (r repo) urls(action, branch string) (web, contents, gitURL string) {
	base := "https://" + r.host
	switch {
	case strings.HasPrefix(action, "publish:azure"):
		web = fmt.Sprintf("%s/%s/%s/_git/%s", base, r.organization, r.project, r.name)
		return web, web + "?path=%2F&version=GB" + url.QueryEscape(branch), web
	case action == "publish:bitbucketServer" || strings.HasPrefix(action, "publish:bitbucketServer:"):
		web = fmt.Sprintf("%s/projects/%s/repos/%s", base, r.project, r.name)
		return web, web + "/browse", fmt.Sprintf("%s/scm/%s/%s.git", base, strings.ToLower(r.project), r.name)
	case strings.HasPrefix(action, "publish:bitbucket"):
		owner := r.workspace
		if owner == "" {
			owner = r.owner
		}
		web = fmt.Sprintf("%s/%s/%s", base, owner, r.name)
		return web, web + "/src/" + branch, web + ".git"
	case strings.HasPrefix(action, "publish:gitlab"):
		web = fmt.Sprintf("%s/%s/%s", base, r.owner, r.name)
		return web, web + "/-/blob/" + branch, web + ".git"
	}
	web = fmt.Sprintf("%s/%s/%s", base, r.owner, r.name)
	return web, web + "/blob/" + branch, web + ".git"
}

type publishInput struct {
	repo    repo
	branch  string
	source  string
	message string
	name    string
	email   string
}

func readPublishInput(c *Context, defaultBranch string) (publishInput, error) {
	var in publishInput
	repoURL, err := str(c.Input, "repoUrl")
	if err != nil {
		return in, err
	}
	if in.repo, err = parseRepoURL(repoURL); err != nil {
		return in, &InputError{Input: "repoUrl", Err: err}
	}
	in.branch, _ = str(c.Input, "defaultBranch")
	if in.branch == "" {
		in.branch = defaultBranch
	}
	if err := checkBranch(in.branch); err != nil {
		return in, &InputError{Input: "defaultBranch", Err: err}
	}
	src, _ := str(c.Input, "sourcePath")
	if in.source, err = clean(src); err != nil {
		return in, &InputError{Input: "sourcePath", Err: err}
	}
	in.message, _ = str(c.Input, "gitCommitMessage")
	if in.message == "" {
		in.message = "initial commit"
	}
	in.name, _ = str(c.Input, "gitAuthorName")
	in.email, _ = str(c.Input, "gitAuthorEmail")
	if in.name == "" {
		in.name = cmpOr(c.User.Name, "Scaffolder")
	}
	if in.email == "" {
		in.email = cmpOr(c.User.Email, "scaffolder@backstage.io")
	}
	return in, nil
}

func checkBranch(b string) error {
	if b == "" || strings.ContainsAny(b, " ~^:?*[\\\x00") || strings.HasPrefix(b, "-") || strings.Contains(b, "..") {
		return fmt.Errorf("%q is not a branch name", b)
	}
	return nil
}

// publish maps publish:* to the local-first flow: the project becomes a
// git repository with one commit on the default branch, its remote set
// to the repository repoUrl names; pushing is the caller's, once the
// project is in place (Result.Publish).
func publish(action string) func(context.Context, *Context) error {
	return func(ctx context.Context, c *Context) error {
		in, err := readPublishInput(c, "master")
		if err != nil {
			return err
		}
		web, contents, gitURL := in.repo.urls(action, in.branch)
		if in.repo.host == LocalHost {
			// Kept here: the project's folder is its address.
			web = "file://" + filepath.ToSlash(filepath.Join(cmpOr(c.Target, c.Workspace.Dir), filepath.FromSlash(in.source)))
			contents, gitURL = web, ""
		} else if c.checkRemote != nil {
			// Refused before anything is made, so a run never leaves a
			// project set to push where the user did not choose.
			if err := c.checkRemote(ctx, in.repo.host); err != nil {
				return fmt.Errorf("%s to %s: %w", action, gitURL, err)
			}
		}
		hash := ""
		if c.DryRun {
			c.Logf("Dry run: %s would be a git repository on %s, first commit %q%s", cmpOr(strings.TrimPrefix(in.source, "."), "the project"), in.branch, in.message, pushNote(gitURL))
		} else {
			h, err := initRepo(ctx, filepath.Join(c.Workspace.Dir, filepath.FromSlash(in.source)), in, gitURL, c.Workspace.bytes.Load())
			if err != nil {
				return err
			}
			hash = h
			c.Logf("Initialised a git repository on %s, commit %s%s", in.branch, shortHash(h), pushNote(gitURL))
		}
		c.result.Publish = append(c.result.Publish, Publish{Action: action, Remote: gitURL, Branch: in.branch, Dir: strings.TrimPrefix(in.source, ".")})
		c.result.published = append(c.result.published, published{contents: contents, dir: strings.TrimPrefix(in.source, ".")})
		c.Output("remoteUrl", web)
		c.Output("repoContentsUrl", contents)
		c.Output("commitHash", hash)
		return nil
	}
}

func pushNote(gitURL string) string {
	if gitURL == "" {
		return "; kept on this machine only"
	}
	return "; it is pushed to " + gitURL + " when the project is in place"
}

func shortHash(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}

// publishChange maps pull/merge-request actions: the change is committed
// on branchName in the project folder; opening the request is left to the
// user, from a clone of the target repository.
func publishChange(action string) func(context.Context, *Context) error {
	return func(ctx context.Context, c *Context) error {
		repoURL, err := str(c.Input, "repoUrl")
		if err != nil {
			return err
		}
		r, err := parseRepoURL(repoURL)
		if err != nil {
			return &InputError{Input: "repoUrl", Err: err}
		}
		branch, _ := str(c.Input, "branchName")
		if err := checkBranch(branch); err != nil {
			return &InputError{Input: "branchName", Err: err}
		}
		title, _ := str(c.Input, "title")
		target, _ := str(c.Input, "targetBranchName")
		src, _ := str(c.Input, "sourcePath")
		source, err := clean(src)
		if err != nil {
			return &InputError{Input: "sourcePath", Err: err}
		}
		web, _, _ := r.urls(action, cmpOr(target, "main"))
		in := publishInput{repo: r, branch: branch, source: source, message: cmpOr(title, "Changes from "+c.Template.Ref), name: cmpOr(c.User.Name, "Scaffolder"), email: cmpOr(c.User.Email, "scaffolder@backstage.io")}
		if c.DryRun {
			c.Logf("Dry run: the change would be committed on %s, for a request into %s", branch, web)
		} else {
			h, err := initRepo(ctx, filepath.Join(c.Workspace.Dir, filepath.FromSlash(source)), in, "", c.Workspace.bytes.Load())
			if err != nil {
				return err
			}
			c.Logf("Committed the change on %s (%s); open the request into %s from a clone of it", branch, shortHash(h), web)
		}
		c.result.Publish = append(c.result.Publish, Publish{Action: action, Branch: branch, Dir: strings.TrimPrefix(source, ".")})
		c.Output("remoteUrl", web)
		c.Output("targetBranchName", cmpOr(target, "main"))
		return nil
	}
}

// maxPackedCommit bounds the project initRepo commits from memory; a
// bigger one is written as loose objects.
const maxPackedCommit = 64 << 20

// initRepo makes dir a git repository with everything in it committed on
// in.branch, and origin set to remote when given. size is about how many
// bytes dir holds. Up to maxPackedCommit the objects are made in memory
// (stage) and written as one packfile: as loose objects each costs a
// file, a rename and often a folder, which was most of a run's time for a
// skeleton of a few hundred files. A bigger project is committed by
// go-git, as loose objects.
func initRepo(ctx context.Context, dir string, in publishInput, remote string, size int64) (string, error) {
	opts := &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(in.branch)}}
	if size > maxPackedCommit {
		r, err := git.PlainInitWithOptions(dir, opts)
		if err != nil {
			return "", fmt.Errorf("git init %s: %w", path.Base(dir), err)
		}
		h, err := commitAll(ctx, r, in)
		if err != nil {
			return "", err
		}
		return h.String(), addOrigin(r, remote)
	}
	st, err := stage(ctx, dir, in)
	if err != nil {
		return "", err
	}
	h := st.commit
	r, err := git.PlainInitWithOptions(dir, opts)
	if err != nil {
		return "", fmt.Errorf("git init %s: %w", path.Base(dir), err)
	}
	if err := writePack(st.objects, filepath.Join(dir, git.GitDirName)); err != nil {
		return "", fmt.Errorf("git commit: write the objects: %w", err)
	}
	if err := r.Storer.SetIndex(st.index); err != nil {
		return "", fmt.Errorf("git commit: write the index: %w", err)
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference(opts.DefaultBranch, h)); err != nil {
		return "", fmt.Errorf("git commit: %w", err)
	}
	return h.String(), addOrigin(r, remote)
}

// commitAll adds everything in r's worktree and commits it.
func commitAll(ctx context.Context, r *git.Repository, in publishInput) (plumbing.Hash, error) {
	wt, err := r.Worktree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := ctx.Err(); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("git add: %w", err)
	}
	sig := &object.Signature{Name: in.name, Email: in.email, When: time.Now()}
	h, err := wt.Commit(in.message, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("git commit: %w", err)
	}
	return h, nil
}

func addOrigin(r *git.Repository, remote string) error {
	if remote == "" {
		return nil
	}
	if _, err := r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
		return fmt.Errorf("git remote add origin: %w", err)
	}
	return nil
}

// PushTarget is the repoUrl input, as written, of a publish:* step that
// pushes the new project (not the pull- and merge-request ones, which
// commit locally); "" for any other step.
func (s Step) PushTarget() string {
	if !strings.HasPrefix(s.Action, "publish:") || strings.HasSuffix(s.Action, ":pull-request") || strings.HasSuffix(s.Action, ":merge-request") {
		return ""
	}
	in, ok := s.Input.(*nunjucks.Object)
	if !ok {
		return ""
	}
	v, _ := in.Get("repoUrl")
	url, _ := v.(string)
	return url
}
