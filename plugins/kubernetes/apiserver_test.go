package kubernetes

import (
	"cmp"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// apiServer is a Kubernetes API server on loopback that knows the lists
// the plugin reads: deployments (apps/v1) and pods (core/v1), in all
// namespaces or one, filtered by the labelSelector query parameter, from
// the recorded lists in testdata. It records every request it gets.
type apiServer struct {
	*httptest.Server
	token       string
	deployments appsv1.DeploymentList
	pods        corev1.PodList
	// noMetrics makes it a cluster without metrics-server: the metrics
	// API is not found, as the API server answers for a group it lacks.
	noMetrics bool
	// cutLists cuts every list's answer halfway, then drops the
	// connection, as a proxy or API server that goes away mid-answer.
	cutLists bool

	mu       sync.Mutex
	requests []string
	// patches are the bodies of the PATCH requests, by path.
	patches map[string]string
}

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

var (
	deploymentsPath = regexp.MustCompile(`^/apis/apps/v1(?:/namespaces/([^/]+))?/deployments$`)
	podsPath        = regexp.MustCompile(`^/api/v1(?:/namespaces/([^/]+))?/pods$`)
	logPath         = regexp.MustCompile(`^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$`)
	eventsPath      = regexp.MustCompile(`^/api/v1/namespaces/([^/]+)/events$`)
	deploymentPath  = regexp.MustCompile(`^/apis/apps/v1/namespaces/([^/]+)/deployments/([^/]+)$`)
	otherPath       = regexp.MustCompile(`^/apis?/(?:([^/]+)/)?(v[^/]+)(?:/namespaces/([^/]+))?/([^/]+)$`)
)

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
	s := &apiServer{token: token, patches: map[string]string{}}
	readJSON(t, "testdata/deployments.json", &s.deployments)
	readJSON(t, "testdata/pods.json", &s.pods)
	s.Server = newTLSServer(t, http.HandlerFunc(s.serve))
	return s
}

