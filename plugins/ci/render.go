package ci

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

const (
	// slugAnnotation names an entity's GitHub repository, as Backstage's
	// GitHub Actions plugin reads it.
	slugAnnotation = "github.com/project-slug"
	defaultAPIURL  = "https://api.github.com"
	// httpTimeout bounds a fetch when the host gives no deadline.
	httpTimeout = 10 * time.Second
	// maxDeadlineMargin is the most kept back of the host's deadline, so a
	// fetch that runs out of time still leaves time to answer with the cache.
	maxDeadlineMargin = 500 * time.Millisecond
)

// Settings keys.
const (
	keyAPIURL      = "apiUrl"
	keyCacheDir    = "cacheDir"
	keyToken       = "token"
	keyGitLabURL   = "gitlabUrl"
	keyGitLabToken = "gitlabToken"
)

var configFields = []*pluginv1.ConfigField{
	{Key: keyAPIURL, Title: "GitHub API URL", Description: "The GitHub API to ask for runs: " + defaultAPIURL + " when empty; GitHub Enterprise Server's is https://HOST/api/v3."},
	{Key: keyCacheDir, Title: "Cache folder", Description: "An absolute folder where the last runs fetched are kept for offline use; the user cache folder's callboard/plugins/ci when empty."},
	{Key: keyToken, Title: "GitHub token", Description: "A token that can read the repositories' Actions: fine-grained with Actions read-only, or classic with the repo scope for private repositories. Re-running failed jobs needs Actions read and write.", Secret: true},
	{Key: keyGitLabURL, Title: "GitLab URL", Description: "The GitLab the GitLab token is for: " + defaultGitLabURL + " when empty, or a self-managed one. Entities on another GitLab host are asked without a token."},
	{Key: keyGitLabToken, Title: "GitLab token", Description: "A token for the GitLab URL above, sent to no other host: read_api to see pipelines, jobs and logs; api and the Developer role to retry failed jobs.", Secret: true},
}

// ciPlugin renders the CI card and tab of components.
type ciPlugin struct {
	client *http.Client
	log    *slog.Logger
	now    func() time.Time
}

func newPlugin(log *slog.Logger) *ciPlugin {
	return &ciPlugin{client: &http.Client{Timeout: httpTimeout}, log: log, now: time.Now}
}

// definition is the plugin as the SDK serves it.
func (p *ciPlugin) definition() sdk.Plugin {
	return sdk.Plugin{
		Name:        "ci",
		Version:     "1.0.0",
		Description: "GitHub Actions: a repository's workflows from its clone, its latest runs from the GitHub API, cached for offline use.",
		Config:      configFields,
		EntityContent: &sdk.EntityContent{
			Applies: []*pluginv1.Selector{{Kind: "Component"}},
			Render:  p.render,
			Action:  p.action,
		},
		Facts:     &sdk.Facts{Provides: factSpecs(), Report: p.facts},
		HomeCards: p.homeCards,
	}
}

// settings are the plugin's settings, checked, defaults filled in.
type settings struct {
	apiURL   string
	cacheDir string // "" when there is no cache
	token    string
	// gitlabURL is the GitLab gitlabToken is for, without a trailing slash.
	gitlabURL   string
	gitlabToken string
}

// settingsOf checks the plugin's settings. Its errors never hold the token.
func settingsOf(req sdk.Request) (settings, error) {
	s := settings{
		apiURL:   strings.TrimRight(strings.TrimSpace(req.Config[keyAPIURL]), "/"),
		cacheDir: strings.TrimSpace(req.Config[keyCacheDir]),
		token:    strings.TrimSpace(req.Secrets[keyToken]),

		gitlabURL:   strings.TrimRight(strings.TrimSpace(req.Config[keyGitLabURL]), "/"),
		gitlabToken: strings.TrimSpace(req.Secrets[keyGitLabToken]),
	}
	if s.apiURL == "" {
		s.apiURL = defaultAPIURL
	}
	if s.gitlabURL == "" {
		s.gitlabURL = defaultGitLabURL
	}
	if err := checkURL(keyAPIURL, s.apiURL); err != nil {
		return s, err
	}
	if err := checkURL(keyGitLabURL, s.gitlabURL); err != nil {
		return s, err
	}
	if s.cacheDir == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			s.cacheDir = filepath.Join(dir, "callboard", "plugins", "ci")
		}
	} else if !filepath.IsAbs(s.cacheDir) {
		return s, fmt.Errorf("the cacheDir setting %q is not an absolute path", s.cacheDir)
	}
	return s, nil
}

// checkURL checks the address setting key is.
func checkURL(key, v string) error {
	u, err := url.Parse(v)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("the %s setting is not an http(s) address", key)
	case u.User != nil:
		return fmt.Errorf("the %s setting holds credentials: put the token in the token setting", key)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("the %s setting has a query or fragment", key)
	}
	return nil
}

