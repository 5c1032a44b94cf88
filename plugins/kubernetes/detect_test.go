package kubernetes

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestDetectErrors(t *testing.T) {
	t.Parallel()
	meta := metav1.ObjectMeta{Namespace: "prod", Name: "web-1"}
	limited := corev1.Container{Name: "app", Image: "ghcr.io/acme/web:1.14", Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")}},
		ReadinessProbe: &corev1.Probe{InitialDelaySeconds: 5, PeriodSeconds: 10, FailureThreshold: 3}}
	pod := func(status corev1.PodStatus) corev1.Pod {
		return corev1.Pod{ObjectMeta: meta, Spec: corev1.PodSpec{Containers: []corev1.Container{limited}}, Status: status}
	}
	oom := &corev1.ContainerStateTerminated{Reason: "OOMKilled", ExitCode: 137}
	tests := []struct {
		name        string
		pod         *corev1.Pod
		deployment  *appsv1.Deployment
		usage       memoryUsage
		want        []string
		wantLogs    string
		wantNothing bool
	}{
		{
			name: "crash loop with its exit code",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", RestartCount: 12,
				State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 5m0s restarting failed container"}},
				LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Error", ExitCode: 2, Message: "config.yaml: no such file"}}}}})),
			want:     []string{"pod prod/web-1, container app", "CrashLoopBackOff: the container app has crashed 12 times; it is restarted with a growing back-off until it stops crashing. Last exit code 2 (Error): config.yaml: no such file", "Check the crash logs (the previous container's) for stack traces."},
			wantLogs: "previous=true",
		},
		{
			name: "OOMKilled with its limit",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", RestartCount: 1, Ready: true,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}, LastTerminationState: corev1.ContainerState{Terminated: oom}}}})),
			want:     []string{"pod prod/web-1, container app", `OOMKilled: the container "app" has crashed because it tried to use more memory than it has been allocated (limit 256Mi; usage unknown (metrics API not available); restarted once)`, oomFix},
			wantLogs: "previous=true",
		},
		{
			name: "OOMKilled with its limit and last usage",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", RestartCount: 3,
				State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}, LastTerminationState: corev1.ContainerState{Terminated: oom}}}})),
			usage:    memoryUsage{byContainer: map[string]resource.Quantity{"prod/web-1/app": resource.MustParse("247808Ki")}},
			want:     []string{"pod prod/web-1, container app", `OOMKilled: the container "app" has crashed because it tried to use more memory than it has been allocated (limit 256Mi; last usage 242Mi; restarted 3 times)`, oomFix},
			wantLogs: "previous=true",
		},
		{
			name: "OOMKilled, metrics refused",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", RestartCount: 1, Ready: true,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}, LastTerminationState: corev1.ContainerState{Terminated: oom}}}})),
			usage:    memoryUsage{unknown: "metrics API: not allowed"},
			want:     []string{"pod prod/web-1, container app", `OOMKilled: the container "app" has crashed because it tried to use more memory than it has been allocated (limit 256Mi; usage unknown (metrics API: not allowed); restarted once)`, oomFix},
			wantLogs: "previous=true",
		},
		{
			name: "image pull failure with the registry's message",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Image: "ghcr.io/acme/web:1.14",
				State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImagePull", Message: "pull access denied, repository does not exist or may require authorization"}}}}})),
			want: []string{"pod prod/web-1, container app", "ErrImagePull: the image ghcr.io/acme/web:1.14 either could not be found or Kubernetes does not have permission to pull it. The registry said: pull access denied, repository does not exist or may require authorization", "Ensure the image name and tag are correct, and that Kubernetes has permission to pull it (the pod's imagePullSecrets)."},
		},
		{
			name: "missing configuration",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{{Name: "app",
				State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CreateContainerConfigError", Message: `configmap "web-config" not found`}}}}})),
			want: []string{"pod prod/web-1, container app", `CreateContainerConfigError: there is missing or mismatching configuration required to start the container: configmap "web-config" not found`, "Ensure the ConfigMaps and Secrets the pod references exist and have the keys it uses."},
		},
		{
			name: "readiness probe failing past its thresholds",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app",
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(testNow.Add(-36 * time.Second))}}}}})),
			want:     []string{"pod prod/web-1, container app", "ReadinessProbeFailed: the container app failed to start properly, but is not crashing: its readiness probe keeps failing", "Ensure the container starts correctly locally; check its logs and events for errors during startup, and that the probe asks the right port and path."},
			wantLogs: "previous=false",
		},
		{
			name: "readiness probe still within its thresholds",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app",
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(testNow.Add(-34 * time.Second))}}}}})),
			wantNothing: true,
		},
		{
			name: "pending, unschedulable",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
				Message: "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."}}})),
			want: []string{"pod prod/web-1", "Pending: the pod cannot be scheduled: 0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", "Add nodes or free capacity, lower the pod's resource requests, or fix its node selector, affinity or tolerations so that a node fits it."},
		},
		{
			name: "rollout stuck",
			deployment: &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: "prod", Name: "web"}, Status: appsv1.DeploymentStatus{Replicas: 4, UnavailableReplicas: 1, Conditions: []appsv1.DeploymentCondition{
				{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue, Reason: "MinimumReplicasAvailable", Message: "Deployment has minimum availability."},
				{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded", Message: `ReplicaSet "web-5d9c7b" has timed out progressing.`},
			}}},
			want: []string{"deployment prod/web", `Rollout stuck: ReplicaSet "web-5d9c7b" has timed out progressing.`, "Look at the new pods' errors and the deployment's events; roll back (kubectl rollout undo) if the new version is bad, or raise progressDeadlineSeconds if it is only slow."},
		},
		{
			name: "healthy",
			pod: ptr(pod(corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: true,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(testNow.Add(-time.Hour))}}}}})),
			wantNothing: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := &clusterResult{context: "kind-prod", usage: tt.usage}
			if tt.pod != nil {
				res.pods = []corev1.Pod{*tt.pod}
			}
			if tt.deployment != nil {
				res.deployments = []appsv1.Deployment{*tt.deployment}
			}
			got := detectErrors(res, testNow)
			if tt.wantNothing {
				if len(got) != 0 {
					t.Errorf("detected %+v, want nothing", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("detected %+v, want one", got)
			}
			if diff := cmp.Diff(tt.want, []string{got[0].where(), got[0].message, got[0].fix}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			logs := ""
			if got[0].logs != nil {
				logs = "previous=" + got[0].logs.GetParameters()["previous"]
			}
			if logs != tt.wantLogs || (logs != "" && !strings.HasPrefix(got[0].logs.GetLabel(), "Logs")) {
				t.Errorf("logs %q, want %q", logs, tt.wantLogs)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

const oomFix = "Increase the amount of memory assigned to the container, or make sure the application is memory bounded and does not try to use more."

func TestBytesIn(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"247808Ki": "242Mi", "1536Mi": "1.5Gi", "512Ki": "512Ki", "100": "100B", "256Mi": "256Mi"} {
		if got := bytesIn(resource.MustParse(in)); got != want {
			t.Errorf("bytesIn(%s) = %s, want %s", in, got, want)
		}
	}
}
