package ci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// runsPerPage is how many of the latest runs are asked for.
const runsPerPage = 20

// maxAnswerSize caps what is read of an API answer (20 runs are ~150 KB).
const maxAnswerSize = 8 << 20

// run is one workflow run, as shown and as cached.
type run struct {
	ID         int64     `json:"id"`
	Number     int       `json:"number"`
	WorkflowID int64     `json:"workflowId"`
	Name       string    `json:"name"`
	Branch     string    `json:"branch"`
	Event      string    `json:"event"`
	Status     string    `json:"status"`
	Conclusion string    `json:"conclusion"`
	URL        string    `json:"url"`
	CreatedAt  time.Time `json:"createdAt"`
	StartedAt  time.Time `json:"startedAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// ghRuns is the part of GitHub's answer to "list workflow runs for a
// repository" that is read.
type ghRuns struct {
	TotalCount   *int `json:"total_count"`
	WorkflowRuns []struct {
		ID           int64     `json:"id"`
		RunNumber    int       `json:"run_number"`
		WorkflowID   int64     `json:"workflow_id"`
		Name         string    `json:"name"`
		HeadBranch   string    `json:"head_branch"`
		Event        string    `json:"event"`
		Status       string    `json:"status"`
		Conclusion   string    `json:"conclusion"`
		HTMLURL      string    `json:"html_url"`
		CreatedAt    time.Time `json:"created_at"`
		RunStartedAt time.Time `json:"run_started_at"`
		UpdatedAt    time.Time `json:"updated_at"`
	} `json:"workflow_runs"`
}

// slugPart is what GitHub allows in an owner's or a repository's name.
var slugPart = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// parseSlug splits a github.com/project-slug annotation into owner and repo.
func parseSlug(slug string) (owner, repo string, ok bool) {
	owner, repo, ok = strings.Cut(strings.TrimSpace(slug), "/")
	repo = strings.TrimSuffix(repo, ".git")
	for _, s := range []string{owner, repo} {
		if !slugPart.MatchString(s) || s == "." || s == ".." {
			return "", "", false
		}
	}
	return owner, repo, ok
}

// fetchRuns asks the API at base for the latest runs of owner/repo, newest
// first. Its errors wrap errUnavailable, errRefused, errNotFound or errAPI,
// and never hold the token.
func fetchRuns(ctx context.Context, client *http.Client, base, token, owner, repo string) ([]run, error) {
	var gh ghRuns
	p := fmt.Sprintf("/repos/%s/%s/actions/runs?per_page=%d", url.PathEscape(owner), url.PathEscape(repo), runsPerPage)
	if err := getJSON(ctx, client, base, token, p, &gh, func() bool { return gh.TotalCount != nil }); err != nil {
		return nil, err
	}
	runs := make([]run, 0, len(gh.WorkflowRuns))
	for _, r := range gh.WorkflowRuns {
		runs = append(runs, run{
			ID: r.ID, Number: r.RunNumber, WorkflowID: r.WorkflowID, Name: r.Name,
			Branch: r.HeadBranch, Event: r.Event, Status: r.Status, Conclusion: r.Conclusion,
			URL: r.HTMLURL, CreatedAt: r.CreatedAt, StartedAt: r.RunStartedAt, UpdatedAt: r.UpdatedAt,
		})
	}
	sortRuns(runs)
	return runs, nil
}

// sortRuns puts the newest run first.
func sortRuns(runs []run) {
	sort.SliceStable(runs, func(i, j int) bool {
		if !runs[i].CreatedAt.Equal(runs[j].CreatedAt) {
			return runs[i].CreatedAt.After(runs[j].CreatedAt)
		}
		return runs[i].ID > runs[j].ID
	})
}

// netReason is a short reason for a failed request: the cause without
// the method and address that *url.Error puts in front.
func netReason(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time"
	}
	if errors.Is(err, context.Canceled) {
		return "the request was cancelled"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "no answer in time"
		}
		return ue.Err.Error()
	}
	return err.Error()
}

// rateLimited tells a rate limit from a refused token: GitHub answers both
// with 403 (or 429), a rate limit with no requests remaining or a
// Retry-After.
func rateLimited(resp *http.Response) bool {
	if resp.StatusCode == http.StatusTooManyRequests {
		return true
	}
	return resp.StatusCode == http.StatusForbidden &&
		(resp.Header.Get("X-RateLimit-Remaining") == "0" || resp.Header.Get("Retry-After") != "")
}

// resetAt says when a rate limit ends, from GitHub's headers.
func resetAt(h http.Header) string {
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil {
		return fmt.Sprintf(", retry in %s", age(time.Duration(s)*time.Second))
	}
	if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		return ", until " + time.Unix(s, 0).UTC().Format(time.RFC3339)
	}
	return ""
}

// apiMessage is the message of a GitHub error answer.
func apiMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	const max = 200
	if len(e.Message) > max {
		return e.Message[:max] + "…"
	}
	return e.Message
}

// runStatus is the text and status a run is shown with.
func runStatus(r run) (string, pluginv1.Status) { return statusOf(r.Status, r.Conclusion) }

// statusOf is the text and status of a GitHub run, job or step's status
// and conclusion.
func statusOf(status, conclusion string) (string, pluginv1.Status) {
	if status != "completed" {
		if status == "" {
			return "unknown", pluginv1.Status_STATUS_WARNING
		}
		return strings.ReplaceAll(status, "_", " "), pluginv1.Status_STATUS_PENDING
	}
	text := strings.ReplaceAll(conclusion, "_", " ")
	switch conclusion {
	case "success":
		return text, pluginv1.Status_STATUS_OK
	case "failure", "timed_out", "cancelled", "startup_failure":
		return text, pluginv1.Status_STATUS_ERROR
	case "":
		return "completed", pluginv1.Status_STATUS_WARNING
	default:
		return text, pluginv1.Status_STATUS_WARNING
	}
}

// duration is how long a completed run took ("" for one not completed).
func duration(r run) string {
	start := r.StartedAt
	if start.IsZero() {
		start = r.CreatedAt
	}
	if r.Status != "completed" || start.IsZero() || r.UpdatedAt.Before(start) {
		return ""
	}
	return durationText(r.UpdatedAt.Sub(start))
}

// age is a rounded span of time: "40s", "12m", "3h 25m", "2d 4h".
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(0, int(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
	}
}
