package kubernetes

import (
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// actionRenderer is a renderer on a kubeconfig of the test clusters,
// with the settings that name it.
func actionRenderer(t *testing.T) (*renderer, clusters, map[string]string) {
	t.Helper()
	c := newClusters(t)
	path := filepath.Join(t.TempDir(), "clusters.yaml")
	writeKubeconfig(t, path, c)
	r := &renderer{
		logger: slog.New(slog.DiscardHandler), getenv: func(string) string { return "" },
		homeDir: func() (string, error) { return t.TempDir(), nil },
		now:     func() time.Time { return testNow }, clusterTimeout: 20 * time.Second,
	}
	return r, c, map[string]string{configKubeconfig: path, configContexts: "kind-prod,locked,slow"}
}

func TestActions(t *testing.T) {
	t.Parallel()
	r, c, config := actionRenderer(t)
	worker := map[string]string{"context": "kind-prod", "namespace": "prod", "pod": "web-worker-5f6d7c8b9-qw9zc", "container": "app"}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		name   string
		id     string
		params map[string]string
		want   string
	}{
		{"logs", actionLogs, with(worker, "previous", "false"),
			"log prod/web-worker-5f6d7c8b9-qw9zc, container app: last 2 lines (truncated false)\nstarting worker\nconnected to queue\n" +
				"follow <Follow: logs container=app,context=kind-prod,namespace=prod,pod=web-worker-5f6d7c8b9-qw9zc,previous=false,since=2026-05-04T11:59:00.25Z>\n" +
				"button <Refresh: logs container=app,context=kind-prod,namespace=prod,pod=web-worker-5f6d7c8b9-qw9zc,previous=false>\n" +
				"button <Logs (previous): logs container=app,context=kind-prod,namespace=prod,pod=web-worker-5f6d7c8b9-qw9zc,previous=true>\n"},
		{"logs of the previous container", actionLogs, with(worker, "previous", "true"),
			"log prod/web-worker-5f6d7c8b9-qw9zc, container app: last 4 lines of the previous container (truncated false)\nstarting worker\n" +
				"panic: runtime error: invalid memory address or nil pointer dereference\ngoroutine 1 [running]:\nmain.main()\n" +
				"button <Refresh: logs container=app,context=kind-prod,namespace=prod,pod=web-worker-5f6d7c8b9-qw9zc,previous=true>\n" +
				"button <Logs (current): logs container=app,context=kind-prod,namespace=prod,pod=web-worker-5f6d7c8b9-qw9zc,previous=false>\n"},
		{"no previous container", actionLogs, with(worker, "pod", "web-7d4b9c8f6-rt5wd", "previous", "true"),
			`! Cluster kind-prod: the API server answered 400 BadRequest: previous terminated container "app" in pod "web-7d4b9c8f6-rt5wd" not found. [WARNING]` + "\n"},
		{"events, warnings first", actionEvents, map[string]string{"context": "kind-prod", "namespace": "prod", "kind": "Pod", "name": "web-worker-5f6d7c8b9-qw9zc"},
			"md **Events of pod prod/web-worker-5f6d7c8b9-qw9zc**\n| Type | Reason | Message | Count | Last seen |\n" +
				`| Warning [WARNING] | Unhealthy | Liveness probe failed: Get "http://10.1.2.3:8080/healthz": dial tcp 10.1.2.3:8080: connect: connection refused | 3 | 2m ago |` + "\n" +
				"| Warning [WARNING] | BackOff | Back-off restarting failed container app in pod web-worker-5f6d7c8b9-qw9zc_prod | 31 | 20m ago |\n" +
				`| Normal | Pulled | Container image "ghcr.io/acme/web-worker:1.14.2" already present on machine | 8 | 5m ago |` + "\n" +
				"log Live events of pod prod/web-worker-5f6d7c8b9-qw9zc: Follow shows them as they come (truncated false)\n\n" +
				"follow <Follow: events context=kind-prod,kind=Pod,name=web-worker-5f6d7c8b9-qw9zc,namespace=prod,resourceVersion=4>\n" +
				"button <Refresh: events context=kind-prod,kind=Pod,name=web-worker-5f6d7c8b9-qw9zc,namespace=prod>\n"},
		{"no events", actionEvents, map[string]string{"context": "kind-prod", "namespace": "prod", "kind": "Deployment", "name": "web"},
			"! No events of deployment prod/web (Kubernetes keeps them for an hour).\n" +
				"log Live events of deployment prod/web: Follow shows them as they come (truncated false)\n\n" +
				"follow <Follow: events context=kind-prod,kind=Deployment,name=web,namespace=prod,resourceVersion=4>\n"},
		{"restart", actionRestart, map[string]string{"context": "kind-prod", "namespace": "prod", "resource": "deployments", "name": "web"},
			"! Restarting the rollout of deployment prod/web (restartedAt 2026-05-04T12:00:00Z): its pods are replaced one by one. [OK]\n" +
				"button <Events: events context=kind-prod,kind=Deployment,name=web,namespace=prod>\n"},
		{"RBAC refusal", actionLogs, with(worker, "context", "locked", "previous", "false"),
			"! Not allowed: get pods/log in prod (cluster locked). [WARNING]\n"},
		{"a context not looked in", actionLogs, with(worker, "context", "expired"),
			`! The context "expired" is no longer one Callboard looks in: see the kubernetes plugin's settings. [WARNING]` + "\n"},
	}
	t.Run("each", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				blocks, err := r.action(t.Context(), sdk.ViewActionRequest{EntityRequest: sdk.EntityRequest{Request: sdk.Request{Config: config}}, ID: tt.id, Parameters: tt.params})
				if err != nil {
					t.Fatal(err)
				}
				if got := dump([]*pluginv1.View{{Blocks: blocks}}); strings.TrimPrefix(got, "== card  \"\"\n") != tt.want {
					t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
				}
			})
		}
	})
	if got := c.prod.Patch("/apis/apps/v1/namespaces/prod/deployments/web"); got != `{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-05-04T12:00:00Z"}}}}}` {
		t.Errorf("restart patch = %s", got)
	}
}

