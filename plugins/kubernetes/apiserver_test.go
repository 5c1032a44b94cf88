package kubernetes

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/callboard/callboard/plugins/kubernetes/kubetest"
)

// apiServer is the test cluster's API server (kubetest.Server): the
// deployments and pods of testdata, the other kinds, logs and events
// below, and RBAC refusing staging's ingresses.
type apiServer = kubetest.Server

// containerLog is the log of a container: its current run, and the one
// before (previous) when it restarted.
var containerLog = map[string]string{
	"prod/web-worker-5f6d7c8b9-qw9zc/app":          "starting worker\nconnected to queue\n",
	"prod/web-worker-5f6d7c8b9-qw9zc/app/previous": "starting worker\npanic: runtime error: invalid memory address or nil pointer dereference\ngoroutine 1 [running]:\nmain.main()\n",
	"prod/web-7d4b9c8f6-2xkqp/app":                 bigLog(),
}

// bigLog is a log of 1,000 lines of 600 bytes: more than the plugin reads.
func bigLog() string {
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "%04d %s\n", i, strings.Repeat("x", 594))
	}
	return b.String()
}

// events are the events of the test cluster: a pod's, normal and warnings.
var events = corev1.EventList{Items: []corev1.Event{
	{ObjectMeta: metav1.ObjectMeta{Name: "e1", Namespace: "prod"}, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web-worker-5f6d7c8b9-qw9zc", Namespace: "prod"},
		Type: corev1.EventTypeNormal, Reason: "Pulled", Message: `Container image "ghcr.io/acme/web-worker:1.14.2" already present on machine`, Count: 8,
		LastTimestamp: metav1.NewTime(testNow.Add(-5 * time.Minute))},
	{ObjectMeta: metav1.ObjectMeta{Name: "e2", Namespace: "prod"}, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web-worker-5f6d7c8b9-qw9zc", Namespace: "prod"},
		Type: corev1.EventTypeWarning, Reason: "BackOff", Message: "Back-off restarting failed container app in pod web-worker-5f6d7c8b9-qw9zc_prod", Count: 31,
		LastTimestamp: metav1.NewTime(testNow.Add(-20 * time.Minute))},
	{ObjectMeta: metav1.ObjectMeta{Name: "e3", Namespace: "prod"}, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web-worker-5f6d7c8b9-qw9zc", Namespace: "prod"},
		Type: corev1.EventTypeWarning, Reason: "Unhealthy", Message: "Liveness probe failed: Get \"http://10.1.2.3:8080/healthz\": dial tcp 10.1.2.3:8080: connect: connection refused", Count: 3,
		LastTimestamp: metav1.NewTime(testNow.Add(-2 * time.Minute))},
	{ObjectMeta: metav1.ObjectMeta{Name: "e4", Namespace: "prod"}, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web-7d4b9c8f6-2xkqp", Namespace: "prod"},
		Type: corev1.EventTypeNormal, Reason: "Started", Message: "Started container app", Count: 1},
}}

// others are the objects of the other kinds the test cluster has, by
// group/version/resource, as the API server sends them: a stateful set
// partly ready, an autoscaler at its maximum, a service, an ingress, a
// cron job and its failed job, and a custom resource (Argo rollouts).
// A kind not here is not served (404); one with no objects lists none.
var others = map[string][]string{
	"apps/v1/statefulsets":                    {`{"metadata":{"name":"web-cache","namespace":"prod","labels":{"backstage.io/kubernetes-id":"web"}},"spec":{"replicas":3},"status":{"readyReplicas":2}}`},
	"apps/v1/daemonsets":                      {},
	"autoscaling/v2/horizontalpodautoscalers": {`{"metadata":{"name":"web","namespace":"prod","labels":{"backstage.io/kubernetes-id":"web"}},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":3,"maxReplicas":10},"status":{"currentReplicas":10,"desiredReplicas":10}}`},
	"/v1/services":                            {`{"metadata":{"name":"web","namespace":"prod","labels":{"backstage.io/kubernetes-id":"web"}},"spec":{"type":"ClusterIP","clusterIP":"10.96.4.17","ports":[{"port":80,"protocol":"TCP"},{"port":443,"protocol":"TCP"}]}}`},
	"networking.k8s.io/v1/ingresses":          {`{"metadata":{"name":"web","namespace":"prod","labels":{"backstage.io/kubernetes-id":"web"}},"spec":{"rules":[{"host":"web.acme.example"}]},"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}}`},
	"batch/v1/cronjobs":                       {`{"metadata":{"name":"web-report","namespace":"prod","labels":{"backstage.io/kubernetes-id":"web"}},"spec":{"schedule":"0 6 * * *"},"status":{"lastScheduleTime":"2026-05-04T06:00:00Z"}}`},
	"batch/v1/jobs": {`{"metadata":{"name":"web-report-29630520","namespace":"prod","creationTimestamp":"2026-05-04T06:00:00Z","labels":{"backstage.io/kubernetes-id":"web"}},"spec":{"completions":1},` +
		`"status":{"failed":4,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}}`},
	"argoproj.io/v1alpha1/rollouts": {`{"metadata":{"name":"web-canary","namespace":"prod","labels":{"backstage.io/kubernetes-id":"web"}},"status":{"conditions":[{"type":"Ready","status":"False","message":"Rollout is paused at step 2/4"}]}}`},
	// metrics-server's PodMetrics: the OOMKilled pod near its limit again.
	"metrics.k8s.io/v1beta1/pods": {
		`{"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"web-7d4b9c8f6-8mzvt","namespace":"prod","labels":{"app":"web","backstage.io/kubernetes-id":"web"}},"timestamp":"2026-05-04T11:59:42Z","window":"15.018s","containers":[{"name":"app","usage":{"cpu":"212m","memory":"497664Ki"}}]}`,
		`{"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"web-7d4b9c8f6-2xkqp","namespace":"prod","labels":{"app":"web","backstage.io/kubernetes-id":"web"}},"timestamp":"2026-05-04T11:59:40Z","window":"15.002s","containers":[{"name":"app","usage":{"cpu":"35m","memory":"190112Ki"}}]}`,
	},
}

