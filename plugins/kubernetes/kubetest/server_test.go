package kubetest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// get asks s for path with token, over TLS trusting s, and returns the
// status and body.
func get(t *testing.T, s *httptest.Server, token, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Discovery and single objects, which kubectl asks for (the plugin's own
// reads are tested in package kubernetes): the documents it needs before
// `kubectl logs` and `kubectl get pods`, a pod, a token refused.
func TestDiscoveryAndObjects(t *testing.T) {
	t.Parallel()
	c := Cluster{Pods: corev1.PodList{Items: []corev1.Pod{{ObjectMeta: metav1.ObjectMeta{Name: "web-1", Namespace: "prod"}}}}}
	s := NewServer(t, "tok", c)
	tests := []struct {
		path, token string
		wantCode    int
		want        string
	}{
		{"/api", "tok", http.StatusOK, `"versions":["v1"]`},
		{"/apis", "tok", http.StatusOK, `"name":"apps"`},
		{"/api/v1", "tok", http.StatusOK, `"name":"pods/log"`},
		{"/apis/apps/v1", "tok", http.StatusOK, `"name":"deployments"`},
		{"/apis/nope.example/v1", "tok", http.StatusNotFound, `"reason":"NotFound"`},
		{"/api/v1/namespaces/prod/pods/web-1", "tok", http.StatusOK, `"kind":"Pod"`},
		{"/api/v1/namespaces/prod/pods/web-2", "tok", http.StatusNotFound, `pods \"web-2\" not found`},
		{"/api", "other", http.StatusUnauthorized, "Unauthorized"},
	}
	for _, tt := range tests {
		code, body := get(t, s.Server, tt.token, tt.path)
		if code != tt.wantCode || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s: %d %s, want %d with %s", tt.path, code, body, tt.wantCode, tt.want)
		}
	}
}

// Logs as the kubelet serves them: sinceTime to the second (the lines of
// its second included), then tailLines, then timestamps; a line appended.
func TestLogs(t *testing.T) {
	t.Parallel()
	s := NewServer(t, "tok", Cluster{Logs: map[string]string{"prod/web-1/app": "a\nb\nc\nd\ne\n"}})
	if !s.AppendLog("prod/web-1/app", "f") || s.AppendLog("prod/web-2/app", "x") {
		t.Fatal("AppendLog: wrong logs")
	}
	tests := []struct {
		query, want string
	}{
		{"", "a\nb\nc\nd\ne\nf\n"},
		{"tailLines=2", "e\nf\n"},
		{"sinceTime=2026-05-04T11:59:01Z", "e\nf\n"},
		{"sinceTime=2026-05-04T11:59:01Z&tailLines=1&timestamps=true", "2026-05-04T11:59:01.25Z f\n"},
		{"timestamps=true&limitBytes=30", "2026-05-04T11:59:00Z a\n2026-05"},
		{"sinceTime=2026-05-04T12:00:00Z", ""},
	}
	for _, tt := range tests {
		code, body := get(t, s.Server, "tok", "/api/v1/namespaces/prod/pods/web-1/log?container=app&"+tt.query)
		if code != http.StatusOK || body != tt.want {
			t.Errorf("?%s: %d %q, want %q", tt.query, code, body, tt.want)
		}
	}
}

// Events listed at their resourceVersion and watched as the API server
// does: the changes after the one asked, then a bookmark at
// timeoutSeconds; a compacted resourceVersion 410 Gone, as an ERROR
// event or the answer's status; a watch cut; a watch RBAC refuses.
func TestWatchEvents(t *testing.T) {
	t.Parallel()
	pod := func(name, pod string) corev1.Event {
		return corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "prod"}, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: pod}, Reason: "Started"}
	}
	s := NewServer(t, "tok", Cluster{Events: corev1.EventList{Items: []corev1.Event{pod("e1", "web-1"), pod("e2", "web-2")}},
		ForbiddenWatches: map[string]string{"staging/events": "events is forbidden"}})
	const web1 = "fieldSelector=involvedObject.name%3Dweb-1"
	watch := "/api/v1/namespaces/prod/events?watch=1&timeoutSeconds=1&allowWatchBookmarks=true&" + web1 + "&resourceVersion="
	tests := []struct {
		name   string
		change func()
		path   string
		code   int
		want   []string
	}{
		{"a list at the newest resourceVersion", nil, "/api/v1/namespaces/prod/events?" + web1, http.StatusOK,
			[]string{`"resourceVersion":"2"`, `"name":"e1"`}},
		{"the changes after the one asked, then a bookmark", func() { s.AddEvent(pod("e1", "web-1")); s.AddEvent(pod("e3", "web-2")) }, watch + "1", http.StatusOK,
			[]string{`{"object":{"kind":"Event"`, `"resourceVersion":"3"},"involvedObject"`, `"type":"MODIFIED"}`, `{"object":{"apiVersion":"v1","kind":"Event","metadata":{"resourceVersion":"4"}},"type":"BOOKMARK"}`}},
		{"a compacted resourceVersion, as an ERROR event", func() { s.Compact(false) }, watch + "3", http.StatusOK,
			[]string{`"type":"ERROR"`, `"reason":"Expired"`, `"code":410`, "too old resource version: 3 (4)"}},
		{"as the answer's status", func() { s.Compact(true) }, watch + "3", http.StatusGone, []string{`"code":410`}},
		{"a watch cut", func() { s.AddEvent(pod("e4", "web-1")); s.AddEvent(pod("e5", "web-1")); s.CutWatch(1) }, watch + "4", http.StatusOK,
			[]string{`"name":"e4"`, `"type":"ADDED"}` + "\n" + `{"object":{"kind":"Event"`}},
		{"a watch RBAC refuses", nil, "/api/v1/namespaces/staging/events?watch=1&resourceVersion=1", http.StatusForbidden, []string{"events is forbidden"}},
	}
	for _, tt := range tests {
		if tt.change != nil {
			tt.change()
		}
		code, body := get(t, s.Server, "tok", tt.path)
		for _, want := range tt.want {
			if code != tt.code || !strings.Contains(body, want) {
				t.Errorf("%s: %d %s, want %d with %s", tt.name, code, body, tt.code, want)
			}
		}
		if strings.Contains(tt.name, "cut") && strings.HasSuffix(body, "\n") {
			t.Errorf("%s: %q, want e4 then half of e5", tt.name, body)
		}
	}
}
