package kubernetes

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

const (
	viewID    = "kubernetes"
	viewTitle = "Kubernetes"
)

// cardErrors is the most pods in error the card lists per cluster.
const cardErrors = 5

// clusterSummary is one cluster's answer made ready to show.
type clusterSummary struct {
	res         *clusterResult
	deployments []deploymentRow
	pods        []podRow
	running     int
	// done counts pods that ran to completion (jobs).
	done         int
	depReady     int
	failing      []podRow
	restartTotal int32
	// errors are the errors detected in its workloads.
	errors []detected
	// dashboard is the cluster's dashboard from settings, "" for none.
	dashboard string
}

type deploymentRow struct {
	d     *appsv1.Deployment
	state deploymentState
}

type podRow struct {
	p     *corev1.Pod
	state podState
}

// summarize sorts a cluster's workloads by namespace and name and counts
// what is running, ready and failing.
func summarize(res *clusterResult, now time.Time) clusterSummary {
	s := clusterSummary{res: res}
	for i := range res.deployments {
		d := &res.deployments[i]
		row := deploymentRow{d: d, state: describeDeployment(d)}
		if row.state.ready >= row.state.desired {
			s.depReady++
		}
		s.deployments = append(s.deployments, row)
	}
	slices.SortFunc(s.deployments, func(a, b deploymentRow) int {
		return cmp.Or(cmp.Compare(a.d.Namespace, b.d.Namespace), cmp.Compare(a.d.Name, b.d.Name))
	})
	for i := range res.pods {
		p := &res.pods[i]
		s.pods = append(s.pods, podRow{p: p, state: describePod(p, now)})
		for _, c := range p.Status.ContainerStatuses {
			s.restartTotal += c.RestartCount
		}
	}
	slices.SortFunc(s.pods, func(a, b podRow) int {
		return cmp.Or(cmp.Compare(a.p.Namespace, b.p.Namespace), cmp.Compare(a.p.Name, b.p.Name))
	})
	s.errors = detectErrors(res, now)
	for _, row := range s.pods {
		switch {
		case row.state.running():
			s.running++
		case row.p.Status.Phase == corev1.PodSucceeded:
			s.done++
		}
		if row.state.failing {
			s.failing = append(s.failing, row)
		}
	}
	return s
}

// card is the overview card: per cluster, pods running, deployments ready
// and the pods in error.
func card(q query, sums []clusterSummary) *pluginv1.View {
	var blocks []*pluginv1.Block
	allEmpty := nothingMatched(sums)
	for _, s := range sums {
		if err := s.res.failure(); err != nil {
			blocks = append(blocks, clusterNotice(s.res, err))
			continue
		}
		if s.res.empty() {
			if !allEmpty {
				blocks = append(blocks, sdk.Heading(s.res.context), sdk.Notice("Nothing matches here.", pluginv1.Status_STATUS_INFO))
			}
			continue
		}
		blocks = append(blocks, sdk.Heading(s.res.context), counts(s, false))
		blocks = append(blocks, dashboardLink(s)...)
		blocks = append(blocks, partialNotices(s.res)...)
		for i, row := range s.failing {
			if i == cardErrors {
				blocks = append(blocks, sdk.Notice(fmt.Sprintf("%d more pods in error: see the Kubernetes tab.", len(s.failing)-cardErrors), pluginv1.Status_STATUS_ERROR))
				break
			}
			blocks = append(blocks, sdk.Notice(podName(row.p)+": "+row.state.problem, pluginv1.Status_STATUS_ERROR))
		}
	}
	if allEmpty {
		blocks = append(blocks, nothingNotice(q, sums))
	}
	return sdk.Card(viewID, viewTitle, blocks...)
}

