package kubernetes

import (
	"context"
	"encoding/pem"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// renderContexts renders the web component's views over the API servers
// named as contexts, each with the test token.
func renderContexts(t *testing.T, servers map[string]*apiServer) []*pluginv1.View {
	t.Helper()
	cfg := clientcmdapi.Config{Clusters: map[string]*clientcmdapi.Cluster{}, AuthInfos: map[string]*clientcmdapi.AuthInfo{"user": {Token: testToken}},
		Contexts: map[string]*clientcmdapi.Context{}}
	var names []string
	for name, s := range servers {
		cfg.Clusters[name] = &clientcmdapi.Cluster{Server: s.URL, CertificateAuthorityData: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})}
		cfg.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: "user"}
		names = append(names, name)
	}
	path := filepath.Join(t.TempDir(), "config")
	if err := clientcmd.WriteToFile(cfg, path); err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	r := &renderer{logger: slog.New(slog.DiscardHandler), getenv: func(string) string { return "" }, homeDir: func() (string, error) { return t.TempDir(), nil },
		now: func() time.Time { return testNow }, clusterTimeout: 20 * time.Second}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	views, err := r.render(ctx, sdk.EntityRequest{
		Request: sdk.Request{Config: map[string]string{configKubeconfig: path, configContexts: strings.Join(names, ",")}},
		Entity:  sdk.Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Component", Metadata: sdk.Metadata{Name: "web", Namespace: "default", Annotations: map[string]string{annotationID: "web"}}},
	})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return views
}

// detectedRows are the rows of the detected errors card, cells joined by " | ".
func detectedRows(views []*pluginv1.View) []string {
	var out []string
	for _, v := range views {
		if v.GetId() != errorsViewID {
			continue
		}
		for _, b := range v.GetBlocks() {
			for _, row := range b.GetTable().GetRows() {
				var cells []string
				for _, c := range row.GetCells() {
					cells = append(cells, c.GetText())
				}
				out = append(out, strings.Join(cells, " | "))
			}
		}
	}
	return out
}

// An OOMKilled container shows its memory limit, and its last usage where
// the metrics API answers; where it does not, the usage is unknown and
// the cluster is shown all the same.
func TestMemoryUsage(t *testing.T) {
	t.Parallel()
	with, without := newAPIServer(t, testToken), newAPIServer(t, testToken)
	without.NoMetrics = true
	rows := detectedRows(renderContexts(t, map[string]*apiServer{"metrics": with, "no-metrics": without}))
	for _, want := range []string{
		`metrics | pod prod/web-7d4b9c8f6-8mzvt, container app | OOMKilled: the container "app" has crashed because it tried to use more memory than it has been allocated (limit 512Mi; last usage 486Mi; restarted once)`,
		`no-metrics | pod prod/web-7d4b9c8f6-8mzvt, container app | OOMKilled: the container "app" has crashed because it tried to use more memory than it has been allocated (limit 512Mi; usage unknown (metrics API not available); restarted once)`,
	} {
		if !slices.ContainsFunc(rows, func(r string) bool { return strings.HasPrefix(r, want) }) {
			t.Errorf("no detected error %q in:\n%s", want, strings.Join(rows, "\n"))
		}
	}
	if want := "GET /apis/metrics.k8s.io/v1beta1/pods backstage.io/kubernetes-id=web"; !slices.Contains(with.Requests(), want) {
		t.Errorf("requests %q, want %q", with.Requests(), want)
	}
}

// The plugin lists (it never watches), so a watch that breaks has no
// equivalent but a list cut short: that cluster says so, the others are
// shown.
func TestListCutShort(t *testing.T) {
	t.Parallel()
	good, cut := newAPIServer(t, testToken), newAPIServer(t, testToken)
	cut.CutLists = true
	views := renderContexts(t, map[string]*apiServer{"kind-prod": good, "cut": cut})
	if len(views) < 2 {
		t.Fatalf("views %v", views)
	}
	card := views[len(views)-2]
	checkNotices(t, card, []string{"Cluster cut (https://cut): the API server's answer was cut short"}, strings.NewReplacer(cut.URL, "https://cut"))
	if rows := detectedRows(views); !slices.ContainsFunc(rows, func(r string) bool { return strings.HasPrefix(r, "kind-prod | pod prod/web-7d4b9c8f6-8mzvt") }) {
		t.Errorf("the good cluster's errors are missing:\n%s", strings.Join(rows, "\n"))
	}
}
