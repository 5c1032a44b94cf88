package ci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// The view actions the plugin offers; the host passes on only those its
// views offered, with their parameters.
const (
	actionJobs  = "jobs"
	actionLog   = "log"
	actionRerun = "rerun"
)

// The forges an action's "forge" parameter names.
const (
	forgeGitHub = "github"
	forgeGitLab = "gitlab"
)

// action runs a view action. What goes wrong with the forge is a notice
// in the answer; only a cancelled call is an error.
func (p *ciPlugin) action(ctx context.Context, req sdk.ViewActionRequest) ([]*pluginv1.Block, error) {
	var blocks []*pluginv1.Block
	var err error
	if req.Parameters["forge"] == forgeGitLab {
		blocks, err = p.gitlabAction(ctx, req)
	} else {
		blocks, err = p.githubAction(ctx, req)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("ci: %w", ctx.Err())
	}
	return blocks, err
}

func (p *ciPlugin) githubAction(ctx context.Context, req sdk.ViewActionRequest) ([]*pluginv1.Block, error) {
	par := req.Parameters
	s, err := settingsOf(req.Request)
	if err != nil {
		return notice("Not asked: "+redact(err.Error(), s.token)+".", pluginv1.Status_STATUS_ERROR), nil
	}
	if s.token == "" {
		return notice("Set a GitHub token in Settings, under the ci plugin, to see jobs and logs.", pluginv1.Status_STATUS_INFO), nil
	}
	owner, repo, ok := parseSlug(par["owner"] + "/" + par["repo"])
	if !ok {
		return nil, fmt.Errorf("ci: no repository %q/%q", par["owner"], par["repo"])
	}
	fctx, cancel := fetchContext(ctx)
	defer cancel()
	switch req.ID {
	case actionJobs:
		id, err := strconv.ParseInt(par["run"], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("ci: run %q: %w", par["run"], err)
		}
		jobs, err := fetchJobs(fctx, p.client, s.apiURL, s.token, owner, repo, id)
		if err != nil {
			return []*pluginv1.Block{failure(err, "the jobs of run "+par["number"], s.token),
				sdk.Buttons(refreshOf(jobsAction(owner, repo, id, par["number"])))}, nil
		}
		return jobsBlocks(owner, repo, id, par["number"], jobs), nil
	case actionLog:
		id, err := strconv.ParseInt(par["job"], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("ci: job %q: %w", par["job"], err)
		}
		return p.githubLog(fctx, s, owner, repo, id, par["name"]), nil
	case actionRerun:
		id, err := strconv.ParseInt(par["run"], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("ci: run %q: %w", par["run"], err)
		}
		return p.githubRerun(fctx, s, owner, repo, id, par["number"]), nil
	}
	return nil, fmt.Errorf("ci: no action %q", req.ID)
}

// githubRerun asks GitHub to re-run a run's failed jobs (and those that
// depend on them).
func (p *ciPlugin) githubRerun(ctx context.Context, s settings, owner, repo string, id int64, number string) []*pluginv1.Block {
	path := fmt.Sprintf("/repos/%s/%s/actions/runs/%d/rerun-failed-jobs", url.PathEscape(owner), url.PathEscape(repo), id)
	_, _, err := callAPI(ctx, p.client, s.apiURL, s.token, apiRequest{method: http.MethodPost, path: path, limit: maxErrorAnswer})
	what := fmt.Sprintf("run %s of %s/%s", number, owner, repo)
	jobs := sdk.Buttons(jobsAction(owner, repo, id, number))
	switch {
	case err == nil:
		p.log.Info("re-ran failed jobs", "repo", owner+"/"+repo, "run", id)
		return []*pluginv1.Block{sdk.Notice(fmt.Sprintf("GitHub re-runs the failed jobs of %s.", what), pluginv1.Status_STATUS_OK), jobs}
	case errors.Is(err, errRefused):
		return []*pluginv1.Block{sdk.Notice(fmt.Sprintf("Not re-run: the token lacks permission (actions: write) on %s/%s — %s. Give the token in Settings, under the ci plugin, read and write access to the repository's Actions.",
			owner, repo, redact(err.Error(), s.token)), pluginv1.Status_STATUS_ERROR), jobs}
	case errors.Is(err, errUnavailable):
		return []*pluginv1.Block{sdk.Notice(fmt.Sprintf("Offline — %s was not re-run: %s. Try again when GitHub can be reached.", what, redact(err.Error(), s.token)), pluginv1.Status_STATUS_WARNING), jobs}
	}
	return []*pluginv1.Block{failure(err, "re-running "+what, s.token), jobs}
}

// upperFirst starts s with a capital letter, for a sentence.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// failure is the notice of a read that failed: offline is a warning, the
// rest errors, never with the token.
func failure(err error, what, token string) *pluginv1.Block {
	reason := redact(err.Error(), token)
	switch {
	case errors.Is(err, errUnavailable):
		return sdk.Notice(fmt.Sprintf("Offline — %s cannot be fetched now: %s.", what, reason), pluginv1.Status_STATUS_WARNING)
	case errors.Is(err, errRefused):
		return sdk.Notice(fmt.Sprintf("%s: %s; the token needs read access to the repository's Actions.", upperFirst(what), reason), pluginv1.Status_STATUS_ERROR)
	}
	return sdk.Notice(fmt.Sprintf("%s: %s.", upperFirst(what), reason), pluginv1.Status_STATUS_ERROR)
}

func notice(text string, s pluginv1.Status) []*pluginv1.Block {
	return []*pluginv1.Block{sdk.Notice(text, s)}
}
