package kubernetes

import (
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// deploymentState is a deployment as the views show it.
type deploymentState struct {
	ready, desired int32
	text           string
	status         pluginv1.Status
}

// describeDeployment says how ready d is: all replicas ready is OK, some a
// warning, none an error.
func describeDeployment(d *appsv1.Deployment) deploymentState {
	s := deploymentState{ready: d.Status.ReadyReplicas, desired: 1}
	if d.Spec.Replicas != nil {
		s.desired = *d.Spec.Replicas
	}
	switch {
	case s.desired == 0:
		s.text, s.status = "Scaled to zero", pluginv1.Status_STATUS_NONE
	case s.ready >= s.desired:
		s.text, s.status = "Ready", pluginv1.Status_STATUS_OK
	case s.ready > 0:
		s.text, s.status = "Partly ready", pluginv1.Status_STATUS_WARNING
	default:
		s.text, s.status = "Not ready", pluginv1.Status_STATUS_ERROR
	}
	return s
}

// podState is a pod as the views show it.
type podState struct {
	phase  string
	status pluginv1.Status
	// ready and total count its containers.
	ready, total int
	restarts     string
	age          string
	// problem is its most recent error, "" when it has none; failing
	// says the pod is in an error state now (problem is then why).
	problem string
	failing bool
}

// running reports a pod whose phase is Running and not being deleted.
func (p podState) running() bool { return p.phase == string(corev1.PodRunning) }

// benignWaiting reports a reason a container waits for while all is well.
func benignWaiting(reason string) bool {
	switch reason {
	case "", "ContainerCreating", "PodInitializing":
		return true
	}
	return false
}

// maxProblem is the longest problem text shown, in runes.
const maxProblem = 300

// describePod sums up p at now, the way kubectl get pods does: phase,
// ready containers, restarts, age, and its most recent error.
func describePod(p *corev1.Pod, now time.Time) podState {
	s := podState{phase: string(p.Status.Phase), total: len(p.Spec.Containers)}
	if s.phase == "" {
		s.phase = string(corev1.PodUnknown)
	}
	if !p.CreationTimestamp.IsZero() {
		s.age = duration.HumanDuration(now.Sub(p.CreationTimestamp.Time))
	}

	var restarts int32
	var lastRestart time.Time
	for _, c := range p.Status.ContainerStatuses {
		if c.Ready {
			s.ready++
		}
		restarts += c.RestartCount
		if t := c.LastTerminationState.Terminated; t != nil && t.FinishedAt.After(lastRestart) {
			lastRestart = t.FinishedAt.Time
		}
	}
	s.restarts = fmt.Sprint(restarts)
	if restarts > 0 && !lastRestart.IsZero() {
		s.restarts += " (" + duration.HumanDuration(now.Sub(lastRestart)) + " ago)"
	}

	s.problem, s.failing = podProblem(p, now)
	switch {
	case s.failing || p.Status.Phase == corev1.PodFailed:
		s.status = pluginv1.Status_STATUS_ERROR
	case p.DeletionTimestamp != nil:
		s.phase, s.status = "Terminating", pluginv1.Status_STATUS_PENDING
	case p.Status.Phase == corev1.PodRunning && s.ready == s.total:
		s.status = pluginv1.Status_STATUS_OK
	case p.Status.Phase == corev1.PodRunning:
		s.status = pluginv1.Status_STATUS_WARNING
	case p.Status.Phase == corev1.PodSucceeded:
		s.status = pluginv1.Status_STATUS_OK
	case p.Status.Phase == corev1.PodPending:
		s.status = pluginv1.Status_STATUS_PENDING
	default:
		s.status = pluginv1.Status_STATUS_WARNING
	}
	return s
}

// podProblem is the error of p that matters most, and whether p is in an
// error state now: a container waiting for a bad reason (CrashLoopBackOff,
// ImagePullBackOff, …), one that exited with an error, a failed or
// unschedulable pod; else the last termination of a container that has
// been restarted.
func podProblem(p *corev1.Pod, now time.Time) (string, bool) {
	statuses := append(append([]corev1.ContainerStatus(nil), p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...)
	for _, c := range statuses {
		if w := c.State.Waiting; w != nil && !benignWaiting(w.Reason) {
			text := c.Name + ": " + withMessage(w.Reason, w.Message)
			if t := c.LastTerminationState.Terminated; t != nil {
				text += " (last exit: " + termination(t) + ")"
			}
			return clip(text), true
		}
	}
	for _, c := range statuses {
		if t := c.State.Terminated; t != nil && t.ExitCode != 0 {
			return clip(c.Name + ": " + withMessage(termination(t), t.Message)), true
		}
	}
	if p.Status.Phase == corev1.PodFailed {
		return clip(withMessage(orDefault(p.Status.Reason, "Failed"), p.Status.Message)), true
	}
	for _, cond := range p.Status.Conditions {
		if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse && cond.Reason == corev1.PodReasonUnschedulable {
			return clip(withMessage(cond.Reason, cond.Message)), true
		}
	}
	var last *corev1.ContainerStateTerminated
	var lastName string
	for _, c := range statuses {
		if t := c.LastTerminationState.Terminated; t != nil && (last == nil || t.FinishedAt.After(last.FinishedAt.Time)) {
			last, lastName = t, c.Name
		}
	}
	if last != nil {
		text := lastName + ": last terminated " + termination(last)
		if !last.FinishedAt.IsZero() {
			text += ", " + duration.HumanDuration(now.Sub(last.FinishedAt.Time)) + " ago"
		}
		return clip(text), false
	}
	return "", false
}

// termination is a terminated state's reason and exit code.
func termination(t *corev1.ContainerStateTerminated) string {
	return fmt.Sprintf("%s, exit code %d", orDefault(t.Reason, "Terminated"), t.ExitCode)
}

func withMessage(reason, message string) string {
	if message = strings.TrimSpace(message); message != "" {
		return reason + ": " + message
	}
	return reason
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// clip shortens s to maxProblem runes.
func clip(s string) string { return clipTo(s, maxProblem) }

// clipTo shortens s to n runes, its spaces folded.
func clipTo(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
