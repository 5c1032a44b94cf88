package kubernetes

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// testNow is the clock of the tests: the recorded lists are of this day.
var testNow = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

func TestRender(t *testing.T) {
	t.Parallel()
	const (
		byID     = "GET /apis/apps/v1/deployments backstage.io/kubernetes-id=web"
		podsByID = "GET /api/v1/pods backstage.io/kubernetes-id=web"
	)
	tests := []struct {
		name        string
		annotations map[string]string
		// kubeconfig is where the kubeconfig is found: "setting", "env",
		// "home" or "" (nowhere).
		kubeconfig string
		contexts   string
		// custom and dashboards are the settings of those names.
		custom, dashboards string
		timeout            time.Duration
		// wantProd is the requests the good server gets, sorted.
		wantProd []string
		// wantCard are texts the card's notices must hold, in order.
		wantCard []string
	}{
		{
			name:        "by-id",
			annotations: map[string]string{annotationID: "web"},
			kubeconfig:  "setting",
			contexts:    "kind-prod, offline,locked,expired",
			wantProd: []string{
				podsByID, podsByID, // kind-prod, and expired refused
				byID, byID,
			},
			wantCard: []string{
				"prod/web-worker-5f6d7c8b9-qw9zc: app: CrashLoopBackOff: back-off 5m0s restarting failed container=app",
				"staging/web-6c5d4b3a2-zv7lm: app: ImagePullBackOff: Back-off pulling image",
				"Cluster offline (https://127.0.0.1:1): unreachable: connection refused.",
				"Cluster locked (https://locked): refused: 403 Forbidden: deployments is forbidden: User \"system:serviceaccount:ci:viewer\" cannot list resource \"deployments\"",
				"Cluster expired (https://kind-prod): refused: the credentials were not accepted (401 Unauthorized).",
			},
		},
		{
			// The label-selector annotation wins over the id, as in
			// Backstage; no contexts set: the current one.
			name:        "label-selector",
			annotations: map[string]string{annotationID: "web", annotationLabelSelector: "app=api,tier in (backend)"},
			kubeconfig:  "env",
			wantProd: []string{
				"GET /api/v1/pods app=api,tier in (backend)",
				"GET /apis/apps/v1/deployments app=api,tier in (backend)",
			},
		},
		{
			name:        "namespace",
			annotations: map[string]string{annotationID: "web", annotationNamespace: "staging"},
			kubeconfig:  "home",
			contexts:    "kind-prod",
			wantProd: []string{
				"GET /api/v1/namespaces/staging/pods backstage.io/kubernetes-id=web",
				"GET /apis/apps/v1/namespaces/staging/deployments backstage.io/kubernetes-id=web",
			},
			wantCard: []string{"staging/web-6c5d4b3a2-zv7lm: app: ImagePullBackOff"},
		},
		{
			name:        "crashloop",
			annotations: map[string]string{annotationLabelSelector: "app=web-worker"},
			kubeconfig:  "setting",
			contexts:    "kind-prod",
			wantProd:    []string{"GET /api/v1/pods app=web-worker", "GET /apis/apps/v1/deployments app=web-worker"},
			wantCard: []string{
				"prod/web-worker-5f6d7c8b9-qw9zc: app: CrashLoopBackOff: back-off 5m0s restarting failed container=app pod=web-worker-5f6d7c8b9-qw9zc_prod(" +
					"73983b7d-b15f-6223-5a70-af1a4e7fa155) (last exit: Error, exit code 1)",
			},
		},
		{
			name:        "no-match",
			annotations: map[string]string{annotationID: "billing"},
			kubeconfig:  "setting",
			contexts:    "kind-prod,offline",
			wantProd: []string{
				"GET /api/v1/pods backstage.io/kubernetes-id=billing",
				"GET /apis/apps/v1/deployments backstage.io/kubernetes-id=billing",
			},
			wantCard: []string{
				"Cluster offline (https://127.0.0.1:1): unreachable: connection refused.",
				`Nothing matches the label selector "backstage.io/kubernetes-id=billing" in any namespace of cluster kind-prod.`,
			},
		},
		{
			// Custom resources, one the cluster does not serve, and a
			// dashboard link (a javascript: one dropped).
			name:        "custom",
			annotations: map[string]string{annotationID: "web", annotationNamespace: "prod"},
			kubeconfig:  "setting",
			contexts:    "kind-prod",
			custom:      "argoproj.io/v1alpha1/rollouts, example.com/v1/widgets",
			dashboards:  "kind-prod=https://dashboard.acme.example/prod, locked=javascript:alert(1)",
			wantProd: []string{
				"GET /api/v1/namespaces/prod/pods backstage.io/kubernetes-id=web",
				"GET /apis/apps/v1/namespaces/prod/deployments backstage.io/kubernetes-id=web",
			},
		},
		{
			name:        "bad-custom",
			annotations: map[string]string{annotationID: "web"},
			kubeconfig:  "setting",
			custom:      "rollouts",
			wantCard:    []string{`Custom resource "rollouts": want group/version/plural, e.g. argoproj.io/v1alpha1/rollouts. Fix it in Settings`},
		},
		{
			name:        "no-kubeconfig",
			annotations: map[string]string{annotationID: "web"},
			wantCard:    []string{"No kubeconfig: looked for HOME/.kube/config. Set the path of your kubeconfig file in Settings"},
		},
		{
			name:        "unknown-context",
			annotations: map[string]string{annotationID: "billing"},
			kubeconfig:  "setting",
			contexts:    "nope",
			wantCard:    []string{"Cluster nope: context not in the kubeconfig (it has expired, kind-prod, locked, offline, slow)."},
		},
		{
			name:        "timeout",
			annotations: map[string]string{annotationID: "web"},
			kubeconfig:  "setting",
			contexts:    "slow",
			timeout:     300 * time.Millisecond,
			wantCard:    []string{"Cluster slow (https://slow): timed out: no answer within 300ms."},
		},
		{
			name:        "bad-selector",
			annotations: map[string]string{annotationLabelSelector: "app in (web"},
			kubeconfig:  "setting",
			wantCard:    []string{`Cannot look for this entity's workloads: label selector "app in (web": `},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newClusters(t)
			home, dir := t.TempDir(), t.TempDir()
			env := map[string]string{}
			config := map[string]string{configContexts: tt.contexts, configCustomResources: tt.custom, configDashboards: tt.dashboards}
			switch tt.kubeconfig {
			case "setting":
				config[configKubeconfig] = filepath.Join(dir, "clusters.yaml")
				writeKubeconfig(t, config[configKubeconfig], c)
			case "env":
				env["KUBECONFIG"] = filepath.Join(dir, "missing.yaml") + string(os.PathListSeparator) + filepath.Join(dir, "config")
				writeKubeconfig(t, filepath.Join(dir, "config"), c)
			case "home":
				writeKubeconfig(t, filepath.Join(home, ".kube", "config"), c)
			}
			r := &renderer{
				logger:         slog.New(slog.DiscardHandler),
				getenv:         func(k string) string { return env[k] },
				homeDir:        func() (string, error) { return home, nil },
				now:            func() time.Time { return testNow },
				clusterTimeout: cmpOr(tt.timeout, 20*time.Second),
			}
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			views, err := r.render(ctx, sdk.EntityRequest{
				Request: sdk.Request{Config: config},
				Entity:  sdk.Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Component", Metadata: sdk.Metadata{Name: "web", Namespace: "default", Annotations: tt.annotations}},
			})
			if err != nil {
				t.Fatalf("render: %v", err)
			}

			replacer := strings.NewReplacer(c.prod.URL, "https://kind-prod", c.forbidden.URL, "https://locked", c.slow.URL, "https://slow", home, "HOME", dir, "DIR")
			if diff := cmp.Diff(tt.wantProd, requestsFor(c.prod)); diff != "" {
				t.Errorf("requests to the API server (-want +got):\n%s", diff)
			}
			all := views
			if len(views) > 0 && views[0].GetId() == errorsViewID {
				views = views[1:]
			}
			if len(views) != 2 || views[0].GetPlacement() != pluginv1.Placement_PLACEMENT_CARD || views[1].GetPlacement() != pluginv1.Placement_PLACEMENT_TAB {
				t.Fatalf("views: want a card and a tab, after the errors card if any, got %v", views)
			}
			checkNotices(t, views[0], tt.wantCard, replacer)
			golden(t, filepath.Join("testdata", tt.name+".golden"), replacer.Replace(dump(all)))
		})
	}
}

