package kubernetes

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// The view actions the plugin offers; the host passes on only those its
// views offered, with their parameters.
const (
	actionLogs    = "logs"
	actionEvents  = "events"
	actionRestart = "restart"
)

// Bounds on what an action reads from a cluster.
const (
	// logTail is how many of a container's last lines are read.
	logTail = 500
	// maxLogBytes bounds a log read, whatever the server sends.
	maxLogBytes = 256 << 10
	// maxEvents is the most events read of one object.
	maxEvents = 200
)

// restartedAt is the pod template annotation kubectl rollout restart sets.
const restartedAt = "kubectl.kubernetes.io/restartedAt"

// restartable are the workload resources a rollout restart applies to,
// with their kinds.
var restartable = map[string]string{"deployments": "Deployment", "statefulsets": "StatefulSet", "daemonsets": "DaemonSet"}

func logsAction(context, namespace, pod, container string, previous bool) *pluginv1.ViewAction {
	label := "Logs"
	if previous {
		label = "Logs (previous)"
	}
	return sdk.ViewAction(actionLogs, label, map[string]string{"context": context, "namespace": namespace, "pod": pod, "container": container, "previous": strconv.FormatBool(previous)})
}

func eventsAction(context, namespace, kind, name string) *pluginv1.ViewAction {
	return sdk.ViewAction(actionEvents, "Events", map[string]string{"context": context, "namespace": namespace, "kind": kind, "name": name})
}

func restartAction(context, namespace, resource, name string) *pluginv1.ViewAction {
	kind := strings.ToLower(restartable[resource])
	return sdk.Dangerous(sdk.ViewAction(actionRestart, "Restart rollout", map[string]string{"context": context, "namespace": namespace, "resource": resource, "name": name}),
		fmt.Sprintf("Restart the rollout of %s %s/%s in %s? Its pods are replaced one by one, as kubectl rollout restart does.", kind, namespace, name, context))
}

// action runs a view action. What goes wrong with the cluster is a
// notice in the answer; only a cancelled call is an error.
func (r *renderer) action(ctx context.Context, req sdk.ViewActionRequest) ([]*pluginv1.Block, error) {
	p := req.Parameters
	kc, err := r.loadKubeconfig(req.Config[configKubeconfig])
	if err != nil {
		return notice(fmt.Sprintf("The kubeconfig cannot be read: %v.", err), pluginv1.Status_STATUS_ERROR), nil
	}
	names, err := kc.contexts(req.Config[configContexts])
	if err != nil || !slices.Contains(names, p["context"]) {
		return notice(fmt.Sprintf("The context %q is no longer one Callboard looks in: see the kubernetes plugin's settings.", p["context"]), pluginv1.Status_STATUS_WARNING), nil
	}
	s, err := newAPIScheme()
	if err != nil {
		return nil, err
	}
	timeout := r.timeout(ctx)
	c, err := clientsFor(kc, s, p["context"], timeout)
	if err != nil {
		return notice(fmt.Sprintf("Cluster %s: %s.", p["context"], reason(err, timeout)), pluginv1.Status_STATUS_WARNING), nil
	}
	var blocks []*pluginv1.Block
	switch req.ID {
	case actionLogs:
		blocks, err = r.logs(ctx, c, p)
	case actionEvents:
		if p[paramResourceVersion] != "" {
			blocks, err = r.followEvents(ctx, c, p, timeout)
		} else {
			blocks, err = r.events(ctx, c, p)
		}
	case actionRestart:
		blocks, err = r.restart(ctx, c, p)
	default:
		return nil, fmt.Errorf("kubernetes: no action %q", req.ID)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("kubernetes: %w", ctx.Err())
	}
	if err != nil {
		return []*pluginv1.Block{actionFailure(err, p["context"], timeout)}, nil
	}
	return blocks, nil
}

// refused is an action the API server answered 403: what was not allowed.
type refused struct {
	verb, resource, namespace string
	err                       error
}

func (e *refused) Error() string { return e.err.Error() }
func (e *refused) Unwrap() error { return e.err }

// asked wraps err as a refusal when the API server said 403 to verb on
// resource in namespace.
func asked(err error, verb, resource, namespace string) error {
	if apierrors.IsForbidden(err) {
		return &refused{verb: verb, resource: resource, namespace: namespace, err: err}
	}
	return err
}

// actionFailure is the notice of a failed action: a refusal says what
// was not allowed rather than the API server's whole message.
func actionFailure(err error, context string, timeout time.Duration) *pluginv1.Block {
	var r *refused
	if errors.As(err, &r) {
		return sdk.Notice(fmt.Sprintf("Not allowed: %s %s in %s (cluster %s).", r.verb, r.resource, r.namespace, context), pluginv1.Status_STATUS_WARNING)
	}
	return sdk.Notice(fmt.Sprintf("Cluster %s: %s.", context, reason(err, timeout)), pluginv1.Status_STATUS_WARNING)
}

