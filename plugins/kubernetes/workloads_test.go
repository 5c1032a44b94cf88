package kubernetes

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/callboard/callboard/plugins/pluginv1"
)

func TestDescribePod(t *testing.T) {
	t.Parallel()
	ago := func(d time.Duration) metav1.Time { return metav1.NewTime(testNow.Add(-d)) }
	one := []corev1.Container{{Name: "app"}}
	tests := []struct {
		name string
		pod  corev1.Pod
		want podState
	}{
		{
			name: "running and ready",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{CreationTimestamp: ago(3 * time.Hour)},
				Spec:       corev1.PodSpec{Containers: one},
				Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{
					{Name: "app", Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}},
				}},
			},
			want: podState{phase: "Running", status: pluginv1.Status_STATUS_OK, ready: 1, total: 1, restarts: "0", age: "3h"},
		},
		{
			name: "running, a container not ready",
			pod: corev1.Pod{
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}, {Name: "proxy"}}},
				Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{
					{Name: "app", Ready: true}, {Name: "proxy"},
				}},
			},
			want: podState{phase: "Running", status: pluginv1.Status_STATUS_WARNING, ready: 1, total: 2, restarts: "0"},
		},
		{
			name: "init container failing",
			pod: corev1.Pod{
				Spec: corev1.PodSpec{Containers: one},
				Status: corev1.PodStatus{Phase: corev1.PodPending,
					InitContainerStatuses: []corev1.ContainerStatus{{Name: "migrate", State: corev1.ContainerState{
						Terminated: &corev1.ContainerStateTerminated{Reason: "Error", ExitCode: 2, Message: "relation \"users\" does not exist"}}}},
					ContainerStatuses: []corev1.ContainerStatus{{Name: "app", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "PodInitializing"}}}},
				},
			},
			want: podState{phase: "Pending", status: pluginv1.Status_STATUS_ERROR, total: 1, restarts: "0",
				problem: `migrate: Error, exit code 2: relation "users" does not exist`, failing: true},
		},
		{
			name: "starting",
			pod: corev1.Pod{
				Spec: corev1.PodSpec{Containers: one},
				Status: corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{
					{Name: "app", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}},
				}},
			},
			want: podState{phase: "Pending", status: pluginv1.Status_STATUS_PENDING, total: 1, restarts: "0"},
		},
		{
			name: "evicted",
			pod: corev1.Pod{
				Spec:   corev1.PodSpec{Containers: one},
				Status: corev1.PodStatus{Phase: corev1.PodFailed, Reason: "Evicted", Message: "The node was low on resource: memory."},
			},
			want: podState{phase: "Failed", status: pluginv1.Status_STATUS_ERROR, total: 1, restarts: "0",
				problem: "Evicted: The node was low on resource: memory.", failing: true},
		},
		{
			name: "unschedulable",
			pod: corev1.Pod{
				Spec: corev1.PodSpec{Containers: one},
				Status: corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{
					Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable",
					Message: "0/3 nodes are available: 3 Insufficient cpu.",
				}}},
			},
			want: podState{phase: "Pending", status: pluginv1.Status_STATUS_ERROR, total: 1, restarts: "0",
				problem: "Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.", failing: true},
		},
		{
			name: "terminating",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{DeletionTimestamp: &metav1.Time{Time: testNow}},
				Spec:       corev1.PodSpec{Containers: one},
				Status:     corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: true}}},
			},
			want: podState{phase: "Terminating", status: pluginv1.Status_STATUS_PENDING, ready: 1, total: 1, restarts: "0"},
		},
		{
			name: "job done",
			pod: corev1.Pod{
				Spec: corev1.PodSpec{Containers: one},
				Status: corev1.PodStatus{Phase: corev1.PodSucceeded, ContainerStatuses: []corev1.ContainerStatus{
					{Name: "app", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed"}}},
				}},
			},
			want: podState{phase: "Succeeded", status: pluginv1.Status_STATUS_OK, total: 1, restarts: "0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := describePod(&tt.pod, testNow)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(podState{})); diff != "" {
				t.Errorf("describePod (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDescribeDeployment(t *testing.T) {
	t.Parallel()
	replicas := func(n int32) *int32 { return &n }
	tests := []struct {
		spec       *int32
		ready      int32
		wantText   string
		wantStatus pluginv1.Status
	}{
		{replicas(3), 3, "Ready", pluginv1.Status_STATUS_OK},
		{replicas(3), 2, "Partly ready", pluginv1.Status_STATUS_WARNING},
		{replicas(3), 0, "Not ready", pluginv1.Status_STATUS_ERROR},
		{nil, 1, "Ready", pluginv1.Status_STATUS_OK}, // replicas defaults to 1
		{replicas(0), 0, "Scaled to zero", pluginv1.Status_STATUS_NONE},
	}
	for _, tt := range tests {
		d := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: tt.spec}, Status: appsv1.DeploymentStatus{ReadyReplicas: tt.ready}}
		if got := describeDeployment(d); got.text != tt.wantText || got.status != tt.wantStatus {
			t.Errorf("replicas %v, ready %d: got %q %v, want %q %v", tt.spec, tt.ready, got.text, got.status, tt.wantText, tt.wantStatus)
		}
	}
}

func TestQueryFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		annotations map[string]string
		want        query
		wantErr     bool
	}{
		{"id", map[string]string{annotationID: "web"}, query{selector: "backstage.io/kubernetes-id=web"}, false},
		{"selector wins", map[string]string{annotationID: "web", annotationLabelSelector: "app=api"}, query{selector: "app=api"}, false},
		{"namespace", map[string]string{annotationID: "web", annotationNamespace: "prod"}, query{selector: "backstage.io/kubernetes-id=web", namespace: "prod"}, false},
		{"id not a label value", map[string]string{annotationID: "web service"}, query{}, true},
		{"bad selector", map[string]string{annotationLabelSelector: "app in (web"}, query{}, true},
		{"neither", map[string]string{annotationNamespace: "prod"}, query{}, true},
	}
	for _, tt := range tests {
		got, err := queryFor(tt.annotations)
		if (err != nil) != tt.wantErr || got.selector != tt.want.selector || got.namespace != tt.want.namespace {
			t.Errorf("%s: got %+v, %v; want %+v, error %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}
