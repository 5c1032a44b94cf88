package kubernetes

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// pluginProgram builds the plugin as a program once per test run.
var pluginProgram = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "callboard-kubernetes-")
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "plugin")
	if b, err := exec.Command("go", "build", "-o", out, "./testdata/serve").CombinedOutput(); err != nil {
		return "", errors.New(string(b))
	}
	return out, nil
})

// startHost installs the plugin in a host whose settings point it at the
// test clusters' kubeconfig, looking in contexts.
func startHost(tb testing.TB, c clusters, contexts string, callTimeout time.Duration) *host.Host {
	tb.Helper()
	program, err := pluginProgram()
	if err != nil {
		tb.Fatalf("build the plugin: %v", err)
	}
	root, kubeconfig := tb.TempDir(), filepath.Join(tb.TempDir(), "clusters.yaml")
	writeKubeconfig(tb, kubeconfig, c)
	dir := filepath.Join(root, "kubernetes")
	data, err := os.ReadFile(program)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plugin"), data, 0o755); err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(data)
	m, _ := json.Marshal(host.Manifest{Name: "kubernetes", Version: "1.0.0", Command: "plugin", SHA256: hex.EncodeToString(sum[:]), ExtensionPoints: []string{host.PointEntityContent}})
	if err := os.WriteFile(filepath.Join(dir, host.ManifestFile), m, 0o644); err != nil {
		tb.Fatal(err)
	}
	h := host.New(host.Options{Installed: root, Env: []string{"PATH=" + os.Getenv("PATH")}, CallTimeout: callTimeout,
		Settings: func(context.Context, string, []string) (host.Settings, error) {
			return host.Settings{Enabled: true, Config: map[string]string{configKubeconfig: kubeconfig, configContexts: contexts}}, nil
		}})
	if err := h.Load(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(h.Close)
	return h
}

var webEntity = host.Entity{Kind: "Component", Type: "service", Annotations: map[string]string{annotationID: "web"},
	JSON: []byte(`{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"web","annotations":{"backstage.io/kubernetes-id":"web"}},"spec":{"type":"service"}}`)}

// The plugin as Callboard runs it: its views through the host, a cluster
// that times out beside one that answers, then its buttons pressed
// through the host's ViewAction path, and a forged one refused.
func TestThroughTheHost(t *testing.T) {
	t.Parallel()
	c := newClusters(t)
	h := startHost(t, c, "kind-prod,slow", 3*time.Second)
	ctx := context.Background()

	contents := h.EntityContent(ctx, webEntity)
	if len(contents) != 1 || contents[0].Err != nil {
		t.Fatalf("entity content: %+v", contents)
	}
	views := contents[0].Views
	if len(views) != 3 || views[0].GetId() != errorsViewID {
		t.Fatalf("views: %v", views)
	}
	card := dump(views[1:2])
	for _, want := range []string{"- Pods running: 5/6 [WARNING]", "! Cluster slow (" + c.slow.URL + "): timed out: no answer within"} {
		if !strings.Contains(card, want) {
			t.Errorf("the card lacks %q:\n%s", want, card)
		}
	}

	call := func(id string, params map[string]string) ([]*pluginv1.Block, error) {
		return h.ViewAction(ctx, webEntity, host.ViewActionCall{Plugin: "kubernetes", ID: id, Parameters: params})
	}
	crashed := map[string]string{"context": "kind-prod", "namespace": "prod", "pod": "web-worker-5f6d7c8b9-qw9zc", "container": "app", "previous": "true"}
	blocks, err := call(actionLogs, crashed)
	if err != nil || !strings.Contains(strings.Join(blocks[0].GetLog().GetLines(), "\n"), "panic: runtime error") {
		t.Fatalf("logs of the previous container: %v, %v", blocks, err)
	}
	// The answer's button to the current container may be pressed next.
	current := map[string]string{"context": "kind-prod", "namespace": "prod", "pod": "web-worker-5f6d7c8b9-qw9zc", "container": "app", "previous": "false"}
	blocks, err = call(actionLogs, current)
	if err != nil || strings.Join(blocks[0].GetLog().GetLines(), "|") != "starting worker|connected to queue" || blocks[0].GetLog().GetFollow() == nil {
		t.Fatalf("logs of the current container: %v, %v", blocks, err)
	}
	// Its follow may be called next, and the follow of that answer.
	for range 2 {
		follow := blocks[0].GetLog().GetFollow()
		if blocks, err = call(follow.GetId(), follow.GetParameters()); err != nil || len(blocks[0].GetLog().GetLines()) != 0 || blocks[0].GetLog().GetFollow() == nil {
			t.Fatalf("following the log: %v, %v", blocks, err)
		}
	}
	blocks, err = call(actionEvents, map[string]string{"context": "kind-prod", "namespace": "prod", "kind": "Pod", "name": "web-worker-5f6d7c8b9-qw9zc"})
	if err != nil || blocks[1].GetTable().GetRows()[0].GetCells()[1].GetText() != "Unhealthy" || blocks[2].GetLog().GetFollow() == nil {
		t.Fatalf("events: %v, %v", blocks, err)
	}
	// Their live events' follow, a watch, brings an event added since.
	c.prod.AddEvent(podEvent("e9", "Warning", "BackOff", "Back-off restarting failed container app", 32, "web-worker-5f6d7c8b9-qw9zc"))
	live := blocks[2].GetLog().GetFollow()
	blocks, err = call(live.GetId(), live.GetParameters())
	// The plugin's process shows the time in the local time zone.
	if err != nil || len(blocks) != 1 || len(blocks[0].GetLog().GetLines()) != 1 ||
		!strings.HasSuffix(blocks[0].GetLog().GetLines()[0], " Warning BackOff pod/web-worker-5f6d7c8b9-qw9zc: Back-off restarting failed container app (×32)") ||
		blocks[0].GetLog().GetFollow().GetParameters()[paramResourceVersion] != "5" {
		t.Errorf("following events: %v, %v", blocks, err)
	}

	for _, forged := range []map[string]string{
		{"context": "kind-prod", "namespace": "kube-system", "pod": "etcd-0", "container": "etcd", "previous": "false"},
		{"context": "kind-prod", "namespace": "prod", "pod": "web-worker-5f6d7c8b9-qw9zc", "container": "app", "previous": "true", "tailLines": "100000"},
		{"context": "kind-prod", "namespace": "prod", "pod": "web-worker-5f6d7c8b9-qw9zc", "container": "app", "previous": "false", "since": "2000-01-01T00:00:00Z"},
	} {
		if _, err := call(actionLogs, forged); !errors.Is(err, host.ErrNotOffered) {
			t.Errorf("forged %v: %v, want refused", forged, err)
		}
	}
	if _, err := call("exec", map[string]string{"context": "kind-prod", "command": "rm -rf /"}); !errors.Is(err, host.ErrNotOffered) {
		t.Errorf("a forged action id: %v, want refused", err)
	}
	for _, r := range requestsFor(c.prod) {
		if strings.Contains(r, "kube-system") {
			t.Errorf("a forged call reached the cluster: %s", r)
		}
	}
}