// logs reads a container's last lines, the previous container's after a
// crash, at most maxLogBytes of them: when logTail lines are more, it asks
// again for as many of the newest as fitted. The current container's log
// can be followed: its lines are read with their times, and its follow is
// this action with since, the last line's time, whose answer drops the
// lines at or before since that sinceTime's seconds bring back.
func (r *renderer) logs(ctx context.Context, c *clients, p map[string]string) ([]*pluginv1.Block, error) {
	previous := p["previous"] == "true"
	var since time.Time
	if v := p["since"]; v != "" && !previous {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, fmt.Errorf("the since parameter %q: %w", v, err)
		}
		since = t
	}
	q := logQuery{previous: previous, timestamps: !previous, since: since, tail: logTail}
	lines, truncated, err := readLog(ctx, c, p, q)
	if err != nil {
		return nil, err
	}
	if truncated && len(lines) > 1 {
		// The last line read may be cut: only the complete ones fitted.
		q.tail = len(lines) - 1
		if lines, _, err = readLog(ctx, c, p, q); err != nil {
			return nil, err
		}
	}
	if !since.IsZero() && len(lines) >= q.tail {
		// A follow read as many lines as it asks for: more may have come
		// since the last read, and those before these are not shown.
		truncated = true
	}
	var follow *pluginv1.ViewAction
	if !previous {
		var last time.Time
		lines, last = unstamp(lines, since)
		follow = logsAction(p["context"], p["namespace"], p["pod"], p["container"], false)
		if !last.IsZero() {
			follow.Parameters["since"] = last.Format(time.RFC3339Nano)
		} else if p["since"] != "" {
			follow.Parameters["since"] = p["since"]
		}
		follow.Label = "Follow"
	}
	title := fmt.Sprintf("%s/%s, container %s: last %d lines", p["namespace"], p["pod"], p["container"], len(lines))
	switch {
	case previous:
		title += " of the previous container"
	case !since.IsZero():
		title = fmt.Sprintf("%s/%s, container %s: %d new lines", p["namespace"], p["pod"], p["container"], len(lines))
	}
	log := sdk.Log(title, lines, truncated)
	log.GetLog().Follow = follow
	other := logsAction(p["context"], p["namespace"], p["pod"], p["container"], !previous)
	if previous {
		other.Label = "Logs (current)"
	}
	return []*pluginv1.Block{log, sdk.Buttons(refreshOf(logsAction(p["context"], p["namespace"], p["pod"], p["container"], previous)), other)}, nil
}

// unstamp strips the time the API server put before each line and drops
// the lines at or before since (none when it is zero); last is the time
// of the last line kept, zero when none had one. A line without a time
// is kept as it is.
func unstamp(lines []string, since time.Time) (out []string, last time.Time) {
	out = make([]string, 0, len(lines))
	for _, l := range lines {
		stamp, text, ok := strings.Cut(l, " ")
		at, err := time.Parse(time.RFC3339Nano, stamp)
		if !ok || err != nil {
			out = append(out, l)
			continue
		}
		if !since.IsZero() && !at.After(since) {
			continue
		}
		out, last = append(out, text), at
	}
	return out, last
}

// logQuery is what readLog asks of a container's log.
type logQuery struct {
	previous, timestamps bool
	// since, when set, asks for the lines from its second on.
	since time.Time
	tail  int
}

// readLog reads a container's last lines as q says, at most
// maxLogBytes; truncated says the limit cut them.
func readLog(ctx context.Context, c *clients, p map[string]string, q logQuery) (lines []string, truncated bool, err error) {
	req := c.core.Get().Namespace(p["namespace"]).Resource("pods").Name(p["pod"]).SubResource("log").
		Param("container", p["container"]).Param("tailLines", strconv.Itoa(q.tail)).Param("limitBytes", strconv.Itoa(maxLogBytes))
	if q.previous {
		req = req.Param("previous", "true")
	}
	if q.timestamps {
		req = req.Param("timestamps", "true")
	}
	if !q.since.IsZero() {
		// Kubernetes keeps sinceTime to the second: the lines of since's
		// second come again, and the caller drops them.
		req = req.Param("sinceTime", q.since.UTC().Truncate(time.Second).Format(time.RFC3339))
	}
	body, err := req.Stream(ctx)
	if err != nil {
		return nil, false, asked(err, "get", "pods/log", p["namespace"])
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, maxLogBytes))
	if err != nil {
		return nil, false, fmt.Errorf("read the log: %w", err)
	}
	if text := strings.TrimSuffix(string(data), "\n"); text != "" {
		lines = strings.Split(text, "\n")
	}
	return lines, len(data) >= maxLogBytes, nil
}

