package kubernetes

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/callboard/callboard/plugins/kubernetes/kubetest"
	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// watchFixture is a renderer on a kubeconfig whose context "watched" is
// a kubetest server of its own, to change, "raw" a server whose watch of
// events answers what a test says, and "slow" one that never answers.
type watchFixture struct {
	r      *renderer
	config map[string]string
	server *kubetest.Server
}

// workerPod names the test cluster's pod with three events.
var workerPod = map[string]string{"kind": "Pod", "name": "web-worker-5f6d7c8b9-qw9zc", "namespace": "prod"}

func newWatchFixture(t *testing.T, c kubetest.Cluster, rawWatch string) *watchFixture {
	t.Helper()
	f := &watchFixture{server: kubetest.NewServer(t, testToken, c)}
	raw := kubetest.NewTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, rawWatch)
	}))
	cluster := func(s *httptest.Server) *clientcmdapi.Cluster {
		return &clientcmdapi.Cluster{Server: s.URL, CertificateAuthorityData: kubetest.CA(s)}
	}
	cfg := clientcmdapi.Config{
		Clusters:       map[string]*clientcmdapi.Cluster{"watched": cluster(f.server.Server), "raw": cluster(raw), "slow": cluster(newSlowServer(t))},
		AuthInfos:      map[string]*clientcmdapi.AuthInfo{"user": {Token: testToken}},
		Contexts:       map[string]*clientcmdapi.Context{"watched": {Cluster: "watched", AuthInfo: "user"}, "raw": {Cluster: "raw", AuthInfo: "user"}, "slow": {Cluster: "slow", AuthInfo: "user"}},
		CurrentContext: "watched",
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(cfg, path); err != nil {
		t.Fatal(err)
	}
	// A grace longer than the plugin's, so that events sent together are
	// read in one call on a loaded machine too.
	f.r = &renderer{logger: slog.New(slog.DiscardHandler), getenv: func(string) string { return "" },
		homeDir: func() (string, error) { return t.TempDir(), nil },
		now:     func() time.Time { return testNow }, clusterTimeout: 20 * time.Second, watchWindow: time.Second, watchGrace: 500 * time.Millisecond}
	f.config = map[string]string{configKubeconfig: path, configContexts: "watched,raw,slow"}
	return f
}

// call runs the events action in context with params, rv's follow when
// rv is set.
func (f *watchFixture) call(t *testing.T, context, rv string) []*pluginv1.Block {
	t.Helper()
	p := map[string]string{"context": context}
	for k, v := range workerPod {
		p[k] = v
	}
	if rv != "" {
		p[paramResourceVersion] = rv
	}
	blocks, err := f.r.action(t.Context(), sdk.ViewActionRequest{EntityRequest: sdk.EntityRequest{Request: sdk.Request{Config: f.config}}, ID: actionEvents, Parameters: p})
	if err != nil {
		t.Fatal(err)
	}
	return blocks
}

// follow is the answer of a follow from rv: its lines, whether a gap
// comes before them, the next resourceVersion ("" when following
// stops), and its notice.
func (f *watchFixture) follow(t *testing.T, context, rv string) (lines []string, gap bool, next, notice string) {
	t.Helper()
	for _, b := range f.call(t, context, rv) {
		if l := b.GetLog(); l != nil {
			lines, gap, next = l.GetLines(), l.GetTruncated(), l.GetFollow().GetParameters()[paramResourceVersion]
		}
		if n := b.GetNotice(); n != nil {
			notice = n.GetText()
		}
	}
	return lines, gap, next, notice
}

// podEvent is an event of worker's pod, seen at testNow plus ago.
func podEvent(name, typ, reason, message string, count int32, pod string) corev1.Event {
	return corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "prod"}, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: pod, Namespace: "prod"},
		Type: typ, Reason: reason, Message: message, Count: count, LastTimestamp: metav1.NewTime(testNow.Add(time.Duration(count) * time.Second))}
}

