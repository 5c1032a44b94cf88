package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/callboard/callboard/internal/fakehost"
	"github.com/callboard/callboard/plugins/kubernetes/kubetest"
)

// requests is what the fixtures were asked that changes something, for
// the e2e to check the app's buttons reached them.
type requests struct {
	// Restarts are the deployments' PATCH requests, "path body".
	Restarts []string `json:"restarts"`
	// Reruns are the paths of the re-runs asked.
	Reruns []string `json:"reruns"`
	// StorageAuth are the Authorization headers the log storage got:
	// the token goes to the API's host only, so all are "".
	StorageAuth []string `json:"storageAuth"`
}

// serveControl serves GET /requests, POST /append-log and POST /add-event
// on a loopback port of its own, apart
// from the fixtures so that the app can never reach it by accident; it
// returns the base URL.
func serveControl(h *fakehost.Host, kube *kubetest.Server, gh *actions) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.Fatalf("control listener: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /requests", func(w http.ResponseWriter, r *http.Request) {
		out := requests{Restarts: []string{}}
		for _, req := range kube.Requests() {
			if path, ok := strings.CutPrefix(req, http.MethodPatch+" "); ok {
				path = strings.TrimSpace(path)
				out.Restarts = append(out.Restarts, path+" "+kube.Patch(path))
			}
		}
		gh.mu.Lock()
		out.Reruns, out.StorageAuth = slices.Clone(gh.reruns), slices.Clone(gh.storageAuth)
		gh.mu.Unlock()
		if out.Reruns == nil {
			out.Reruns = []string{}
		}
		if out.StorageAuth == nil {
			out.StorageAuth = []string{}
		}
		reply(w, http.StatusOK, out)
	})
	// A line written to a container's log, for the e2e to see a followed
	// log grow: form values key ("namespace/pod/container") and line.
	mux.HandleFunc("POST /append-log", func(w http.ResponseWriter, r *http.Request) {
		if !kube.AppendLog(r.FormValue("key"), r.FormValue("line")) {
			http.Error(w, "no log "+r.FormValue("key"), http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	// An event of one of the booking service's pods, for the e2e to see
	// followed events grow: form values pod, type (Normal or Warning),
	// reason and message. It answers the event's resourceVersion.
	mux.HandleFunc("POST /add-event", func(w http.ResponseWriter, r *http.Request) {
		pod, typ, reason := r.FormValue("pod"), r.FormValue("type"), r.FormValue("reason")
		if !slices.Contains([]string{crashPod, oomPod, healthyPod}, pod) || (typ != corev1.EventTypeNormal && typ != corev1.EventTypeWarning) || reason == "" {
			http.Error(w, fmt.Sprintf("want pod (one of %s, %s, %s), type (Normal or Warning) and reason", crashPod, oomPod, healthyPod), http.StatusBadRequest)
			return
		}
		now := metav1.Now()
		// Named as the kubelet names its events: the object, a dot, a hex stamp.
		e := event(fmt.Sprintf("%s.%x", pod, now.UnixNano()), pod, typ, reason, r.FormValue("message"), 1, now)
		reply(w, http.StatusCreated, map[string]string{"resourceVersion": kube.AddEvent(e)})
	})
	hs := &http.Server{Handler: mux}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.Logf("control server: %v", err)
		}
	}()
	h.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String()
}
