package kubernetes

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// maxListBytes bounds one list read from a cluster.
const maxListBytes = 16 << 20

// kind is a kind listed besides deployments and pods: the workloads and
// resources Backstage's kubernetes plugin shows, and the custom resources
// named in settings. rows decodes a list's JSON into table rows.
type kind struct {
	title    string
	gv       schema.GroupVersion
	resource string
	columns  []string
	rows     func(context string, data []byte, now time.Time) ([]*pluginv1.Row, error)
}

// otherList is one kind's list in one cluster.
type otherList struct {
	kind kind
	rows []*pluginv1.Row
	err  error
}

// builtinKinds are the kinds every entity's clusters are asked for.
func builtinKinds() []kind {
	return []kind{
		{"StatefulSets", appsv1.SchemeGroupVersion, "statefulsets", []string{"Name", "Namespace", "Ready", "", ""}, typed(func(c string, l *appsv1.StatefulSetList, _ time.Time) []*pluginv1.Row {
			return mapRows(l.Items, func(s *appsv1.StatefulSet) *pluginv1.Row {
				want := int32(1)
				if s.Spec.Replicas != nil {
					want = *s.Spec.Replicas
				}
				return row(s.Name, s.Namespace, readyCell(s.Status.ReadyReplicas, want),
					sdk.ActionCell("", eventsAction(c, s.Namespace, "StatefulSet", s.Name)), sdk.ActionCell("", restartAction(c, s.Namespace, "statefulsets", s.Name)))
			})
		})},
		{"DaemonSets", appsv1.SchemeGroupVersion, "daemonsets", []string{"Name", "Namespace", "Ready", "Up to date", "", ""}, typed(func(c string, l *appsv1.DaemonSetList, _ time.Time) []*pluginv1.Row {
			return mapRows(l.Items, func(d *appsv1.DaemonSet) *pluginv1.Row {
				return row(d.Name, d.Namespace, readyCell(d.Status.NumberReady, d.Status.DesiredNumberScheduled), &pluginv1.Cell{Text: strconv.Itoa(int(d.Status.UpdatedNumberScheduled))},
					sdk.ActionCell("", eventsAction(c, d.Namespace, "DaemonSet", d.Name)), sdk.ActionCell("", restartAction(c, d.Namespace, "daemonsets", d.Name)))
			})
		})},
		{"Horizontal pod autoscalers", autoscalingv2.SchemeGroupVersion, "horizontalpodautoscalers", []string{"Name", "Namespace", "Scales", "Replicas (current/min/max)"}, typed(func(c string, l *autoscalingv2.HorizontalPodAutoscalerList, _ time.Time) []*pluginv1.Row {
			return mapRows(l.Items, func(h *autoscalingv2.HorizontalPodAutoscaler) *pluginv1.Row {
				lo := int32(1)
				if h.Spec.MinReplicas != nil {
					lo = *h.Spec.MinReplicas
				}
				replicas := &pluginv1.Cell{Text: fmt.Sprintf("%d/%d/%d", h.Status.CurrentReplicas, lo, h.Spec.MaxReplicas)}
				if h.Status.CurrentReplicas >= h.Spec.MaxReplicas {
					// At its ceiling it cannot absorb more load: Backstage flags it.
					replicas.Status, replicas.Text = pluginv1.Status_STATUS_WARNING, replicas.Text+" (at its maximum)"
				}
				return row(h.Name, h.Namespace, &pluginv1.Cell{Text: h.Spec.ScaleTargetRef.Kind + "/" + h.Spec.ScaleTargetRef.Name}, replicas)
			})
		})},
		{"Services", corev1.SchemeGroupVersion, "services", []string{"Name", "Namespace", "Type", "Cluster IP", "Ports"}, typed(func(c string, l *corev1.ServiceList, _ time.Time) []*pluginv1.Row {
			return mapRows(l.Items, func(s *corev1.Service) *pluginv1.Row {
				var ports []string
				for _, p := range s.Spec.Ports {
					ports = append(ports, fmt.Sprintf("%d/%s", p.Port, p.Protocol))
				}
				return row(s.Name, s.Namespace, &pluginv1.Cell{Text: string(s.Spec.Type)}, &pluginv1.Cell{Text: s.Spec.ClusterIP}, &pluginv1.Cell{Text: strings.Join(ports, ", ")})
			})
		})},
		{"Ingresses", networkingv1.SchemeGroupVersion, "ingresses", []string{"Name", "Namespace", "Hosts", "Address"}, typed(func(c string, l *networkingv1.IngressList, _ time.Time) []*pluginv1.Row {
			return mapRows(l.Items, func(in *networkingv1.Ingress) *pluginv1.Row {
				var hosts, addrs []string
				for _, r := range in.Spec.Rules {
					hosts = append(hosts, r.Host)
				}
				for _, a := range in.Status.LoadBalancer.Ingress {
					addrs = append(addrs, cmp.Or(a.Hostname, a.IP))
				}
				return row(in.Name, in.Namespace, &pluginv1.Cell{Text: strings.Join(hosts, ", ")}, &pluginv1.Cell{Text: strings.Join(addrs, ", ")})
			})
		})},
		{"CronJobs", batchv1.SchemeGroupVersion, "cronjobs", []string{"Name", "Namespace", "Schedule", "Last run", "Active"}, typed(func(c string, l *batchv1.CronJobList, now time.Time) []*pluginv1.Row {
			return mapRows(l.Items, func(j *batchv1.CronJob) *pluginv1.Row {
				schedule := &pluginv1.Cell{Text: j.Spec.Schedule}
				if j.Spec.Suspend != nil && *j.Spec.Suspend {
					schedule.Text, schedule.Status = schedule.Text+" (suspended)", pluginv1.Status_STATUS_WARNING
				}
				return row(j.Name, j.Namespace, schedule, &pluginv1.Cell{Text: ago(j.Status.LastScheduleTime, now)}, &pluginv1.Cell{Text: strconv.Itoa(len(j.Status.Active))})
			})
		})},
		{"Jobs", batchv1.SchemeGroupVersion, "jobs", []string{"Name", "Namespace", "Completions", "Status", "Age", ""}, typed(func(c string, l *batchv1.JobList, now time.Time) []*pluginv1.Row {
			return mapRows(l.Items, func(j *batchv1.Job) *pluginv1.Row {
				want := int32(1)
				if j.Spec.Completions != nil {
					want = *j.Spec.Completions
				}
				st := &pluginv1.Cell{Text: "Running", Status: pluginv1.Status_STATUS_PENDING}
				for _, cond := range j.Status.Conditions {
					if cond.Status != corev1.ConditionTrue {
						continue
					}
					switch cond.Type {
					case batchv1.JobComplete:
						st = &pluginv1.Cell{Text: "Complete", Status: pluginv1.Status_STATUS_OK}
					case batchv1.JobFailed:
						st = &pluginv1.Cell{Text: withMessage("Failed: "+cond.Reason, cond.Message), Status: pluginv1.Status_STATUS_ERROR}
					}
				}
				return row(j.Name, j.Namespace, &pluginv1.Cell{Text: fmt.Sprintf("%d/%d", j.Status.Succeeded, want)}, st,
					&pluginv1.Cell{Text: ago(&j.CreationTimestamp, now)}, sdk.ActionCell("", eventsAction(c, j.Namespace, "Job", j.Name)))
			})
		})},
	}
}

