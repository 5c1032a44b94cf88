package ci

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// jobsPerPage is how many of a run's jobs are asked for (GitHub's most).
const jobsPerPage = 100

// job is one job of a run with its steps, as GitHub lists it.
type job struct {
	ID          int64     `json:"id"`
	RunID       int64     `json:"run_id"`
	Name        string    `json:"name"`
	Status      string    `json:"status"`
	Conclusion  string    `json:"conclusion"`
	StartedAt   time.Time `json:"started_at"`
	CompletedAt time.Time `json:"completed_at"`
	HTMLURL     string    `json:"html_url"`
	Steps       []step    `json:"steps"`
}

// ghJobs is GitHub's answer to "list jobs for a workflow run".
type ghJobs struct {
	TotalCount *int  `json:"total_count"`
	Jobs       []job `json:"jobs"`
}

// fetchJobs asks for the jobs of run id of owner/repo, of its latest
// attempt. Errors are fetchRuns'.
func fetchJobs(ctx context.Context, client *http.Client, base, token, owner, repo string, id int64) ([]job, error) {
	var gh ghJobs
	p := fmt.Sprintf("/repos/%s/%s/actions/runs/%d/jobs?per_page=%d", url.PathEscape(owner), url.PathEscape(repo), id, jobsPerPage)
	if err := getJSON(ctx, client, base, token, p, &gh, func() bool { return gh.TotalCount != nil }); err != nil {
		return nil, err
	}
	return gh.Jobs, nil
}

// fetchJob asks for one job of owner/repo, with its steps.
func fetchJob(ctx context.Context, client *http.Client, base, token, owner, repo string, id int64) (job, error) {
	var j job
	p := fmt.Sprintf("/repos/%s/%s/actions/jobs/%d", url.PathEscape(owner), url.PathEscape(repo), id)
	err := getJSON(ctx, client, base, token, p, &j, func() bool { return j.ID == id })
	return j, err
}

var jobColumns = []string{"Job / step", "Status", "Duration", ""}

// jobsBlocks shows a run's jobs, each followed by its steps, with a
// button to its log, and the buttons to re-run the failed jobs and to
// look again.
func jobsBlocks(owner, repo string, runID int64, number string, jobs []job) []*pluginv1.Block {
	title := fmt.Sprintf("**Jobs of run %s of %s/%s**", number, owner, repo)
	if len(jobs) == 0 {
		return []*pluginv1.Block{sdk.Markdown(title), sdk.Notice("This run has no jobs (yet).", pluginv1.Status_STATUS_INFO),
			sdk.Buttons(refreshOf(jobsAction(owner, repo, runID, number)))}
	}
	t := sdk.Table(jobColumns)
	anyFailed, done := false, true
	for _, j := range jobs {
		text, st := statusOf(j.Status, j.Conclusion)
		anyFailed = anyFailed || st == pluginv1.Status_STATUS_ERROR
		done = done && j.Status == "completed"
		t.GetTable().Rows = append(t.GetTable().Rows, cells(cell(j.Name, j.HTMLURL), &pluginv1.Cell{Text: text, Status: st},
			cell(spanText(j.StartedAt, j.CompletedAt), ""), sdk.ActionCell("", logAction(owner, repo, j.ID, j.Name))))
		for _, s := range j.Steps {
			if len(t.GetTable().Rows) >= maxJobRows {
				break
			}
			text, st := statusOf(s.Status, s.Conclusion)
			t.GetTable().Rows = append(t.GetTable().Rows, cells(cell(fmt.Sprintf("    %d. %s", s.Number, s.Name), ""),
				&pluginv1.Cell{Text: text, Status: st}, cell(spanText(s.StartedAt, s.CompletedAt), ""), cell("", "")))
		}
	}
	buttons := []*pluginv1.ViewAction{refreshOf(jobsAction(owner, repo, runID, number))}
	if anyFailed && done {
		buttons = append(buttons, rerunAction(owner, repo, runID, number))
	}
	return []*pluginv1.Block{sdk.Markdown(title), t, sdk.Buttons(buttons...)}
}

// maxJobRows keeps a run's table within the host's 1,000 rows.
const maxJobRows = 900

func jobsAction(owner, repo string, runID int64, number string) *pluginv1.ViewAction {
	return sdk.ViewAction(actionJobs, "Jobs", map[string]string{"forge": forgeGitHub, "owner": owner, "repo": repo, "run": strconv.FormatInt(runID, 10), "number": number})
}

func logAction(owner, repo string, jobID int64, name string) *pluginv1.ViewAction {
	return sdk.ViewAction(actionLog, "Log", map[string]string{"forge": forgeGitHub, "owner": owner, "repo": repo, "job": strconv.FormatInt(jobID, 10), "name": name})
}

func rerunAction(owner, repo string, runID int64, number string) *pluginv1.ViewAction {
	return sdk.Dangerous(sdk.ViewAction(actionRerun, "Re-run failed jobs", map[string]string{"forge": forgeGitHub, "owner": owner, "repo": repo, "run": strconv.FormatInt(runID, 10), "number": number}),
		fmt.Sprintf("Re-run the failed jobs of run %s of %s/%s? GitHub runs them again, and the jobs that depend on them.", number, owner, repo))
}

// refreshOf is a's button labelled Refresh: the same action again.
func refreshOf(a *pluginv1.ViewAction) *pluginv1.ViewAction {
	a.Label = "Refresh"
	return a
}