// newTLSServer starts h over TLS on loopback, quiet about connections the
// client still dials when the test closes it.
func newTLSServer(t testing.TB, h http.Handler) *httptest.Server {
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
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

// got is the requests the server got for deployments and pods, sorted,
// as "METHOD path selector"; those of pod metrics are left out (see
// TestMemoryUsage).
func (s *apiServer) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.requests {
		if (strings.Contains(r, "/deployments") || strings.Contains(r, "/pods")) && !strings.Contains(r, "/metrics.k8s.io/") {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

func (s *apiServer) serve(w http.ResponseWriter, r *http.Request) {
	selector := r.URL.Query().Get("labelSelector")
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path+" "+selector)
	s.mu.Unlock()

	if r.Header.Get("Authorization") != "Bearer "+s.token {
		writeStatus(w, http.StatusUnauthorized, metav1.StatusReasonUnauthorized, "Unauthorized")
		return
	}
	if s.serveOne(w, r) {
		return
	}
	if s.noMetrics && strings.HasPrefix(r.URL.Path, "/apis/metrics.k8s.io/") {
		writeStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, "the server could not find the requested resource")
		return
	}
	if s.cutLists {
		w = &cutWriter{ResponseWriter: w}
		defer w.(*cutWriter).drop()
	}
	sel, err := labels.Parse(selector)
	if err != nil {
		writeStatus(w, http.StatusBadRequest, metav1.StatusReasonBadRequest, fmt.Sprintf("unable to parse requirement: %v", err))
		return
	}
	var list any
	if m := deploymentsPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodGet {
		out := s.deployments
		out.Items = nil
		for _, d := range s.deployments.Items {
			if (m[1] == "" || d.Namespace == m[1]) && sel.Matches(labels.Set(d.Labels)) {
				out.Items = append(out.Items, d)
			}
		}
		list = out
	} else if m := podsPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodGet {
		out := s.pods
		out.Items = nil
		for _, p := range s.pods.Items {
			if (m[1] == "" || p.Namespace == m[1]) && sel.Matches(labels.Set(p.Labels)) {
				out.Items = append(out.Items, p)
			}
		}
		list = out
	} else if m := otherPath.FindStringSubmatch(r.URL.Path); m != nil && m[3] == "staging" && m[4] == "ingresses" {
		// RBAC lets the user read staging's workloads but not its ingresses.
		writeStatus(w, http.StatusForbidden, metav1.StatusReasonForbidden,
			`ingresses.networking.k8s.io is forbidden: User "dev@acme.example" cannot list resource "ingresses" in API group "networking.k8s.io" in the namespace "staging"`)
		return
	} else if m := otherPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodGet && others[m[1]+"/"+m[2]+"/"+m[4]] != nil {
		items := []json.RawMessage{}
		for _, o := range others[m[1]+"/"+m[2]+"/"+m[4]] {
			var meta struct {
				Metadata metav1.ObjectMeta `json:"metadata"`
			}
			_ = json.Unmarshal([]byte(o), &meta)
			if (m[3] == "" || meta.Metadata.Namespace == m[3]) && sel.Matches(labels.Set(meta.Metadata.Labels)) {
				items = append(items, json.RawMessage(o))
			}
		}
		list = map[string]any{"kind": "List", "apiVersion": "v1", "metadata": map[string]any{}, "items": items}
	} else {
		writeStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, "the server could not find the requested resource")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(list)
}

// serveOne answers the requests about one object: a container's log (its
// last tailLines lines, at most limitBytes), an object's events (by the
// fieldSelector), and a strategic merge patch of a deployment.
func (s *apiServer) serveOne(w http.ResponseWriter, r *http.Request) bool {
	q := r.URL.Query()
	if m := logPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodGet {
		key := m[1] + "/" + m[2] + "/" + q.Get("container")
		if q.Get("previous") == "true" {
			key += "/previous"
		}
		text, ok := containerLog[key]
		if !ok {
			writeStatus(w, http.StatusBadRequest, metav1.StatusReasonBadRequest, fmt.Sprintf("previous terminated container %q in pod %q not found", q.Get("container"), m[2]))
			return true
		}
		lines := strings.SplitAfter(text, "\n")
		if n, err := strconv.Atoi(q.Get("tailLines")); err == nil && n < len(lines) {
			lines = lines[len(lines)-n-1:]
		}
		out := strings.Join(lines, "")
		if n, err := strconv.Atoi(q.Get("limitBytes")); err == nil && n < len(out) {
			out = out[:n]
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, out)
		return true
	}
	if m := eventsPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodGet {
		sel, err := fields.ParseSelector(q.Get("fieldSelector"))
		if err != nil {
			writeStatus(w, http.StatusBadRequest, metav1.StatusReasonBadRequest, err.Error())
			return true
		}
		out := corev1.EventList{TypeMeta: metav1.TypeMeta{Kind: "EventList", APIVersion: "v1"}}
		for _, e := range events.Items {
			if e.Namespace == m[1] && sel.Matches(fields.Set{"involvedObject.kind": e.InvolvedObject.Kind, "involvedObject.name": e.InvolvedObject.Name}) {
				out.Items = append(out.Items, e)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
		return true
	}
	if m := deploymentPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodPatch {
		if ct := r.Header.Get("Content-Type"); ct != "application/strategic-merge-patch+json" {
			writeStatus(w, http.StatusUnsupportedMediaType, metav1.StatusReasonUnsupportedMediaType, "the body of the request was in an unknown format: "+ct)
			return true
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		for _, d := range s.deployments.Items {
			if d.Namespace == m[1] && d.Name == m[2] {
				s.mu.Lock()
				s.patches[r.URL.Path] = string(body)
				s.mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(d)
				return true
			}
		}
		writeStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, fmt.Sprintf("deployments.apps %q not found", m[2]))
		return true
	}
	return false
}

// cutWriter sends half of what is written, after a Content-Length for
// all of it; drop then closes the connection, so the client reads an
// answer cut short.
type cutWriter struct {
	http.ResponseWriter
	code int
	body []byte
}

func (c *cutWriter) WriteHeader(code int) { c.code = code }

func (c *cutWriter) Write(b []byte) (int, error) {
	c.body = append(c.body, b...)
	return len(b), nil
}

func (c *cutWriter) drop() {
	c.Header().Set("Content-Length", strconv.Itoa(len(c.body)))
	c.ResponseWriter.WriteHeader(cmp.Or(c.code, http.StatusOK))
	_, _ = c.ResponseWriter.Write(c.body[:len(c.body)/2])
	c.ResponseWriter.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

// writeStatus answers with a Status object, as the API server does.
func writeStatus(w http.ResponseWriter, code int, reason metav1.StatusReason, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure, Message: message, Reason: reason, Code: int32(code),
	})
}

// newForbiddenServer is an API server whose RBAC lets the user list
// nothing: every list is 403 Forbidden.
func newForbiddenServer(t testing.TB) *httptest.Server {
	t.Helper()
	return newTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resource, group, verb := "pods", "", "list"
		switch {
		case deploymentsPath.MatchString(r.URL.Path):
			resource, group = "deployments", "apps"
		case logPath.MatchString(r.URL.Path):
			resource, verb = "pods/log", "get"
		}
		writeStatus(w, http.StatusForbidden, metav1.StatusReasonForbidden,
			fmt.Sprintf("%s is forbidden: User \"system:serviceaccount:ci:viewer\" cannot %s resource %q in API group %q at the cluster scope", resource, verb, resource, group))
	}))
}

// newSlowServer is an API server that never answers.
func newSlowServer(t testing.TB) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	s := newTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
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
	ca := func(s *httptest.Server) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
	}
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

// patchOf is the body of the last PATCH of path.
func (s *apiServer) patchOf(path string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.patches[path]
}
