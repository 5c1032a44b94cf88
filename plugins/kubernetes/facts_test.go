package kubernetes

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// replicas is the fewest ready replicas over the deployments of the
// clusters that answered; none when no cluster lists a deployment.
func TestFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		annotations map[string]string
		contexts    string
		want        []*pluginv1.Fact
	}{
		// web is 3/3 and 0/1 ready, web-worker 1/2; the other clusters fail.
		{"by-id", map[string]string{annotationID: "web"}, "kind-prod,offline,locked", []*pluginv1.Fact{sdk.FactNumber("replicas", 0)}},
		{"crashloop", map[string]string{annotationLabelSelector: "app=web-worker"}, "kind-prod", []*pluginv1.Fact{sdk.FactNumber("replicas", 1)}},
		{"no-match", map[string]string{annotationID: "billing"}, "kind-prod,offline", nil},
		{"unreachable only", map[string]string{annotationID: "web"}, "offline", nil},
		{"no annotation", nil, "kind-prod", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newClusters(t)
			dir := t.TempDir()
			config := map[string]string{configContexts: tt.contexts, configKubeconfig: filepath.Join(dir, "clusters.yaml")}
			writeKubeconfig(t, config[configKubeconfig], c)
			r := &renderer{logger: slog.New(slog.DiscardHandler), getenv: func(string) string { return "" },
				homeDir: func() (string, error) { return dir, nil }, now: func() time.Time { return testNow }, clusterTimeout: 20 * time.Second}
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			got, err := r.facts(ctx, sdk.EntityRequest{Request: sdk.Request{Config: config},
				Entity: sdk.Entity{Kind: "Component", Metadata: sdk.Metadata{Name: "web", Annotations: tt.annotations}}})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got, protocmp.Transform()); d != "" {
				t.Errorf("facts (-want +got):\n%s", d)
			}
		})
	}
}