// customKinds are the custom resources settings name, as
// group/version/plural separated by commas; a wrong one is an error
// naming it.
func customKinds(setting string) ([]kind, error) {
	var out []kind
	for _, f := range strings.Split(setting, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		parts := strings.Split(f, "/")
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" || strings.ContainsAny(f, "?#% ") {
			return nil, fmt.Errorf("custom resource %q: want group/version/plural, e.g. argoproj.io/v1alpha1/rollouts", f)
		}
		out = append(out, kind{title: parts[2] + " (" + parts[0] + ")", gv: schema.GroupVersion{Group: parts[0], Version: parts[1]}, resource: parts[2],
			columns: []string{"Name", "Namespace", "Ready"}, rows: customRows})
	}
	return out, nil
}

// customRows shows a custom resource's name and its Ready condition, the
// convention most controllers follow.
func customRows(_ string, data []byte, _ time.Time) ([]*pluginv1.Row, error) {
	var l struct {
		Items []struct {
			Metadata metav1.ObjectMeta `json:"metadata"`
			Status   struct {
				Conditions []metav1.Condition `json:"conditions"`
			} `json:"status"`
		} `json:"items"`
	}
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, err
	}
	var rows []*pluginv1.Row
	for _, it := range l.Items {
		ready := &pluginv1.Cell{}
		for _, c := range it.Status.Conditions {
			if c.Type == "Ready" {
				ready.Text, ready.Status = withMessage(string(c.Status), c.Message), pluginv1.Status_STATUS_WARNING
				if c.Status == metav1.ConditionTrue {
					ready.Status = pluginv1.Status_STATUS_OK
				}
			}
		}
		rows = append(rows, row(it.Metadata.Name, it.Metadata.Namespace, ready))
	}
	return rows, nil
}

