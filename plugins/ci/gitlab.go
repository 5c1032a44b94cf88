package ci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// The annotations naming an entity's GitLab project, as Backstage's
// GitLab plugin reads them, and where the source location is.
const (
	gitlabSlugAnnotation   = "gitlab.com/project-slug"
	gitlabIDAnnotation     = "gitlab.com/project-id"
	sourceLocationAnnotion = "backstage.io/source-location"
	defaultGitLabURL       = "https://gitlab.com"
)

// gitlabProject is an entity's GitLab project: the API it is on, its id
// or path, and whether the token setting belongs to that host.
type gitlabProject struct {
	api string // https://HOST/api/v4
	// ref is the project's numeric id or its full path (group/project).
	ref       string
	sendToken bool
}

// escaped is ref as the API's :id takes it: a path URL-encoded whole.
func (g gitlabProject) escaped() string { return url.PathEscape(g.ref) }

// gitlabPath is a GitLab project's full path: groups and a name.
var gitlabPath = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)+$`)

// gitlabProjectOf finds an entity's GitLab project: its project-id or
// project-slug annotation, on the host of its source location when that
// is a GitLab (gitlab.com, a host named gitlab.*, or the gitlabUrl
// setting's host), else on the gitlabUrl setting's. ok is false for an
// entity not on GitLab; err for annotations that are not a project.
func gitlabProjectOf(ann map[string]string, s settings) (g gitlabProject, ok bool, err error) {
	home, err := url.Parse(s.gitlabURL)
	if err != nil { // settingsOf said so; the entity may still be on GitLab
		home = &url.URL{}
	}
	host, scheme := home.Host, home.Scheme
	var fromSource string
	if src, found := strings.CutPrefix(strings.TrimSpace(ann[sourceLocationAnnotion]), "url:"); found {
		if u, err := url.Parse(src); err == nil && (u.Scheme == "https" || u.Scheme == "http") && isGitLabHost(u.Host, home.Host) {
			host, scheme = u.Host, u.Scheme
			p, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/-/")
			fromSource = strings.TrimSuffix(p, ".git")
		}
	}
	id, slug := strings.TrimSpace(ann[gitlabIDAnnotation]), strings.TrimSpace(ann[gitlabSlugAnnotation])
	switch {
	case id != "":
		if n, err := strconv.ParseUint(id, 10, 63); err != nil || n == 0 {
			return g, false, fmt.Errorf("the annotation %s is %q, not a project's number", gitlabIDAnnotation, id)
		}
		g.ref = id
	case slug != "":
		if !gitlabPath.MatchString(slug) {
			return g, false, fmt.Errorf("the annotation %s is %q, not group/project", gitlabSlugAnnotation, slug)
		}
		g.ref = slug
	case fromSource != "" && gitlabPath.MatchString(fromSource):
		g.ref = fromSource
	default:
		return g, false, nil
	}
	for seg := range strings.SplitSeq(g.ref, "/") {
		if seg == "." || seg == ".." {
			return gitlabProject{}, false, fmt.Errorf("the GitLab project %q is not a project's path", g.ref)
		}
	}
	g.api = scheme + "://" + host + "/api/v4"
	g.sendToken = strings.EqualFold(host, home.Host)
	return g, true, nil
}

// isGitLabHost says whether host is a GitLab: gitlab.com, gitlab.*, or
// the configured one.
func isGitLabHost(host, configured string) bool {
	h := strings.ToLower(host)
	return h == "gitlab.com" || strings.HasPrefix(h, "gitlab.") || strings.EqualFold(host, configured)
}

// callGitLab calls the GitLab API with the token when it belongs to the
// project's host. Errors are callAPI's, GitLab's answers mapped alike.
func callGitLab(ctx context.Context, client *http.Client, g gitlabProject, token, method, path string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, g.api+path, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errAPI, err)
	}
	setGitLabHeaders(req, g, token)
	resp, err := noFollow(client).Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errUnavailable, netReason(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the answer: %s", errUnavailable, netReason(err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := statusError(resp)
		if m := apiMessage(body); m != "" && errors.Is(err, errAPI) {
			return nil, fmt.Errorf("%w: %s", err, m)
		}
		return nil, err
	}
	return body, nil
}

func setGitLabHeaders(req *http.Request, g gitlabProject, token string) {
	req.Header.Set("User-Agent", userAgent)
	if g.sendToken && token != "" {
		req.Header.Set("PRIVATE-TOKEN", token)
	}
}

// gitlabJSON GETs path and decodes its JSON answer into v.
func gitlabJSON(ctx context.Context, client *http.Client, g gitlabProject, token, path string, v any) error {
	body, err := callGitLab(ctx, client, g, token, http.MethodGet, path, maxAnswerSize)
	if err != nil {
		return err
	}
	if json.Unmarshal(body, v) != nil {
		return fmt.Errorf("%w: the answer from %s is not the GitLab API's", errUnavailable, g.api)
	}
	return nil
}

// glPipeline is the part of a GitLab pipeline that is read.
type glPipeline struct {
	ID        int64     `json:"id"`
	IID       int       `json:"iid"`
	Status    string    `json:"status"`
	Source    string    `json:"source"`
	Ref       string    `json:"ref"`
	WebURL    string    `json:"web_url"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// fetchPipelines lists a project's latest pipelines as runs: a finished