// checkNotices checks that the card's notices hold want, in order.
func checkNotices(t *testing.T, card *pluginv1.View, want []string, r *strings.Replacer) {
	t.Helper()
	var got []string
	for _, b := range card.GetBlocks() {
		if n := b.GetNotice(); n != nil {
			got = append(got, r.Replace(n.GetText()))
		}
	}
	i := 0
	for _, g := range got {
		if i < len(want) && strings.Contains(g, want[i]) {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("card notices: missing %q (in order); got:\n%s", want[i], strings.Join(got, "\n"))
	}
}

func cmpOr(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// golden compares got with the file, or rewrites the file with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// dump writes views as text for the golden files: one line a block, a
// status in brackets.
func dump(views []*pluginv1.View) string {
	var b strings.Builder
	for _, v := range views {
		fmt.Fprintf(&b, "== %s %s %q\n", strings.ToLower(strings.TrimPrefix(v.GetPlacement().String(), "PLACEMENT_")), v.GetId(), v.GetTitle())
		for _, bl := range v.GetBlocks() {
			switch k := bl.GetKind().(type) {
			case *pluginv1.Block_Heading:
				fmt.Fprintf(&b, "# %s\n", k.Heading.GetText())
			case *pluginv1.Block_Markdown:
				fmt.Fprintf(&b, "md %s\n", k.Markdown)
			case *pluginv1.Block_Notice:
				fmt.Fprintf(&b, "! %s%s\n", k.Notice.GetText(), status(k.Notice.GetStatus()))
			case *pluginv1.Block_KeyValues:
				for _, kv := range k.KeyValues.GetItems() {
					fmt.Fprintf(&b, "- %s: %s%s\n", kv.GetKey(), kv.GetValue(), status(kv.GetStatus()))
				}
			case *pluginv1.Block_Table:
				fmt.Fprintf(&b, "| %s |\n", strings.Join(k.Table.GetColumns(), " | "))
				for _, row := range k.Table.GetRows() {
					var cells []string
					for _, c := range row.GetCells() {
						cells = append(cells, c.GetText()+status(c.GetStatus())+action(c.GetAction()))
					}
					fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
				}
			case *pluginv1.Block_Links:
				for _, l := range k.Links.GetItems() {
					fmt.Fprintf(&b, "link %s: %s\n", l.GetTitle(), l.GetUrl())
				}
			case *pluginv1.Block_Actions:
				for _, a := range k.Actions.GetItems() {
					fmt.Fprintf(&b, "button%s\n", action(a))
				}
			case *pluginv1.Block_Log:
				fmt.Fprintf(&b, "log %s (truncated %t)\n%s\n", k.Log.GetTitle(), k.Log.GetTruncated(), strings.Join(k.Log.GetLines(), "\n"))
				if f := k.Log.GetFollow(); f != nil {
					fmt.Fprintf(&b, "follow%s\n", action(f))
				}
			default:
				fmt.Fprintf(&b, "? %v\n", bl)
			}
		}
	}
	return b.String()
}

// action is a's label and id with its parameters, sorted, or "".
func action(a *pluginv1.ViewAction) string {
	if a == nil {
		return ""
	}
	var params []string
	for _, k := range slices.Sorted(maps.Keys(a.GetParameters())) {
		params = append(params, k+"="+a.GetParameters()[k])
	}
	s := fmt.Sprintf(" <%s: %s %s>", a.GetLabel(), a.GetId(), strings.Join(params, ","))
	if a.GetConfirm() != "" {
		s += " (asks: " + a.GetConfirm() + ")"
	}
	return s
}

func status(s pluginv1.Status) string {
	if s == pluginv1.Status_STATUS_NONE {
		return ""
	}
	return " [" + strings.TrimPrefix(s.String(), "STATUS_") + "]"
}

func TestTimeoutFollowsDeadline(t *testing.T) {
	t.Parallel()
	r := &renderer{clusterTimeout: 10 * time.Second}
	if got := r.timeout(t.Context()); got != 10*time.Second {
		t.Errorf("no deadline: got %v, want 10s", got)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if got := r.timeout(ctx); got > 1800*time.Millisecond || got < time.Second {
		t.Errorf("deadline in 2s: got %v, want about 1.8s", got)
	}
}