// render is the entity-content call: the workflows at the synced commit,
// and the latest runs when the entity names its GitHub repository. What
// cannot be shown is said in a notice; it returns no error.
func (p *ciPlugin) render(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.View, error) {
	s, serr := settingsOf(req.Request)
	wf := workflowsState{noClone: req.ClonePath == ""}
	if !wf.noClone {
		wf.list, wf.commit, wf.err = readWorkflows(ctx, req.ClonePath, req.Commit)
	}
	rs := p.runs(ctx, req.Entity, s, serr)
	if rs.owner != "" && serr == nil {
		wf.web = webBase(s.apiURL, rs.owner, rs.repo)
	}
	return views(wf, rs), nil
}

// workflowsState is what was read of the workflows.
type workflowsState struct {
	list    []workflow
	commit  string
	err     error
	noClone bool
	// web is the repository's web address, for links to the files ("" when
	// unknown).
	web string
}

// runsState is what is shown of the runs: runs, a notice, or both.
type runsState struct {
	owner, repo string
	// gitlab is the entity's GitLab project, when its runs are pipelines.
	gitlab gitlabProject
	runs   []run
	notice string
	status pluginv1.Status
}

func (r runsState) slug() string {
	if r.gitlab.api != "" {
		return r.gitlab.ref
	}
	return r.owner + "/" + r.repo
}

// runs fetches the entity's latest runs, stores them in the cache, and
// falls back on the cache when GitHub cannot be reached.
func (p *ciPlugin) runs(ctx context.Context, ent sdk.Entity, s settings, serr error) runsState {
	var st runsState
	raw := strings.TrimSpace(ent.Metadata.Annotations[slugAnnotation])
	if raw == "" {
		if g, ok, err := gitlabProjectOf(ent.Metadata.Annotations, s); ok || err != nil {
			return p.pipelines(ctx, ent, g, err, s, serr)
		}
	}
	if raw == "" {
		st.notice, st.status = "Add the annotation "+slugAnnotation+": owner/repo to this component to see its GitHub Actions runs.", pluginv1.Status_STATUS_INFO
		return st
	}
	owner, repo, ok := parseSlug(raw)
	if !ok {
		st.notice, st.status = fmt.Sprintf("The annotation %s is %q, not owner/repo.", slugAnnotation, raw), pluginv1.Status_STATUS_ERROR
		return st
	}
	st.owner, st.repo = owner, repo
	if serr != nil {
		st.notice, st.status = "Runs not fetched: "+redact(serr.Error(), s.token)+".", pluginv1.Status_STATUS_ERROR
		return st
	}
	if s.token == "" {
		st.notice = fmt.Sprintf("To see the latest runs of %s, set a GitHub token in Settings, under the ci plugin (its token setting): a fine-grained token with read-only access to the repository's Actions, or a classic token with the repo scope for private repositories.", st.slug())
		st.status = pluginv1.Status_STATUS_INFO
		return st
	}
	err := p.fetchCached(ctx, &st, s, cacheKey{s.apiURL, owner, repo}, s.token, ent, func(ctx context.Context) ([]run, error) {
		return fetchRuns(ctx, p.client, s.apiURL, s.token, owner, repo)
	})
	if err == nil {
		return st
	}
	reason := redact(err.Error(), s.token)
	switch {
	case errors.Is(err, errRefused):
		st.status = pluginv1.Status_STATUS_ERROR
		st.notice = fmt.Sprintf("%s: set another token in Settings, under the ci plugin; it needs read access to the Actions of %s.", reason, st.slug())
	case errors.Is(err, errNotFound):
		st.status = pluginv1.Status_STATUS_ERROR
		st.notice = fmt.Sprintf("GitHub shows this token no repository %s (404): check the %s annotation, and that the token may read the repository.", st.slug(), slugAnnotation)
	default:
		st.status = pluginv1.Status_STATUS_ERROR
		st.notice = fmt.Sprintf("Runs of %s not fetched: %s", st.slug(), reason)
	}
	return st
}