// pipeline is "completed" with its status as the conclusion, so that
// runs of both forges are shown, cached and judged alike.
func fetchPipelines(ctx context.Context, client *http.Client, g gitlabProject, token string) ([]run, error) {
	var list []glPipeline
	if err := gitlabJSON(ctx, client, g, token, fmt.Sprintf("/projects/%s/pipelines?per_page=%d", g.escaped(), runsPerPage), &list); err != nil {
		return nil, err
	}
	runs := make([]run, 0, len(list))
	for _, p := range list {
		status, conclusion := gitlabStatus(p.Status)
		runs = append(runs, run{ID: p.ID, Number: p.IID, Name: "Pipeline", Branch: p.Ref, Event: p.Source,
			Status: status, Conclusion: conclusion, URL: p.WebURL, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt})
	}
	sortRuns(runs)
	return runs, nil
}

// gitlabStatus maps a GitLab pipeline's or job's status onto GitHub's
// status and conclusion.
func gitlabStatus(s string) (status, conclusion string) {
	switch s {
	case "success":
		return "completed", "success"
	case "failed":
		return "completed", "failure"
	case "canceled":
		return "completed", "cancelled"
	case "skipped":
		return "completed", "skipped"
	case "manual":
		return "completed", "action_required"
	case "running":
		return "in_progress", ""
	}
	return s, ""
}

