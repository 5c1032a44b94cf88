package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/callboard/callboard/plugins/kubernetes/kubetest"
)

// The demo's service with a backstage.io/kubernetes-id annotation
// (demo/repo/components/booking-service), and where it runs.
const (
	service   = "booking-service"
	namespace = "marigold"
	// kubeContext is the kubeconfig's only context, its current one.
	kubeContext = "marigold-prod"
)

// The booking service's three pods: one crash-looping, one killed for
// its memory and running again, one healthy.
const (
	crashPod   = service + "-7c9d5f8b6-crash"
	oomPod     = service + "-7c9d5f8b6-oomkd"
	healthyPod = service + "-7c9d5f8b6-ready"
)

// cluster is the booking service in production as of now: a deployment
// with one of three pods ready, a container in CrashLoopBackOff (its
// previous run's log holds the panic), one OOMKilled near its limit
// again, their events, and a service, with the other kinds the plugin
// lists present and empty.
func cluster(now time.Time) kubetest.Cluster {
	labels := map[string]string{"app": service, "backstage.io/kubernetes-id": service}
	meta := func(name string, age time.Duration) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: labels, CreationTimestamp: metav1.NewTime(now.Add(-age))}
	}
	ago := func(d time.Duration) metav1.Time { return metav1.NewTime(now.Add(-d)) }
	app := corev1.Container{Name: "app", Image: "ghcr.io/marigold-ferries/booking-service:2.8.1",
		Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("512Mi"), corev1.ResourceCPU: resource.MustParse("500m")}}}
	pod := func(name string, ready bool, cs corev1.ContainerStatus) corev1.Pod {
		cs.Name, cs.Image, cs.Ready = "app", app.Image, ready
		return corev1.Pod{ObjectMeta: meta(name, 3*time.Hour), Spec: corev1.PodSpec{Containers: []corev1.Container{app}, NodeName: "ferry-node-2"},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.42.1.17", StartTime: ptr(ago(3 * time.Hour)), ContainerStatuses: []corev1.ContainerStatus{cs}}}
	}
	replicas := int32(3)
	return kubetest.Cluster{
		Deployments: appsv1.DeploymentList{TypeMeta: metav1.TypeMeta{Kind: "DeploymentList", APIVersion: "apps/v1"}, Items: []appsv1.Deployment{{
			ObjectMeta: meta(service, 30*24*time.Hour),
			Spec: appsv1.DeploymentSpec{Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": service}},
				Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{Containers: []corev1.Container{app}}}},
			Status: appsv1.DeploymentStatus{Replicas: 3, ReadyReplicas: 2, AvailableReplicas: 2, UpdatedReplicas: 3, UnavailableReplicas: 1},
		}}},
		Pods: corev1.PodList{TypeMeta: metav1.TypeMeta{Kind: "PodList", APIVersion: "v1"}, Items: []corev1.Pod{
			pod(crashPod, false, corev1.ContainerStatus{RestartCount: 14,
				State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 5m0s restarting failed container=app pod=" + crashPod + "_" + namespace}},
				LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 2, Reason: "Error", StartedAt: ago(6 * time.Minute), FinishedAt: ago(5 * time.Minute)}}}),
			pod(oomPod, true, corev1.ContainerStatus{RestartCount: 1,
				State:                corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: ago(40 * time.Minute)}},
				LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 137, Reason: "OOMKilled", StartedAt: ago(3 * time.Hour), FinishedAt: ago(41 * time.Minute)}}}),
			pod(healthyPod, true, corev1.ContainerStatus{State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: ago(3 * time.Hour)}}}),
		}},
		Events: corev1.EventList{Items: []corev1.Event{
			event("e1", crashPod, corev1.EventTypeNormal, "Pulled", `Container image "`+app.Image+`" already present on machine`, 14, ago(5*time.Minute)),
			event("e2", crashPod, corev1.EventTypeWarning, "BackOff", "Back-off restarting failed container app in pod "+crashPod+"_"+namespace, 61, ago(time.Minute)),
			event("e3", oomPod, corev1.EventTypeWarning, "OOMKilling", "Memory cgroup out of memory: Killed process 4121 (booking-service)", 1, ago(41*time.Minute)),
		}},
		Logs: map[string]string{
			namespace + "/" + crashPod + "/app":          "2026-12-07T05:01:02Z booking-service 2.8.1 starting\n2026-12-07T05:01:02Z connecting to postgres://bookings-db:5432\n",
			namespace + "/" + crashPod + "/app/previous": "2026-12-07T04:55:40Z booking-service 2.8.1 starting\n2026-12-07T04:55:41Z loading fare tables\npanic: seat map for sailing MF-204 is empty\n\ngoroutine 1 [running]:\nmain.loadSeatMaps()\n\t/src/seats.go:88 +0x1c4\n",
			namespace + "/" + oomPod + "/app":            "2026-12-07T04:40:12Z booking-service 2.8.1 starting\n2026-12-07T04:40:13Z ready on :8080\n",
			namespace + "/" + oomPod + "/app/previous":   "2026-12-07T02:00:00Z booking-service 2.8.1 starting\n2026-12-07T04:39:58Z caching 1,204,331 holds in memory\n",
			namespace + "/" + healthyPod + "/app":        "2026-12-07T02:00:00Z booking-service 2.8.1 starting\n2026-12-07T02:00:01Z ready on :8080\n",
		},
		Others: map[string][]string{
			"apps/v1/statefulsets":                    {},
			"apps/v1/daemonsets":                      {},
			"autoscaling/v2/horizontalpodautoscalers": {},
			"/v1/services":                            {`{"metadata":{"name":"booking-service","namespace":"marigold","labels":{"backstage.io/kubernetes-id":"booking-service"}},"spec":{"type":"ClusterIP","clusterIP":"10.96.8.21","ports":[{"port":80,"protocol":"TCP"}]}}`},
			"networking.k8s.io/v1/ingresses":          {},
			"batch/v1/cronjobs":                       {},
			"batch/v1/jobs":                           {},
			// metrics-server's PodMetrics: the OOMKilled pod near its limit again.
			"metrics.k8s.io/v1beta1/pods": {
				podMetrics(oomPod, now, "488Mi"),
				podMetrics(healthyPod, now, "212Mi"),
			},
		},
	}
}