// tab is the full view: the query, then per cluster its summary and the
// tables of deployments and pods.
func tab(q query, sums []clusterSummary) *pluginv1.View {
	names := make([]string, len(sums))
	for i, s := range sums {
		names[i] = s.res.context
	}
	blocks := []*pluginv1.Block{sdk.KeyValues(
		sdk.KV("Label selector", q.selector),
		sdk.KV("Namespace", cmp.Or(q.namespace, "all")),
		sdk.KV("Clusters", strings.Join(names, ", ")),
	)}
	allEmpty := nothingMatched(sums)
	if allEmpty {
		blocks = append(blocks, nothingNotice(q, sums))
	}
	if c := errorsCard(sums); c != nil {
		blocks = append(blocks, sdk.Heading("Detected errors"))
		blocks = append(blocks, c.GetBlocks()...)
	}
	for _, s := range sums {
		if err := s.res.failure(); err != nil {
			blocks = append(blocks, sdk.Heading(s.res.context), clusterNotice(s.res, err))
			continue
		}
		if s.res.empty() {
			if !allEmpty {
				blocks = append(blocks, sdk.Heading(s.res.context), sdk.Notice("Nothing matches here.", pluginv1.Status_STATUS_INFO))
			}
			continue
		}
		blocks = append(blocks, sdk.Heading(s.res.context), counts(s, true))
		blocks = append(blocks, dashboardLink(s)...)
		blocks = append(blocks, partialNotices(s.res)...)
		if s.res.deployErr == nil {
			blocks = append(blocks, sdk.Markdown("**Deployments**"))
			if len(s.deployments) == 0 {
				blocks = append(blocks, sdk.Notice("No deployments match.", pluginv1.Status_STATUS_NONE))
			} else {
				blocks = append(blocks, deploymentTable(s.res.context, s.deployments))
			}
		}
		if s.res.podErr == nil {
			blocks = append(blocks, sdk.Markdown("**Pods**"))
			if len(s.pods) == 0 {
				blocks = append(blocks, sdk.Notice("No pods match.", pluginv1.Status_STATUS_NONE))
			} else {
				blocks = append(blocks, podTable(s.res.context, s.pods))
			}
		}
		blocks = append(blocks, otherBlocks(s.res)...)
	}
	return sdk.Tab(viewID, viewTitle, blocks...)
}

// counts are a cluster's pods running and deployments ready, after its
// server if withServer.
func counts(s clusterSummary, withServer bool) *pluginv1.Block {
	var items []*pluginv1.KeyValue
	if withServer && s.res.server != "" {
		items = append(items, sdk.KV("Server", s.res.server))
	}
	if s.res.podErr == nil {
		items = append(items, &pluginv1.KeyValue{Key: "Pods running", Value: fmt.Sprintf("%d/%d", s.running, len(s.pods)), Status: share(s.running+s.done, len(s.pods))})
		if len(s.failing) > 0 {
			items = append(items, &pluginv1.KeyValue{Key: "Pods in error", Value: fmt.Sprint(len(s.failing)), Status: pluginv1.Status_STATUS_ERROR})
		}
		if s.restartTotal > 0 {
			items = append(items, sdk.KV("Restarts", fmt.Sprint(s.restartTotal)))
		}
	}
	if s.res.deployErr == nil {
		items = append(items, &pluginv1.KeyValue{Key: "Deployments ready", Value: fmt.Sprintf("%d/%d", s.depReady, len(s.deployments)), Status: share(s.depReady, len(s.deployments))})
	}
	return sdk.KeyValues(items...)
}

// share is the status of n good out of total: all OK, some a warning,
// none an error.
func share(n, total int) pluginv1.Status {
	switch {
	case total == 0:
		return pluginv1.Status_STATUS_NONE
	case n >= total:
		return pluginv1.Status_STATUS_OK
	case n > 0:
		return pluginv1.Status_STATUS_WARNING
	}
	return pluginv1.Status_STATUS_ERROR
}

func deploymentTable(context string, rows []deploymentRow) *pluginv1.Block {
	t := sdk.Table([]string{"Name", "Namespace", "Ready", "Status", "", ""})
	for _, r := range rows {
		t.GetTable().Rows = append(t.GetTable().Rows, &pluginv1.Row{Cells: []*pluginv1.Cell{
			{Text: r.d.Name},
			{Text: r.d.Namespace},
			{Text: fmt.Sprintf("%d/%d", r.state.ready, r.state.desired)},
			{Text: r.state.text, Status: r.state.status},
			sdk.ActionCell("", eventsAction(context, r.d.Namespace, "Deployment", r.d.Name)),
			sdk.ActionCell("", restartAction(context, r.d.Namespace, "deployments", r.d.Name)),
		}})
	}
	return t
}