// glJob is the part of a GitLab job that is read.
type glJob struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Stage      string    `json:"stage"`
	Status     string    `json:"status"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	WebURL     string    `json:"web_url"`
}

// The view actions of a GitLab project carry the project's API, id and
// whether the token goes there: the host passes on only what was offered.
func glParams(g gitlabProject, extra ...string) map[string]string {
	p := map[string]string{"forge": forgeGitLab, "api": g.api, "project": g.ref, "token": strconv.FormatBool(g.sendToken)}
	for i := 0; i+1 < len(extra); i += 2 {
		p[extra[i]] = extra[i+1]
	}
	return p
}

func glJobsAction(g gitlabProject, pipeline int64, number string) *pluginv1.ViewAction {
	return sdk.ViewAction(actionJobs, "Jobs", glParams(g, "pipeline", strconv.FormatInt(pipeline, 10), "number", number))
}

func glLogAction(g gitlabProject, job int64, name string, failed bool) *pluginv1.ViewAction {
	return sdk.ViewAction(actionLog, "Log", glParams(g, "job", strconv.FormatInt(job, 10), "name", name, "failed", strconv.FormatBool(failed)))
}

func glRetryAction(g gitlabProject, pipeline int64, number string) *pluginv1.ViewAction {
	return sdk.Dangerous(sdk.ViewAction(actionRerun, "Retry failed jobs", glParams(g, "pipeline", strconv.FormatInt(pipeline, 10), "number", number)),
		fmt.Sprintf("Retry the failed jobs of pipeline %s of %s? GitLab runs them again.", number, g.ref))
}

// gitlabAction runs a GitLab pipeline's view action.
func (p *ciPlugin) gitlabAction(ctx context.Context, req sdk.ViewActionRequest) ([]*pluginv1.Block, error) {
	par := req.Parameters
	s, err := settingsOf(req.Request)
	if err != nil {
		return notice("Not asked: "+redact(err.Error(), s.gitlabToken)+".", pluginv1.Status_STATUS_ERROR), nil
	}
	g := gitlabProject{api: par["api"], ref: par["project"]}
	// The token goes only where the settings' GitLab is, whatever was offered.
	if u, err := url.Parse(g.api); err == nil && par["token"] == "true" && sameOrigin(u, s.gitlabURL) {
		g.sendToken = true
	}
	fctx, cancel := fetchContext(ctx)
	defer cancel()
	switch req.ID {
	case actionJobs:
		id, err := strconv.ParseInt(par["pipeline"], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("ci: pipeline %q: %w", par["pipeline"], err)
		}
		var jobs []glJob
		err = gitlabJSON(fctx, p.client, g, s.gitlabToken, fmt.Sprintf("/projects/%s/pipelines/%d/jobs?per_page=100", g.escaped(), id), &jobs)
		if err != nil {
			return []*pluginv1.Block{gitlabFailure(err, "the jobs of pipeline "+par["number"], s.gitlabToken), sdk.Buttons(refreshOf(glJobsAction(g, id, par["number"])))}, nil
		}
		return glJobsBlocks(g, id, par["number"], jobs), nil
	case actionLog:
		id, err := strconv.ParseInt(par["job"], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("ci: job %q: %w", par["job"], err)
		}
		return p.gitlabTrace(fctx, s, g, id, par["name"], par["failed"] == "true"), nil
	case actionRerun:
		id, err := strconv.ParseInt(par["pipeline"], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("ci: pipeline %q: %w", par["pipeline"], err)
		}
		return p.gitlabRetry(fctx, s, g, id, par["number"]), nil
	}
	return nil, fmt.Errorf("ci: no action %q", req.ID)
}

// glJobsBlocks shows a pipeline's jobs by stage, each with a button to its
// log, and a retry of the failed ones.
func glJobsBlocks(g gitlabProject, id int64, number string, jobs []glJob) []*pluginv1.Block {
	title := fmt.Sprintf("**Jobs of pipeline %s of %s**", number, g.ref)
	refresh := refreshOf(glJobsAction(g, id, number))
	if len(jobs) == 0 {
		return []*pluginv1.Block{sdk.Markdown(title), sdk.Notice("This pipeline has no jobs (yet).", pluginv1.Status_STATUS_INFO), sdk.Buttons(refresh)}
	}
	t := sdk.Table([]string{"Stage", "Job", "Status", "Duration", ""})
	anyFailed := false
	for _, j := range jobs[:min(len(jobs), maxJobRows)] {
		status, conclusion := gitlabStatus(j.Status)
		text, st := statusOf(status, conclusion)
		failed := st == pluginv1.Status_STATUS_ERROR
		anyFailed = anyFailed || failed
		t.GetTable().Rows = append(t.GetTable().Rows, cells(cell(j.Stage, ""), cell(j.Name, j.WebURL), &pluginv1.Cell{Text: text, Status: st},
			cell(spanText(j.StartedAt, j.FinishedAt), ""), sdk.ActionCell("", glLogAction(g, j.ID, j.Name, failed))))
	}
	buttons := []*pluginv1.ViewAction{refresh}
	if anyFailed {
		buttons = append(buttons, glRetryAction(g, id, number))
	}
	return []*pluginv1.Block{sdk.Markdown(title), t, sdk.Buttons(buttons...)}
}

// gitlabTrace is a job's trace, folded by its sections.
func (p *ciPlugin) gitlabTrace(ctx context.Context, s settings, g gitlabProject, id int64, name string, failed bool) []*pluginv1.Block {
	refresh := sdk.Buttons(refreshOf(glLogAction(g, id, name, failed)))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/projects/%s/jobs/%d/trace", g.api, g.escaped(), id), nil)
	if err != nil {
		return []*pluginv1.Block{gitlabFailure(err, "the log of job "+name, s.gitlabToken), refresh}
	}
	setGitLabHeaders(req, g, s.gitlabToken)
	text, truncated, err := fetchLog(ctx, p.client, g.api, req)
	if err != nil {
		return []*pluginv1.Block{gitlabFailure(err, "the log of job "+name, s.gitlabToken), refresh}
	}
	text, cut := lastLines(text, maxShownLines)
	pre, secs := splitGitLabTrace(text, failed)
	title := "Log of job " + name
	if truncated {
		title += fmt.Sprintf(" (its last %d MiB)", maxLogTail>>20)
	}
	return []*pluginv1.Block{logBlock(title, pre, secs, truncated || cut), refresh}
}

// gitlabRetry retries a pipeline's failed jobs.
func (p *ciPlugin) gitlabRetry(ctx context.Context, s settings, g gitlabProject, id int64, number string) []*pluginv1.Block {
	_, err := callGitLab(ctx, p.client, g, s.gitlabToken, http.MethodPost, fmt.Sprintf("/projects/%s/pipelines/%d/retry", g.escaped(), id), maxErrorAnswer)
	what := fmt.Sprintf("pipeline %s of %s", number, g.ref)
	jobs := sdk.Buttons(glJobsAction(g, id, number))
	reason := ""
	if err != nil {
		reason = gitlabReason(err, s.gitlabToken)
	}
	switch {
	case err == nil:
		p.log.Info("retried failed jobs", "project", g.ref, "pipeline", id)
		return []*pluginv1.Block{sdk.Notice(fmt.Sprintf("GitLab retries the failed jobs of %s.", what), pluginv1.Status_STATUS_OK), jobs}
	case errors.Is(err, errRefused):
		return []*pluginv1.Block{sdk.Notice(fmt.Sprintf("Not retried: the token lacks permission on %s — %s. It needs the api scope and at least the Developer role; set it in Settings, under the ci plugin (gitlabToken).", g.ref, reason), pluginv1.Status_STATUS_ERROR), jobs}
	case errors.Is(err, errUnavailable):
		return []*pluginv1.Block{sdk.Notice(fmt.Sprintf("Offline — %s was not retried: %s. Try again when GitLab can be reached.", what, reason), pluginv1.Status_STATUS_WARNING), jobs}
	}
	return []*pluginv1.Block{gitlabFailure(err, "retrying "+what, s.gitlabToken), jobs}
}

// gitlabReason is an error's text for GitLab: the errors are shared with
// GitHub's, whose name they carry.
func gitlabReason(err error, token string) string {
	return redact(strings.ReplaceAll(err.Error(), "GitHub", "GitLab"), token)
}

func gitlabFailure(err error, what, token string) *pluginv1.Block {
	reason := gitlabReason(err, token)
	switch {
	case errors.Is(err, errUnavailable):
		return sdk.Notice(fmt.Sprintf("Offline — %s cannot be fetched now: %s.", what, reason), pluginv1.Status_STATUS_WARNING)
	case errors.Is(err, errRefused):
		return sdk.Notice(fmt.Sprintf("%s: %s; set a GitLab token with the read_api scope in Settings, under the ci plugin (gitlabToken).", upperFirst(what), reason), pluginv1.Status_STATUS_ERROR)
	}
	return sdk.Notice(fmt.Sprintf("%s: %s.", upperFirst(what), reason), pluginv1.Status_STATUS_ERROR)
}