// listOther lists one kind in a cluster, by q's selector and namespace,
// reading at most maxListBytes.
func listOther(ctx context.Context, c *clients, k kind, q query, context string, now time.Time) otherList {
	out := otherList{kind: k}
	rc, err := c.group(k.gv)
	if err != nil {
		out.err = err
		return out
	}
	body, err := rc.Get().Namespace(q.namespace).Resource(k.resource).
		Param("labelSelector", q.selector).Param("limit", strconv.Itoa(listLimit)).Stream(ctx)
	if err != nil {
		out.err = asked(err, "list", k.resource, cmp.Or(q.namespace, "all namespaces"))
		return out
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, maxListBytes+1))
	if err == nil && len(data) > maxListBytes {
		err = fmt.Errorf("list %s: over %d MB", k.resource, maxListBytes>>20)
	}
	if err != nil {
		out.err = err
		return out
	}
	out.rows, out.err = k.rows(context, data, now)
	if out.err != nil {
		out.err = fmt.Errorf("list %s: %w", k.resource, out.err)
	}
	return out
}

// typed decodes a list's JSON into L and makes its rows with fn.
func typed[L any](fn func(context string, l *L, now time.Time) []*pluginv1.Row) func(string, []byte, time.Time) ([]*pluginv1.Row, error) {
	return func(context string, data []byte, now time.Time) ([]*pluginv1.Row, error) {
		var l L
		if err := json.Unmarshal(data, &l); err != nil {
			return nil, err
		}
		return fn(context, &l, now), nil
	}
}

func mapRows[T any](items []T, fn func(*T) *pluginv1.Row) []*pluginv1.Row {
	rows := make([]*pluginv1.Row, 0, len(items))
	for i := range items {
		rows = append(rows, fn(&items[i]))
	}
	slices.SortStableFunc(rows, func(a, b *pluginv1.Row) int {
		return cmp.Or(cmp.Compare(a.Cells[1].GetText(), b.Cells[1].GetText()), cmp.Compare(a.Cells[0].GetText(), b.Cells[0].GetText()))
	})
	return rows
}

// row is a table row: name, namespace, then cells.
func row(name, namespace string, cells ...*pluginv1.Cell) *pluginv1.Row {
	return &pluginv1.Row{Cells: append([]*pluginv1.Cell{{Text: name}, {Text: namespace}}, cells...)}
}

func readyCell(ready, want int32) *pluginv1.Cell {
	return &pluginv1.Cell{Text: fmt.Sprintf("%d/%d", ready, want), Status: share(int(ready), int(want))}
}

func ago(t *metav1.Time, now time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return duration.HumanDuration(now.Sub(t.Time)) + " ago"
}

// otherBlocks are a cluster's other lists: a table for each kind that
// has any, a notice for each that failed.
func otherBlocks(res *clusterResult) []*pluginv1.Block {
	var blocks []*pluginv1.Block
	for _, o := range res.others {
		switch {
		case o.err != nil:
			blocks = append(blocks, actionFailureText(o.kind.title, o.err, res))
		case len(o.rows) > 0:
			blocks = append(blocks, sdk.Markdown("**"+o.kind.title+"**"), &pluginv1.Block{Kind: &pluginv1.Block_Table{Table: &pluginv1.Table{Columns: o.kind.columns, Rows: o.rows}}})
		}
	}
	return blocks
}

// actionFailureText says why a kind could not be listed: not allowed, not
// served by the cluster (a custom resource it does not have), or why.
func actionFailureText(title string, err error, res *clusterResult) *pluginv1.Block {
	var r *refused
	switch {
	case errors.As(err, &r):
		return sdk.Notice(fmt.Sprintf("%s: not allowed: %s %s in %s.", title, r.verb, r.resource, r.namespace), pluginv1.Status_STATUS_WARNING)
	case apierrors.IsNotFound(err):
		return sdk.Notice(fmt.Sprintf("%s: this cluster does not serve them.", title), pluginv1.Status_STATUS_INFO)
	}
	return sdk.Notice(fmt.Sprintf("%s: %s.", title, reason(err, res.timeout)), pluginv1.Status_STATUS_WARNING)
}

// dashboards are the clusters' dashboard links from settings, as
// context=url separated by commas; only web addresses are kept.
func dashboards(setting string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Split(setting, ",") {
		name, link, ok := strings.Cut(strings.TrimSpace(f), "=")
		if !ok {
			continue
		}
		u, err := url.Parse(strings.TrimSpace(link))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			continue
		}
		out[strings.TrimSpace(name)] = u.String()
	}
	return out
}
