package kubernetes

import (
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// maxDetected is the most detected errors listed per cluster.
const maxDetected = 100

// detected is an error found in a workload's state, as Backstage's
// kubernetes error detection finds them: what is wrong, where, and what
// to do about it.
type detected struct {
	context   string
	kind      string
	namespace string
	name      string
	container string
	message   string
	fix       string
	// logs are the logs to look at, nil when none help.
	logs *pluginv1.ViewAction
}

// where is the resource an error is about, e.g. "pod prod/web-1, container app".
func (d detected) where() string {
	s := strings.ToLower(d.kind) + " " + d.namespace + "/" + d.name
	if d.container != "" {
		s += ", container " + d.container
	}
	return s
}

// detectErrors finds the errors of one cluster's pods and deployments.
func detectErrors(res *clusterResult, now time.Time) []detected {
	var out []detected
	for i := range res.pods {
		out = append(out, podErrors(res.context, &res.pods[i], res.usage, now)...)
	}
	for i := range res.deployments {
		out = append(out, deploymentErrors(res.context, &res.deployments[i])...)
	}
	if len(out) > maxDetected {
		out = out[:maxDetected]
	}
	return out
}

// podErrors are a pod's errors: per container the one that matters most
// (its state now, else its last termination, else a readiness probe that
// keeps failing), and a pod that cannot be scheduled.
func podErrors(context string, p *corev1.Pod, usage memoryUsage, now time.Time) []detected {
	specs := map[string]corev1.Container{}
	for _, c := range append(append([]corev1.Container(nil), p.Spec.InitContainers...), p.Spec.Containers...) {
		specs[c.Name] = c
	}
	var out []detected
	for _, cs := range append(append([]corev1.ContainerStatus(nil), p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...) {
		d := detected{context: context, kind: "Pod", namespace: p.Namespace, name: p.Name, container: cs.Name}
		if containerError(&d, cs, specs[cs.Name], usage, now) {
			out = append(out, d)
		}
	}
	for _, cond := range p.Status.Conditions {
		if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse && cond.Reason == corev1.PodReasonUnschedulable {
			out = append(out, detected{context: context, kind: "Pod", namespace: p.Namespace, name: p.Name,
				message: clip("Pending: the pod cannot be scheduled: " + orDefault(strings.TrimSpace(cond.Message), "no node fits it")),
				fix:     "Add nodes or free capacity, lower the pod's resource requests, or fix its node selector, affinity or tolerations so that a node fits it."})
		}
	}
	return out
}

// containerError fills d with what is wrong with one container, if
// anything is; usage tells an OOMKilled container's last memory usage.
func containerError(d *detected, cs corev1.ContainerStatus, spec corev1.Container, usage memoryUsage, now time.Time) bool {
	last := cs.LastTerminationState.Terminated
	if t := cs.State.Terminated; t != nil && t.Reason == "OOMKilled" {
		last = t
	}
	logs := func(previous bool) *pluginv1.ViewAction {
		return logsAction(d.context, d.namespace, d.name, d.container, previous)
	}
	w := cs.State.Waiting
	switch {
	case last != nil && last.Reason == "OOMKilled" && (w == nil || w.Reason == "CrashLoopBackOff" || cs.RestartCount > 0):
		limit := "no memory limit"
		if q, ok := spec.Resources.Limits[corev1.ResourceMemory]; ok {
			limit = "limit " + q.String()
		}
		d.message = fmt.Sprintf("OOMKilled: the container %q has crashed because it tried to use more memory than it has been allocated (%s; %s; restarted %s)", cs.Name, limit, usage.of(d.namespace, d.name, cs.Name), times(cs.RestartCount))
		d.fix = "Increase the amount of memory assigned to the container, or make sure the application is memory bounded and does not try to use more."
		d.logs = logs(true)
	case w != nil && w.Reason == "CrashLoopBackOff":
		d.message = fmt.Sprintf("CrashLoopBackOff: the container %s has crashed %s; it is restarted with a growing back-off until it stops crashing", cs.Name, times(cs.RestartCount))
		if last != nil {
			d.message += fmt.Sprintf(". Last exit code %d (%s)", last.ExitCode, orDefault(last.Reason, "Error"))
			if m := strings.TrimSpace(last.Message); m != "" {
				d.message += ": " + m
			}
		}
		d.fix = "Check the crash logs (the previous container's) for stack traces."
		d.logs = logs(true)
	case w != nil && (w.Reason == "ImagePullBackOff" || w.Reason == "ErrImagePull"):
		d.message = fmt.Sprintf("%s: the image %s either could not be found or Kubernetes does not have permission to pull it", w.Reason, orDefault(spec.Image, cs.Image))
		if m := strings.TrimSpace(w.Message); m != "" {
			d.message += ". The registry said: " + m
		}
		d.fix = "Ensure the image name and tag are correct, and that Kubernetes has permission to pull it (the pod's imagePullSecrets)."
	case w != nil && w.Reason == "InvalidImageName":
		d.message = fmt.Sprintf("InvalidImageName: the image %s in the pod is invalid", orDefault(spec.Image, cs.Image))
		d.fix = "Ensure the image name is correct and a valid image name."
	case w != nil && w.Reason == "CreateContainerConfigError":
		d.message = withMessage("CreateContainerConfigError: there is missing or mismatching configuration required to start the container", w.Message)
		d.fix = "Ensure the ConfigMaps and Secrets the pod references exist and have the keys it uses."
	case last != nil && cs.RestartCount > 0 && last.ExitCode != 0 && !cs.Ready:
		d.message = fmt.Sprintf("%s: the container %s has exited with a non-zero exit code (%d) and restarted %s", orDefault(last.Reason, "Error"), cs.Name, last.ExitCode, times(cs.RestartCount))
		d.fix = "Check the crash logs (the previous container's) for stack traces."
		d.logs = logs(true)
	case readinessFailing(cs, spec, now):
		d.message = fmt.Sprintf("ReadinessProbeFailed: the container %s failed to start properly, but is not crashing: its readiness probe keeps failing", cs.Name)
		d.fix = "Ensure the container starts correctly locally; check its logs and events for errors during startup, and that the probe asks the right port and path."
		d.logs = logs(false)
	default:
		return false
	}
	d.message = clipTo(d.message, maxDetectedText)
	return true
}

// maxDetectedText is the longest detected error shown, in runes: longer
// than a table's problem, since a registry's message ends with the cause.
const maxDetectedText = 600

func times(n int32) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// readinessFailing reports a running container that is not ready although
// its readiness probe has had its initial delay and all its failures.
func readinessFailing(cs corev1.ContainerStatus, spec corev1.Container, now time.Time) bool {
	run, probe := cs.State.Running, spec.ReadinessProbe
	if cs.Ready || run == nil || run.StartedAt.IsZero() || probe == nil {
		return false
	}
	grace := time.Duration(probe.InitialDelaySeconds)*time.Second + time.Duration(probe.PeriodSeconds*probe.FailureThreshold)*time.Second
	return run.StartedAt.Add(grace).Before(now)
}

// deploymentErrors are a deployment's false conditions, as Backstage
// reports them: a rollout stuck past its progress deadline, replicas
// unavailable.
func deploymentErrors(context string, d *appsv1.Deployment) []detected {
	var out []detected
	for _, c := range d.Status.Conditions {
		if c.Status != corev1.ConditionFalse || strings.TrimSpace(c.Message) == "" {
			continue
		}
		e := detected{context: context, kind: "Deployment", namespace: d.Namespace, name: d.Name}
		switch {
		case c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded":
			e.message = "Rollout stuck: " + c.Message
			e.fix = "Look at the new pods' errors and the deployment's events; roll back (kubectl rollout undo) if the new version is bad, or raise progressDeadlineSeconds if it is only slow."
		case c.Type == appsv1.DeploymentAvailable:
			e.message = fmt.Sprintf("%s: %d of %d replicas unavailable: %s", c.Reason, d.Status.UnavailableReplicas, d.Status.Replicas, c.Message)
			e.fix = "Look at the errors of its pods and at its events."
		default:
			e.message = withMessage(string(c.Type)+" "+c.Reason, c.Message)
			e.fix = "Look at the deployment's events."
		}
		e.message = clip(e.message)
		out = append(out, e)
	}
	return out
}

const (
	errorsViewID    = "kubernetes-errors"
	errorsViewTitle = "Kubernetes: detected errors"
)

// errorsTable lists detected errors with where, the fix and their logs.
func errorsTable(errs []detected) *pluginv1.Block {
	t := sdk.Table([]string{"Cluster", "Resource", "Error", "Suggested fix", ""})
	for _, e := range errs {
		logs := &pluginv1.Cell{}
		if e.logs != nil {
			logs = sdk.ActionCell("", e.logs)
		}
		t.GetTable().Rows = append(t.GetTable().Rows, &pluginv1.Row{Cells: []*pluginv1.Cell{
			{Text: e.context}, {Text: e.where()}, {Text: e.message, Status: pluginv1.Status_STATUS_ERROR}, {Text: e.fix}, logs,
		}})
	}
	return t
}

// errorsCard is the card listing every cluster's detected errors, shown
// first; nil when there are none.
func errorsCard(sums []clusterSummary) *pluginv1.View {
	var all []detected
	for _, s := range sums {
		all = append(all, s.errors...)
	}
	if len(all) == 0 {
		return nil
	}
	return sdk.Card(errorsViewID, errorsViewTitle, errorsTable(all))
}