func podTable(context string, rows []podRow) *pluginv1.Block {
	t := sdk.Table([]string{"Name", "Namespace", "Phase", "Ready", "Restarts", "Age", "Recent error", "", ""})
	for _, r := range rows {
		problem := &pluginv1.Cell{Text: r.state.problem}
		if r.state.failing {
			problem.Status = pluginv1.Status_STATUS_ERROR
		}
		t.GetTable().Rows = append(t.GetTable().Rows, &pluginv1.Row{Cells: []*pluginv1.Cell{
			{Text: r.p.Name},
			{Text: r.p.Namespace},
			{Text: r.state.phase, Status: r.state.status},
			{Text: fmt.Sprintf("%d/%d", r.state.ready, r.state.total)},
			{Text: r.state.restarts},
			{Text: r.state.age},
			problem,
			logsCell(context, r.p),
			sdk.ActionCell("", eventsAction(context, r.p.Namespace, "Pod", r.p.Name)),
		}})
	}
	return t
}

// clusterNotice says that a cluster could not be asked, and why.
func clusterNotice(res *clusterResult, err error) *pluginv1.Block {
	return sdk.Notice(fmt.Sprintf("Cluster %s%s: %s.", res.context, serverSuffix(res.server), reason(err, res.timeout)), pluginv1.Status_STATUS_WARNING)
}

// partialNotices say which of a cluster's lists failed when the other
// answered, and when a list was cut short.
func partialNotices(res *clusterResult) []*pluginv1.Block {
	var blocks []*pluginv1.Block
	for _, e := range []struct {
		what string
		err  error
	}{{"deployments", res.deployErr}, {"pods", res.podErr}} {
		if e.err != nil {
			blocks = append(blocks, sdk.Notice(fmt.Sprintf("Cluster %s: no %s: %s.", res.context, e.what, reason(e.err, res.timeout)), pluginv1.Status_STATUS_WARNING))
		}
	}
	if res.more {
		blocks = append(blocks, sdk.Notice(fmt.Sprintf("More than %d match: showing the first %d.", listLimit, listLimit), pluginv1.Status_STATUS_INFO))
	}
	return blocks
}

// nothingMatched reports that every cluster that answered found nothing
// (and at least one answered).
func nothingMatched(sums []clusterSummary) bool {
	answered := false
	for _, s := range sums {
		if s.res.failure() != nil {
			continue
		}
		if !s.res.empty() {
			return false
		}
		answered = true
	}
	return answered
}

// nothingNotice says which selector found nothing in which clusters.
func nothingNotice(q query, sums []clusterSummary) *pluginv1.Block {
	var names []string
	for _, s := range sums {
		if s.res.empty() {
			names = append(names, s.res.context)
		}
	}
	where := "any namespace"
	if q.namespace != "" {
		where = "namespace " + q.namespace
	}
	return sdk.Notice(fmt.Sprintf("Nothing matches the label selector %q in %s of %s %s.", q.selector, where, plural(len(names), "cluster", "clusters"), strings.Join(names, ", ")), pluginv1.Status_STATUS_INFO)
}

func serverSuffix(server string) string {
	if server == "" {
		return ""
	}
	return " (" + server + ")"
}

func podName(p *corev1.Pod) string { return p.Namespace + "/" + p.Name }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// logsCell is the button to a pod's logs: of its first container that
// has restarted (the previous one's), else of its first container.
func logsCell(context string, p *corev1.Pod) *pluginv1.Cell {
	for _, c := range p.Status.ContainerStatuses {
		if c.RestartCount > 0 {
			return sdk.ActionCell("", logsAction(context, p.Namespace, p.Name, c.Name, true))
		}
	}
	if len(p.Spec.Containers) == 0 {
		return &pluginv1.Cell{}
	}
	return sdk.ActionCell("", logsAction(context, p.Namespace, p.Name, p.Spec.Containers[0].Name, false))
}

// dashboardLink links a cluster's dashboard, when settings name one.
func dashboardLink(s clusterSummary) []*pluginv1.Block {
	if s.dashboard == "" {
		return nil
	}
	return []*pluginv1.Block{sdk.Links(&pluginv1.Link{Title: "Dashboard of " + s.res.context, Url: s.dashboard})}
}
