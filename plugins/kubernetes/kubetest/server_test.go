package kubetest

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Discovery and single objects, which kubectl asks for (the plugin's own
// reads are tested in package kubernetes): the documents it needs before
// `kubectl logs` and `kubectl get pods`, a pod, a token refused.
func TestDiscoveryAndObjects(t *testing.T) {
	t.Parallel()
	c := Cluster{Pods: corev1.PodList{Items: []corev1.Pod{{ObjectMeta: metav1.ObjectMeta{Name: "web-1", Namespace: "prod"}}}}}
	s := NewServer(t, "tok", c)
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
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
		req, err := http.NewRequest(http.MethodGet, s.URL+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tt.token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.wantCode || !strings.Contains(string(body), tt.want) {
			t.Errorf("GET %s: %d %s, want %d with %s", tt.path, resp.StatusCode, body, tt.wantCode, tt.want)
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
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
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
		req, err := http.NewRequest(http.MethodGet, s.URL+"/api/v1/namespaces/prod/pods/web-1/log?container=app&"+tt.query, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != tt.want {
			t.Errorf("?%s: %d %q, want %q", tt.query, resp.StatusCode, body, tt.want)
		}
	}
}