func ptr[T any](v T) *T { return &v }

func event(name, pod, typ, reason, message string, count int32, last metav1.Time) corev1.Event {
	return corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: pod, Namespace: namespace},
		Type:           typ, Reason: reason, Message: message, Count: count, FirstTimestamp: last, LastTimestamp: last}
}

func podMetrics(pod string, now time.Time, memory string) string {
	return fmt.Sprintf(`{"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":%q,"namespace":%q,"labels":{"app":%q,"backstage.io/kubernetes-id":%q}},"timestamp":%q,"window":"15s","containers":[{"name":"app","usage":{"cpu":"120m","memory":%q}}]}`,
		pod, namespace, service, service, now.UTC().Format(time.RFC3339), memory)
}

// writeKubeconfig writes, owner-only, a kubeconfig whose one context is
// srv with its token and certificate authority.
func writeKubeconfig(path string, srv *kubetest.Server) error {
	cfg := clientcmdapi.Config{
		Clusters:       map[string]*clientcmdapi.Cluster{kubeContext: {Server: srv.URL, CertificateAuthorityData: kubetest.CA(srv.Server)}},
		AuthInfos:      map[string]*clientcmdapi.AuthInfo{kubeContext: {Token: srv.Token}},
		Contexts:       map[string]*clientcmdapi.Context{kubeContext: {Cluster: kubeContext, AuthInfo: kubeContext, Namespace: namespace}},
		CurrentContext: kubeContext,
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("kubeconfig folder: %w", err)
	}
	if err := clientcmd.WriteToFile(cfg, path); err != nil {
		return fmt.Errorf("write kubeconfig %s: %w", path, err)
	}
	return nil
}
