package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/callboard/callboard/internal/fakehost"
	"github.com/callboard/callboard/plugins/kubernetes/kubetest"
)

// The kubeconfig written reaches the cluster with client-go, as the
// kubernetes plugin does: the booking service's pods by its label.
func TestKubeconfigReachesTheCluster(t *testing.T) {
	t.Parallel()
	srv := kubetest.NewServer(t, "kube-token", cluster(time.Now()))
	path := filepath.Join(t.TempDir(), "kube", "config")
	if err := writeKubeconfig(path, srv); err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		t.Fatal(err)
	}
	client, err := rest.HTTPClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, cfg.Host+"/api/v1/pods?labelSelector="+url.QueryEscape("backstage.io/kubernetes-id="+service), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var pods corev1.PodList
	if err := json.NewDecoder(resp.Body).Decode(&pods); err != nil {
		t.Fatalf("%s: %v", resp.Status, err)
	}
	var names []string
	for _, p := range pods.Items {
		names = append(names, p.Name)
	}
	if got, want := strings.Join(names, ","), crashPod+","+oomPod+","+healthyPod; got != want {
		t.Errorf("pods %s, want %s", got, want)
	}
}

// The GitHub Actions fixtures answer the token only, redirect a log to
// the storage and record a re-run, as the e2e relies on.
func TestActions(t *testing.T) {
	t.Parallel()
	h := fakehost.New("fakecluster")
	t.Cleanup(h.Close)
	const token = "ghp_test"
	gh, api := newActions(h, "", token, time.Now())
	repo := api.URL + "/repos/" + owner + "/" + service + "/actions"
	tests := []struct {
		name, method, url, token string
		wantCode                 int
		wantBody                 string
	}{
		{"no token", http.MethodGet, repo + "/runs?per_page=20", "", http.StatusUnauthorized, "Bad credentials"},
		{"runs", http.MethodGet, repo + "/runs?per_page=20", token, http.StatusOK, `"run_number":42`},
		{"another repository has none", http.MethodGet, api.URL + "/repos/" + owner + "/tide-tables/actions/runs", token, http.StatusOK, `"total_count":0`},
		{"another owner", http.MethodGet, api.URL + "/repos/acme/payments/actions/runs", token, http.StatusNotFound, "Not Found"},
		{"jobs", http.MethodGet, repo + "/runs/7700042/jobs?per_page=100", token, http.StatusOK, `"name":"Run go test ./..."`},
		{"job", http.MethodGet, repo + "/jobs/81002", token, http.StatusOK, `"conclusion":"failure"`},
		{"log", http.MethodGet, repo + "/jobs/81002/logs", token, http.StatusOK, "##[group]Run go test ./..."},
		{"re-run", http.MethodPost, repo + "/runs/7700042/rerun-failed-jobs", token, http.StatusCreated, "{}"},
	}
	// The client follows the log's redirect without the token, as the ci
	// plugin does to another origin (Go's would keep it: same host name).
	client := &http.Client{CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		r.Header.Del("Authorization")
		return nil
	}}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, tt.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tt.token != "" {
			req.Header.Set("Authorization", "Bearer "+tt.token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.wantCode || !strings.Contains(string(body), tt.wantBody) {
			t.Errorf("%s: %d %s, want %d with %q", tt.name, resp.StatusCode, body, tt.wantCode, tt.wantBody)
		}
	}
	var got requests
	control := serveControl(h, kubetest.NewServer(h, "kube-token", cluster(time.Now())), gh)
	for key, want := range map[string]int{namespace + "/" + healthyPod + "/app": http.StatusNoContent, "nowhere/x/app": http.StatusNotFound} {
		resp, err := http.PostForm(control+"/append-log", url.Values{"key": {key}, "line": {"hello"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("append-log %s: %d, want %d", key, resp.StatusCode, want)
		}
	}
	for _, tt := range []struct {
		form     url.Values
		wantCode int
		wantBody string
	}{
		{url.Values{"pod": {crashPod}, "type": {"Warning"}, "reason": {"BackOff"}, "message": {"Back-off restarting failed container app"}}, http.StatusCreated, `{"resourceVersion":"4"}`},
		{url.Values{"pod": {"elsewhere"}, "type": {"Warning"}, "reason": {"BackOff"}}, http.StatusBadRequest, "want pod"},
		{url.Values{"pod": {crashPod}, "type": {"Fatal"}, "reason": {"BackOff"}}, http.StatusBadRequest, "type (Normal or Warning)"},
	} {
		resp, err := http.PostForm(control+"/add-event", tt.form)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.wantCode || !strings.Contains(string(body), tt.wantBody) {
			t.Errorf("add-event %v: %d %s, want %d with %s", tt.form, resp.StatusCode, body, tt.wantCode, tt.wantBody)
		}
	}
	resp, err := http.Get(control + "/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Reruns) != 1 || len(got.StorageAuth) != 1 || got.StorageAuth[0] != "" || len(got.Restarts) != 0 {
		t.Errorf("control: %+v", got)
	}
}