// pipelines are runs' GitLab twin: a project's latest pipelines, cached
// alike. The token goes only to the GitLab host of the gitlabUrl setting;
// other GitLab hosts are asked without one (public projects).
func (p *ciPlugin) pipelines(ctx context.Context, ent sdk.Entity, g gitlabProject, gerr error, s settings, serr error) runsState {
	st := runsState{gitlab: g}
	switch {
	case gerr != nil:
		st.notice, st.status = upperFirst(gerr.Error())+".", pluginv1.Status_STATUS_ERROR
		return st
	case serr != nil:
		st.notice, st.status = "Pipelines not fetched: "+redact(serr.Error(), s.gitlabToken)+".", pluginv1.Status_STATUS_ERROR
		return st
	}
	key := gitlabCacheKey(g)
	err := p.fetchCached(ctx, &st, s, key, s.gitlabToken, ent, func(ctx context.Context) ([]run, error) {
		return fetchPipelines(ctx, p.client, g, s.gitlabToken)
	})
	reason := ""
	if err != nil {
		reason = gitlabReason(err, s.gitlabToken)
	}
	switch {
	case err == nil:
	case errors.Is(err, errRefused) || errors.Is(err, errNotFound) && !g.sendToken:
		st.status = pluginv1.Status_STATUS_ERROR
		st.notice = fmt.Sprintf("%s: GitLab shows no pipelines of %s to Callboard; set a token with the read_api scope in Settings, under the ci plugin (gitlabToken, for %s).", reason, g.ref, s.gitlabURL)
	case errors.Is(err, errNotFound):
		st.status = pluginv1.Status_STATUS_ERROR
		st.notice = fmt.Sprintf("GitLab shows this token no project %s (404): check the %s or %s annotation, and that the token may read the project.", g.ref, gitlabSlugAnnotation, gitlabIDAnnotation)
	default:
		st.status = pluginv1.Status_STATUS_ERROR
		st.notice = fmt.Sprintf("Pipelines of %s not fetched: %s", g.ref, reason)
	}
	return st
}

// cacheKey names a repository's or project's cached runs.
type cacheKey struct{ base, owner, repo string }

// gitlabCacheKey keeps a project's pipelines apart from repositories: its
// path escaped whole, so it stays one file name.
func gitlabCacheKey(g gitlabProject) cacheKey {
	return cacheKey{g.api, "projects", url.PathEscape(g.ref)}
}

// fetchCached fetches st's runs, caches them with the entity that showed
// them (for the Home card), and when the forge cannot be reached shows the
// cached ones with their age, or says none are. Other errors are returned
// for the caller to describe.
func (p *ciPlugin) fetchCached(ctx context.Context, st *runsState, s settings, key cacheKey, token string, ent sdk.Entity, fetch func(context.Context) ([]run, error)) error {
	cache := runCache{dir: s.cacheDir}
	fctx, cancel := fetchContext(ctx)
	defer cancel()
	runs, err := fetch(fctx)
	if err == nil {
		st.runs = runs
		if s.cacheDir != "" {
			c := cachedRuns{API: key.base, Repo: st.slug(), FetchedAt: p.now().UTC(), Runs: runs, Entity: entityOf(ent)}
			if err := cache.store(key.base, key.owner, key.repo, c); err != nil {
				p.log.Warn("runs not cached", "repo", st.slug(), "err", err)
			}
		}
		return nil
	}
	if !errors.Is(err, errUnavailable) {
		return err
	}
	reason := redact(err.Error(), token)
	if st.gitlab.api != "" {
		reason = gitlabReason(err, token)
	}
	st.status = pluginv1.Status_STATUS_WARNING
	var c cachedRuns
	var ok bool
	if s.cacheDir != "" {
		var cerr error
		if c, ok, cerr = cache.load(key.base, key.owner, key.repo); cerr != nil {
			p.log.Warn("runs cache unreadable", "repo", st.slug(), "err", cerr)
		}
	}
	if !ok {
		st.notice = fmt.Sprintf("offline — no runs of %s cached yet: %s", st.slug(), reason)
		return nil
	}
	st.runs = c.Runs
	sortRuns(st.runs)
	st.notice = fmt.Sprintf("offline — runs as of %s (%s ago): %s",
		c.FetchedAt.UTC().Format(time.RFC3339), age(p.now().Sub(c.FetchedAt)), reason)
	return nil
}

// fetchContext keeps back part of ctx's deadline, so that a fetch that
// runs out of time leaves time to answer from the cache.
func fetchContext(ctx context.Context) (context.Context, context.CancelFunc) {
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	margin := min(time.Until(dl)/5, maxDeadlineMargin)
	return context.WithDeadline(ctx, dl.Add(-margin))
}

// redact takes the token out of text shown or logged.
func redact(text, token string) string {
	if token == "" {
		return text
	}
	return strings.ReplaceAll(text, token, "[token]")
}

// webBase is the web address of owner/repo on the GitHub whose API is at
// api: github.com for api.github.com, the host for GitHub Enterprise
// Server's /api/v3; "" otherwise.
func webBase(api, owner, repo string) string {
	u, err := url.Parse(api)
	if err != nil {
		return ""
	}
	switch {
	case u.Host == "api.github.com" && strings.Trim(u.Path, "/") == "":
		u.Host = "github.com"
	case strings.TrimRight(u.Path, "/") == "/api/v3":
	default:
		return ""
	}
	u.Path = "/" + owner + "/" + repo
	return u.String()
}
