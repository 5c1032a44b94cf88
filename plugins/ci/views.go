package ci

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// cardRuns is how many runs the card lists.
const cardRuns = 5

var (
	cardColumns     = []string{"Workflow", "Branch", "Status", "When"}
	runColumns      = []string{"Workflow", "Branch", "Event", "Status", "When", "Duration", "Run"}
	workflowColumns = []string{"Workflow", "File", "Triggers", "Jobs", "Problem"}
)

// views are the card "CI" (the latest runs, or why there are none) and the
// tab "CI/CD" (runs, notices and workflows).
func views(wf workflowsState, rs runsState) []*pluginv1.View {
	var card []*pluginv1.Block
	if rs.notice != "" {
		card = append(card, sdk.Notice(rs.notice, rs.status))
	}
	if len(rs.runs) > 0 {
		var rows []*pluginv1.Row
		for _, r := range rs.runs[:min(cardRuns, len(rs.runs))] {
			text, status := runStatus(r)
			rows = append(rows, cells(cell(r.Name, r.URL), cell(r.Branch, ""),
				&pluginv1.Cell{Text: text, Status: status}, cell(when(r), "")))
		}
		card = append(card, latestBadges(rs.runs), sdk.Table(cardColumns, rows...))
	} else if len(wf.list) > 0 && rs.gitlab.api == "" {
		card = append(card, sdk.KeyValues(workflowsKV(wf.list)))
	}

	var tab []*pluginv1.Block
	if rs.gitlab.api != "" {
		tab = append(tab, sdk.Heading("Latest pipelines of "+rs.slug()))
	} else if rs.owner != "" {
		tab = append(tab, sdk.Heading("Latest runs of "+rs.slug()))
	} else {
		tab = append(tab, sdk.Heading("Latest runs"))
	}
	if rs.notice != "" {
		tab = append(tab, sdk.Notice(rs.notice, rs.status))
	}
	if len(rs.runs) > 0 {
		var rows []*pluginv1.Row
		for _, r := range rs.runs {
			text, status := runStatus(r)
			rows = append(rows, cells(cell(r.Name, r.URL), cell(r.Branch, ""), cell(r.Event, ""),
				&pluginv1.Cell{Text: text, Status: status}, cell(when(r), ""), cell(duration(r), ""),
				runCell(rs, r)))
		}
		tab = append(tab, latestBadges(rs.runs), sdk.Table(runColumns, rows...))
	}
	if rs.gitlab.api == "" { // GitHub's workflows; GitLab's pipelines are in .gitlab-ci.yml
		tab = append(tab, workflowsBlocks(wf)...)
	}

	return []*pluginv1.View{sdk.Card("ci", "CI", card...), sdk.Tab("ci-cd", "CI/CD", tab...)}
}

// latestBadges has one badge per workflow, its latest run's status, in the
// order of the workflows' names.
func latestBadges(runs []run) *pluginv1.Block {
	seen := map[string]bool{}
	var latest []run
	for _, r := range runs { // newest first
		key := r.Name
		if r.WorkflowID != 0 {
			key = fmt.Sprint(r.WorkflowID)
		}
		if !seen[key] {
			seen[key] = true
			latest = append(latest, r)
		}
	}
	sort.SliceStable(latest, func(i, j int) bool { return latest[i].Name < latest[j].Name })
	var items []*pluginv1.Badge
	for _, r := range latest {
		text, status := runStatus(r)
		items = append(items, sdk.Badge(r.Name+": "+text, status))
	}
	return sdk.Badges(items...)
}

// workflowsBlocks are the tab's workflows part.
func workflowsBlocks(wf workflowsState) []*pluginv1.Block {
	title := "Workflows"
	if wf.commit != "" {
		title += " at " + wf.commit[:min(7, len(wf.commit))]
	}
	out := []*pluginv1.Block{sdk.Heading(title)}
	switch {
	case wf.noClone:
		return append(out, sdk.Notice("This entity has no local clone to read "+workflowsDir+" from.", pluginv1.Status_STATUS_INFO))
	case wf.err != nil:
		return append(out, sdk.Notice("Workflows not read: "+wf.err.Error(), pluginv1.Status_STATUS_ERROR))
	case len(wf.list) == 0:
		return append(out, sdk.Notice("No workflows in "+workflowsDir+".", pluginv1.Status_STATUS_INFO))
	}
	var rows []*pluginv1.Row
	for _, w := range wf.list {
		file := cell(w.Path, "")
		if wf.web != "" && wf.commit != "" {
			file.Url = wf.web + "/blob/" + wf.commit + "/" + w.Path
		}
		problem := cell(w.Problem, "")
		if w.Problem != "" {
			problem.Status = pluginv1.Status_STATUS_ERROR
		}
		rows = append(rows, cells(cell(w.Name, ""), file, cell(strings.Join(w.Triggers, ", "), ""),
			cell(strings.Join(w.Jobs, ", "), ""), problem))
	}
	return append(out, sdk.Table(workflowColumns, rows...))
}

// workflowsKV names the workflows in one line, the card's stand-in for runs.
func workflowsKV(list []workflow) *pluginv1.KeyValue {
	var names []string
	broken := 0
	for _, w := range list {
		names = append(names, w.Name)
		if w.Problem != "" {
			broken++
		}
	}
	kv := sdk.KV("Workflows", strings.Join(names, ", "))
	if broken > 0 {
		kv.Value += fmt.Sprintf(" (%d with problems)", broken)
		kv.Status = pluginv1.Status_STATUS_ERROR
	}
	return kv
}

// when is a run's start as an RFC 3339 time in UTC.
func when(r run) string {
	t := r.StartedAt
	if t.IsZero() {
		t = r.CreatedAt
	}
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// runCell is a run's number, linking to it on GitHub, with a button to
// its jobs.
func runCell(rs runsState, r run) *pluginv1.Cell {
	c := cell(fmt.Sprintf("#%d", r.Number), r.URL)
	switch {
	case r.ID == 0:
	case rs.gitlab.api != "":
		c.Action = glJobsAction(rs.gitlab, r.ID, c.Text)
	case rs.owner != "":
		c.Action = jobsAction(rs.owner, rs.repo, r.ID, c.Text)
	}
	return c
}

func cell(text, url string) *pluginv1.Cell { return &pluginv1.Cell{Text: text, Url: url} }

func cells(c ...*pluginv1.Cell) *pluginv1.Row { return &pluginv1.Row{Cells: c} }