// events lists an object's events, warnings first, newest first, above
// the live events that follow them (watch.go).
func (r *renderer) events(ctx context.Context, c *clients, p map[string]string) ([]*pluginv1.Block, error) {
	list, err := listEvents(ctx, c, p)
	if err != nil {
		return nil, err
	}
	what := strings.ToLower(p["kind"]) + " " + p["namespace"] + "/" + p["name"]
	live := liveEvents(p, what, list.ResourceVersion)
	if len(list.Items) == 0 {
		blocks := notice("No events of "+what+" (Kubernetes keeps them for an hour).", pluginv1.Status_STATUS_NONE)
		if live != nil {
			blocks = append(blocks, live)
		}
		return blocks, nil
	}
	slices.SortStableFunc(list.Items, func(a, b corev1.Event) int {
		return cmp.Or(cmp.Compare(warningRank(a.Type), warningRank(b.Type)), lastSeen(&b).Compare(lastSeen(&a)))
	})
	now := r.now()
	t := sdk.Table([]string{"Type", "Reason", "Message", "Count", "Last seen"})
	for i := range list.Items {
		e := &list.Items[i]
		status := pluginv1.Status_STATUS_NONE
		if e.Type == corev1.EventTypeWarning {
			status = pluginv1.Status_STATUS_WARNING
		}
		seen := ""
		if at := lastSeen(e); !at.IsZero() {
			seen = duration.HumanDuration(now.Sub(at)) + " ago"
		}
		t.GetTable().Rows = append(t.GetTable().Rows, &pluginv1.Row{Cells: []*pluginv1.Cell{
			{Text: e.Type, Status: status}, {Text: e.Reason}, {Text: clip(e.Message)}, {Text: strconv.Itoa(int(max(e.Count, 1)))}, {Text: seen},
		}})
	}
	blocks := []*pluginv1.Block{sdk.Markdown("**Events of " + what + "**"), t}
	if live != nil {
		blocks = append(blocks, live)
	}
	return append(blocks, sdk.Buttons(refreshOf(eventsAction(p["context"], p["namespace"], p["kind"], p["name"])))), nil
}

// eventSelector picks the events of the object p names.
func eventSelector(p map[string]string) string {
	return fields.Set{"involvedObject.kind": p["kind"], "involvedObject.name": p["name"]}.AsSelector().String()
}

// listEvents lists the events of the object p names, at most maxEvents.
func listEvents(ctx context.Context, c *clients, p map[string]string) (corev1.EventList, error) {
	var list corev1.EventList
	err := c.core.Get().Namespace(p["namespace"]).Resource("events").
		VersionedParams(&metav1.ListOptions{FieldSelector: eventSelector(p), Limit: maxEvents}, c.scheme.params).Do(ctx).Into(&list)
	if err != nil {
		return list, asked(err, "list", "events", p["namespace"])
	}
	return list, nil
}

// lastSeen is when an event last happened, by the newest of its times.
func lastSeen(e *corev1.Event) time.Time {
	return slices.MaxFunc([]time.Time{e.LastTimestamp.Time, e.EventTime.Time, e.FirstTimestamp.Time, e.CreationTimestamp.Time}, func(a, b time.Time) int { return a.Compare(b) })
}

func warningRank(t string) int {
	if t == corev1.EventTypeWarning {
		return 0
	}
	return 1
}

// restart restarts a workload's rollout as kubectl rollout restart does:
// a new pod template annotation, so its pods are replaced.
func (r *renderer) restart(ctx context.Context, c *clients, p map[string]string) ([]*pluginv1.Block, error) {
	resource := p["resource"]
	kind, ok := restartable[resource]
	if !ok {
		return nil, fmt.Errorf("cannot restart %s", resource)
	}
	at := r.now().UTC().Format(time.RFC3339)
	patch := fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{%q:%q}}}}}`, restartedAt, at)
	err := c.apps.Patch(types.StrategicMergePatchType).Namespace(p["namespace"]).Resource(resource).Name(p["name"]).Body([]byte(patch)).Do(ctx).Error()
	if err != nil {
		return nil, asked(err, "patch", resource, p["namespace"])
	}
	return []*pluginv1.Block{
		sdk.Notice(fmt.Sprintf("Restarting the rollout of %s %s/%s (restartedAt %s): its pods are replaced one by one.", strings.ToLower(kind), p["namespace"], p["name"], at), pluginv1.Status_STATUS_OK),
		sdk.Buttons(eventsAction(p["context"], p["namespace"], kind, p["name"])),
	}, nil
}

// refreshOf is a's button labelled Refresh: the same action again.
func refreshOf(a *pluginv1.ViewAction) *pluginv1.ViewAction {
	a.Label = "Refresh"
	return a
}

func notice(text string, s pluginv1.Status) []*pluginv1.Block {
	return []*pluginv1.Block{sdk.Notice(text, s)}
}