// The Events answer: the table, then the live events that follow it from
// the list's resourceVersion; an object without events has them too.
func TestEventsOfferLiveEvents(t *testing.T) {
	t.Parallel()
	f := newWatchFixture(t, kubetest.Cluster{Events: events}, "")
	got := dump([]*pluginv1.View{{Blocks: f.call(t, "watched", "")}})
	want := "log Live events of pod prod/web-worker-5f6d7c8b9-qw9zc: Follow shows them as they come (truncated false)\n\n" +
		"follow <Follow: events context=watched,kind=Pod,name=web-worker-5f6d7c8b9-qw9zc,namespace=prod,resourceVersion=4>\n" +
		"button <Refresh: events context=watched,kind=Pod,name=web-worker-5f6d7c8b9-qw9zc,namespace=prod>\n"
	if !strings.HasSuffix(got, want) || !strings.Contains(got, "| Warning [WARNING] | Unhealthy |") {
		t.Errorf("events:\n%s\nwant the table, then:\n%s", got, want)
	}
}

// Following events through a watch, and the watch breaking: each step
// changes the cluster, then follows from the last resourceVersion; no
// event is shown twice or lost.
func TestFollowEvents(t *testing.T) {
	t.Parallel()
	pod := workerPod["name"]
	backOff := func(n int32) corev1.Event {
		return podEvent("e2", corev1.EventTypeWarning, "BackOff", "Back-off restarting failed container app", n, pod)
	}
	tests := []struct {
		name string
		// change changes the cluster before the follow.
		change    func(s *kubetest.Server)
		want      []string
		wantGap   bool
		wantNext  string
		wantStops string
	}{
		{"nothing new: the bookmark keeps the place", nil, nil, false, "4", ""},
		{"an event added", func(s *kubetest.Server) {
			s.AddEvent(podEvent("e5", corev1.EventTypeNormal, "Pulling", "Pulling image", 1, pod))
		}, []string{"12:00:01 Normal Pulling pod/web-worker-5f6d7c8b9-qw9zc: Pulling image"}, false, "5", ""},
		{"an event repeated (modified)", func(s *kubetest.Server) { s.AddEvent(backOff(5)) },
			[]string{"12:00:05 Warning BackOff pod/web-worker-5f6d7c8b9-qw9zc: Back-off restarting failed container app (×5)"}, false, "6", ""},
		{"another pod's event: a bookmark moves past it", func(s *kubetest.Server) {
			s.AddEvent(podEvent("o1", corev1.EventTypeNormal, "Started", "Started", 1, "other"))
		}, nil, false, "7", ""},
		{"the stream cut mid-event: the complete one kept", func(s *kubetest.Server) {
			s.AddEvent(backOff(6))
			s.AddEvent(backOff(7))
			s.AddEvent(backOff(8))
			s.CutWatch(1)
		}, []string{"12:00:06 Warning BackOff pod/web-worker-5f6d7c8b9-qw9zc: Back-off restarting failed container app (×6)"}, false, "8", ""},
		{"then resumed from it", nil, []string{
			"12:00:07 Warning BackOff pod/web-worker-5f6d7c8b9-qw9zc: Back-off restarting failed container app (×7)",
			"12:00:08 Warning BackOff pod/web-worker-5f6d7c8b9-qw9zc: Back-off restarting failed container app (×8)",
		}, false, "10", ""},
		{"410 Gone as a watch event: listed again, after a gap", func(s *kubetest.Server) {
			s.AddEvent(backOff(9))
			s.AddEvent(podEvent("e6", corev1.EventTypeWarning, "Unhealthy", "Readiness probe failed", 2, pod))
			s.Compact(false)
		}, []string{
			"12:00:09 Warning BackOff pod/web-worker-5f6d7c8b9-qw9zc: Back-off restarting failed container app (×9)",
			"12:00:02 Warning Unhealthy pod/web-worker-5f6d7c8b9-qw9zc: Readiness probe failed (×2)",
		}, true, "12", ""},
		{"410 Gone as the answer's status", func(s *kubetest.Server) {
			s.AddEvent(backOff(10))
			s.Compact(true)
		}, []string{"12:00:10 Warning BackOff pod/web-worker-5f6d7c8b9-qw9zc: Back-off restarting failed container app (×10)"}, true, "13", ""},
		{"after the gap, watched again", func(s *kubetest.Server) { s.AddEvent(backOff(11)) },
			[]string{"12:00:11 Warning BackOff pod/web-worker-5f6d7c8b9-qw9zc: Back-off restarting failed container app (×11)"}, false, "14", ""},
	}
	f := newWatchFixture(t, kubetest.Cluster{Events: events}, "")
	rv := "4"
	for _, tt := range tests {
		if tt.change != nil {
			tt.change(f.server)
		}
		lines, gap, next, notice := f.follow(t, "watched", rv)
		if !slices.Equal(lines, tt.want) || gap != tt.wantGap || next != tt.wantNext || notice != tt.wantStops {
			t.Fatalf("%s: lines %q, gap %t, next %q, notice %q\nwant %q, gap %t, next %q, notice %q", tt.name, lines, gap, next, notice, tt.want, tt.wantGap, tt.wantNext, tt.wantStops)
		}
		rv = next
	}
}