// A log longer than the plugin reads: the newest lines that fit.
func TestLogsAreBounded(t *testing.T) {
	t.Parallel()
	r, _, config := actionRenderer(t)
	blocks, err := r.action(t.Context(), sdk.ViewActionRequest{EntityRequest: sdk.EntityRequest{Request: sdk.Request{Config: config}}, ID: actionLogs,
		Parameters: map[string]string{"context": "kind-prod", "namespace": "prod", "pod": "web-7d4b9c8f6-2xkqp", "container": "app", "previous": "false"}})
	if err != nil {
		t.Fatal(err)
	}
	log := blocks[0].GetLog()
	n, size := len(log.GetLines()), 0
	for _, l := range log.GetLines() {
		size += len(l) + 1
	}
	if !log.GetTruncated() || size > maxLogBytes || n != 420 || !strings.HasPrefix(log.GetLines()[n-1], "0999 ") || len(log.GetLines()[0]) != 599 {
		t.Errorf("a big log: %d lines, %d bytes, truncated %t, last %.10q", n, size, log.GetTruncated(), log.GetLines()[n-1])
	}
}

// A cluster that does not answer in time is a notice, within the call's
// deadline.
func TestActionTimesOut(t *testing.T) {
	t.Parallel()
	r, _, config := actionRenderer(t)
	// The cluster's own timeout, not the call's deadline: a call whose
	// deadline passes under load is an error, not a notice.
	r.clusterTimeout = 300 * time.Millisecond
	blocks, err := r.action(t.Context(), sdk.ViewActionRequest{EntityRequest: sdk.EntityRequest{Request: sdk.Request{Config: config}}, ID: actionEvents,
		Parameters: map[string]string{"context": "slow", "namespace": "prod", "kind": "Pod", "name": "x"}})
	if err != nil || len(blocks) != 1 || !strings.HasPrefix(blocks[0].GetNotice().GetText(), "Cluster slow: timed out: no answer within") {
		t.Errorf("a slow cluster: %v, %v", blocks, err)
	}
}