// newAPIServer starts an API server over TLS that wants the bearer token.
func newAPIServer(t testing.TB, token string) *apiServer {
	t.Helper()
	c := kubetest.Cluster{Events: events, Logs: containerLog, Others: others, Forbidden: map[string]string{
		"staging/ingresses": `ingresses.networking.k8s.io is forbidden: User "dev@acme.example" cannot list resource "ingresses" in API group "networking.k8s.io" in the namespace "staging"`,
	}}
	readJSON(t, "testdata/deployments.json", &c.Deployments)
	readJSON(t, "testdata/pods.json", &c.Pods)
	return kubetest.NewServer(t, token, c)
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// requestsFor are the requests s got for deployments and pods, sorted, as
// "METHOD path selector"; those of pod metrics are left out (see
// TestMemoryUsage).
func requestsFor(s *apiServer) []string {
	var out []string
	for _, r := range s.Requests() {
		if (strings.Contains(r, "/deployments") || strings.Contains(r, "/pods")) && !strings.Contains(r, "/metrics.k8s.io/") {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

// newForbiddenServer is an API server whose RBAC lets the user list
// nothing: every list is 403 Forbidden.
func newForbiddenServer(t testing.TB) *httptest.Server {
	t.Helper()
	return kubetest.NewTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resource, group, verb := "pods", "", "list"
		switch {
		case strings.HasSuffix(r.URL.Path, "/deployments"):
			resource, group = "deployments", "apps"
		case strings.HasSuffix(r.URL.Path, "/log"):
			resource, verb = "pods/log", "get"
		}
		kubetest.WriteStatus(w, http.StatusForbidden, metav1.StatusReasonForbidden,
			fmt.Sprintf("%s is forbidden: User \"system:serviceaccount:ci:viewer\" cannot %s resource %q in API group %q at the cluster scope", resource, verb, resource, group))
	}))
}

// newSlowServer is an API server that never answers.
func newSlowServer(t testing.TB) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	// It waits for the test's end, not for the request's: a handler that
	// returned once its request was cancelled answered an empty 200, which
	// under load the client read as the cluster's answer ("0-length
	// response") in 5 of 300 runs, not as its own timeout.
	s := kubetest.NewTLSServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-done }))
	t.Cleanup(func() { close(done) })
	return s
}

// testToken is the bearer token the good server accepts.
const testToken = "kind-prod-token-5b1d"

// clusters are the API servers a test kubeconfig points at.
type clusters struct {
	prod      *apiServer
	forbidden *httptest.Server
	slow      *httptest.Server
}

func newClusters(t testing.TB) clusters {
	return clusters{prod: newAPIServer(t, testToken), forbidden: newForbiddenServer(t), slow: newSlowServer(t)}
}

// deadServer is a loopback port nothing listens on.
const deadServer = "https://127.0.0.1:1"

// writeKubeconfig writes a kubeconfig with the contexts kind-prod (the good
// server, current), expired (the good server with a token it refuses),
// offline (a dead port), locked (403 to all) and slow (never answers).
func writeKubeconfig(t testing.TB, path string, c clusters) {
	t.Helper()
	ca := kubetest.CA
	cfg := clientcmdapi.Config{
		Clusters: map[string]*clientcmdapi.Cluster{
			"kind-prod": {Server: c.prod.URL, CertificateAuthorityData: ca(c.prod.Server)},
			"offline":   {Server: deadServer},
			"locked":    {Server: c.forbidden.URL, CertificateAuthorityData: ca(c.forbidden)},
			"slow":      {Server: c.slow.URL, CertificateAuthorityData: ca(c.slow)},
		},
		AuthInfos: map[string]*clientcmdapi.AuthInfo{
			"kind-prod": {Token: testToken},
			"expired":   {Token: "revoked-token"},
			"viewer":    {Token: "viewer-token"},
		},
		Contexts: map[string]*clientcmdapi.Context{
			"kind-prod": {Cluster: "kind-prod", AuthInfo: "kind-prod"},
			"expired":   {Cluster: "kind-prod", AuthInfo: "expired"},
			"offline":   {Cluster: "offline", AuthInfo: "kind-prod"},
			"locked":    {Cluster: "locked", AuthInfo: "viewer"},
			"slow":      {Cluster: "slow", AuthInfo: "kind-prod"},
		},
		CurrentContext: "kind-prod",
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := clientcmd.WriteToFile(cfg, path); err != nil {
		t.Fatal(err)
	}
}