// A watch that fails: refused, a cluster that does not answer, what is
// not a watch, more than a call reads. Each is bounded and says why.
func TestFollowEventsFails(t *testing.T) {
	t.Parallel()
	line := func(rv int, message string) string {
		return fmt.Sprintf(`{"type":"ADDED","object":{"metadata":{"name":"e%d","namespace":"prod","resourceVersion":"%d"},"involvedObject":{"kind":"Pod","name":"web-worker-5f6d7c8b9-qw9zc"},"type":"Warning","reason":"BackOff","message":%q,"count":1,"lastTimestamp":"2026-05-04T12:00:00Z"}}`, rv, rv, message) + "\n"
	}
	var many strings.Builder
	for i := range 150 {
		many.WriteString(line(10+i, strings.Repeat("m", 2000)))
	}
	shown := "12:00:00 Warning BackOff pod/web-worker-5f6d7c8b9-qw9zc: "
	tests := []struct {
		name, context, raw string
		wantLines          int
		wantNext           string
		wantNotice         string
	}{
		{"a watch RBAC refuses", "watched", "", 0, "", "Not allowed: watch events in prod (cluster watched)."},
		{"a cluster that does not answer", "slow", "", 0, "", "Cluster slow: timed out: no answer within 300ms."},
		{"a line that is not a watch event", "raw", line(5, "first") + "<html>proxy error</html>\n" + line(6, "lost"), 1, "",
			"Cluster raw: the watch of events in prod sent line 2 that is not a watch event (<html>proxy error</html>): following stopped."},
		{"an ERROR event that is not a status", "raw", `{"type":"ERROR","object":"boom"}` + "\n", 0, "",
			`Cluster raw: the watch of events in prod sent an ERROR event that is not a status ("boom"): following stopped.`},
		{"an ERROR event other than 410", "raw", `{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcdserver: request timed out","reason":"InternalError","code":500}}` + "\n", 0, "",
			"Cluster raw: the API server answered 500 InternalError: etcdserver: request timed out."},
		{"a line over the byte bound", "raw", line(5, strings.Repeat("x", maxLogBytes)), 0, "",
			"Cluster raw: the watch of events in prod sent a line over 256 KB: following stopped."},
		{"more than a call reads: the rest next call", "raw", many.String(), maxLogBytes / len(line(10, strings.Repeat("m", 2000))), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newWatchFixture(t, kubetest.Cluster{Events: events, ForbiddenWatches: map[string]string{
				"prod/events": `events is forbidden: User "dev@acme.example" cannot watch resource "events" in API group "" in the namespace "prod"`,
			}}, tt.raw)
			switch {
			case tt.context == "slow":
				f.r.clusterTimeout = 300 * time.Millisecond
			case tt.wantNotice == "":
				// The byte bound, not the grace, ends the call, however
				// slowly a loaded machine reads.
				f.r.watchWindow, f.r.watchGrace = 10*time.Second, 10*time.Second
			}
			lines, _, next, notice := f.follow(t, tt.context, "4")
			if len(lines) != tt.wantLines || notice != tt.wantNotice {
				t.Errorf("%d lines, notice %q; want %d, %q", len(lines), notice, tt.wantLines, tt.wantNotice)
			}
			for _, l := range lines {
				if !strings.HasPrefix(l, shown) {
					t.Errorf("line %.80q", l)
				}
			}
			if tt.wantNotice == "" {
				// Resumed from the last complete event read.
				if want := fmt.Sprint(10 + tt.wantLines - 1); next != want {
					t.Errorf("next %q, want %q", next, want)
				}
			} else if next != tt.wantNext {
				t.Errorf("next %q after %q: following should stop", next, tt.wantNotice)
			}
		})
	}
}