// Following a log: each answer has the lines after since, without their
// times, and the next follow; the lines sinceTime's seconds bring back
// again are not shown twice.
func TestFollowLogs(t *testing.T) {
	t.Parallel()
	r, c, config := actionRenderer(t)
	worker := map[string]string{"context": "kind-prod", "namespace": "prod", "pod": "web-worker-5f6d7c8b9-qw9zc", "container": "app", "previous": "false"}
	follow := func(since string) *pluginv1.ActionLog {
		t.Helper()
		p := maps.Clone(worker)
		if since != "" {
			p["since"] = since
		}
		blocks, err := r.action(t.Context(), sdk.ViewActionRequest{EntityRequest: sdk.EntityRequest{Request: sdk.Request{Config: config}}, ID: actionLogs, Parameters: p})
		if err != nil || len(blocks) == 0 || blocks[0].GetLog() == nil {
			t.Fatalf("since %q: %v, %v", since, blocks, err)
		}
		return blocks[0].GetLog()
	}
	first := follow("")
	since := first.GetFollow().GetParameters()["since"]
	if since != "2026-05-04T11:59:00.25Z" || strings.Join(first.GetLines(), "|") != "starting worker|connected to queue" {
		t.Fatalf("first: %q, since %q", first.GetLines(), since)
	}
	tests := []struct {
		name, appended string
		want           []string
		wantSince      string
	}{
		{"nothing new", "", nil, "2026-05-04T11:59:00.25Z"},
		{"a line in the same second", "job 1 done", []string{"job 1 done"}, "2026-05-04T11:59:00.5Z"},
		{"a line with spaces and a time in it", "2026-01-01T00:00:00Z said hello", []string{"2026-01-01T00:00:00Z said hello"}, "2026-05-04T11:59:00.75Z"},
		{"a line in the next second", "job 2 done", []string{"job 2 done"}, "2026-05-04T11:59:01Z"},
	}
	for _, tt := range tests {
		if tt.appended != "" && !c.prod.AppendLog("prod/web-worker-5f6d7c8b9-qw9zc/app", tt.appended) {
			t.Fatal("no such log")
		}
		got := follow(since)
		if !slices.Equal(got.GetLines(), tt.want) || got.GetFollow().GetParameters()["since"] != tt.wantSince {
			t.Errorf("%s: lines %q, next since %q; want %q, %q", tt.name, got.GetLines(), got.GetFollow().GetParameters()["since"], tt.want, tt.wantSince)
		}
		since = got.GetFollow().GetParameters()["since"]
	}
	for i := range logTail + 5 {
		c.prod.AppendLog("prod/web-worker-5f6d7c8b9-qw9zc/app", fmt.Sprintf("burst %d", i))
	}
	burst := follow(since)
	if n := len(burst.GetLines()); n != logTail || burst.GetLines()[n-1] != fmt.Sprintf("burst %d", logTail+4) || !burst.GetTruncated() {
		t.Errorf("a burst of %d lines: %d lines, the last %q, truncated %v; want the last %d, truncated", logTail+5, n, burst.GetLines()[n-1], burst.GetTruncated(), logTail)
	}
	if quiet := follow(burst.GetFollow().GetParameters()["since"]); len(quiet.GetLines()) != 0 || quiet.GetTruncated() {
		t.Errorf("after the burst: %q, truncated %v", quiet.GetLines(), quiet.GetTruncated())
	}
	bad := maps.Clone(worker)
	bad["since"] = "yesterday"
	blocks, err := r.action(t.Context(), sdk.ViewActionRequest{EntityRequest: sdk.EntityRequest{Request: sdk.Request{Config: config}}, ID: actionLogs, Parameters: bad})
	if err != nil || len(blocks) != 1 || !strings.Contains(blocks[0].GetNotice().GetText(), `the since parameter "yesterday"`) {
		t.Errorf("a bad since: %v, %v", blocks, err)
	}
}
