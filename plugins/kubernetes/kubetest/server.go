package kubetest

import (
	"cmp"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
)

// Cluster is what a Server holds.
type Cluster struct {
	Deployments appsv1.DeploymentList
	Pods        corev1.PodList
	Events      corev1.EventList
	// Logs are containers' logs by "namespace/pod/container", and by
	// "namespace/pod/container/previous" the run before a restart. Line
	// i was written at LogStart plus i times LogStep.
	Logs map[string]string
	// Others are the objects of other kinds, by "group/version/resource"
	// ("/v1/services" for the core group), as the API server sends them.
	// A kind not here is not served (404); one with no objects lists none.
	Others map[string][]string
	// Forbidden are the lists RBAC refuses, by "namespace/resource": the
	// API server's message.
	Forbidden map[string]string
	// ForbiddenWatches are the watches RBAC refuses, by
	// "namespace/resource", to a user it lets list them.
	ForbiddenWatches map[string]string
}

// Server is a Kubernetes API server on loopback that wants a bearer
// token and serves a Cluster: lists in all namespaces or one, filtered by
// the labelSelector query parameter; a pod or deployment; containers'
// logs; an object's events by fieldSelector, listed or watched (see
// serveWatch); a strategic merge patch of a deployment; and the discovery
// documents kubectl reads first. It records every request it gets.
type Server struct {
	*httptest.Server
	Token string
	// NoMetrics makes it a cluster without metrics-server: the metrics
	// API is not found, as the API server answers for a group it lacks.
	NoMetrics bool
	// CutLists cuts every list's answer halfway, then drops the
	// connection, as a proxy or API server that goes away mid-answer.
	CutLists bool

	cluster Cluster

	mu       sync.Mutex
	requests []string
	// patches are the bodies of the PATCH requests, by path.
	patches map[string]string
	// logs are the containers' logs, by Cluster.Logs' keys.
	logs map[string][]logLine
	// events are the events' changes, oldest first, each at its
	// resourceVersion, the one after the last: Cluster.Events' at 1, 2…
	events []eventChange
	// changed is closed, and replaced, when an event is added.
	changed chan struct{}
	// compacted is the oldest resourceVersion a watch may start from;
	// goneAsStatus answers an older one with a 410 status rather than a
	// watch event of it.
	compacted    int
	goneAsStatus bool
	// cutAfter, when above 0, cuts the next watch after so many events.
	cutAfter int
}

// eventChange is an event added or modified, at its resourceVersion.
type eventChange struct {
	rv    int
	typ   string
	event corev1.Event
}

// LogStart and LogStep time a Cluster's log lines: several lines share a
// second, as a busy container's do, to test what sinceTime's seconds
// precision brings back twice.
var LogStart = time.Date(2026, 5, 4, 11, 59, 0, 0, time.UTC)

const LogStep = 250 * time.Millisecond

// logLine is a line of a container's log and when it was written.
type logLine struct {
	at   time.Time
	text string
}

var (
	deploymentsPath = regexp.MustCompile(`^/apis/apps/v1(?:/namespaces/([^/]+))?/deployments$`)
	podsPath        = regexp.MustCompile(`^/api/v1(?:/namespaces/([^/]+))?/pods$`)
	podPath         = regexp.MustCompile(`^/api/v1/namespaces/([^/]+)/pods/([^/]+)$`)
	logPath         = regexp.MustCompile(`^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$`)
	eventsPath      = regexp.MustCompile(`^/api/v1/namespaces/([^/]+)/events$`)
	deploymentPath  = regexp.MustCompile(`^/apis/apps/v1/namespaces/([^/]+)/deployments/([^/]+)$`)
	otherPath       = regexp.MustCompile(`^/apis?/(?:([^/]+)/)?(v[^/]+)(?:/namespaces/([^/]+))?/([^/]+)$`)
)

// NewServer starts an API server over TLS that serves c to the bearer
// token; t's cleanup closes it.
func NewServer(t testing.TB, token string, c Cluster) *Server {
	t.Helper()
	s := &Server{Token: token, cluster: c, patches: map[string]string{}, logs: map[string][]logLine{}, changed: make(chan struct{})}
	for _, e := range c.Events.Items {
		s.addEvent(e)
	}
	for key, text := range c.Logs {
		lines := []logLine{}
		if text != "" {
			for i, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				lines = append(lines, logLine{at: LogStart.Add(time.Duration(i) * LogStep), text: l})
			}
		}
		s.logs[key] = lines
	}
	s.Server = NewTLSServer(t, http.HandlerFunc(s.serve))
	return s
}

// NewTLSServer starts h over TLS on loopback, quiet about connections the
// client still dials when it is closed.
func NewTLSServer(t testing.TB, h http.Handler) *httptest.Server {
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// CA is the PEM of the certificate a kubeconfig trusts for s.
func CA(s *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

// Requests are the requests the server got, in order, as
// "METHOD path labelSelector".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// AppendLog writes line to the log of key ("namespace/pod/container"),
// LogStep after its last line; false when there is no such log.
func (s *Server) AppendLog(key, line string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines, ok := s.logs[key]
	if !ok {
		return false
	}
	at := LogStart
	if len(lines) > 0 {
		at = lines[len(lines)-1].at.Add(LogStep)
	}
	s.logs[key] = append(lines, logLine{at: at, text: line})
	return true
}

// AddEvent adds e, or modifies the event of its namespace and name, at
// the next resourceVersion, which it returns; watches see it at once.
func (s *Server) AddEvent(e corev1.Event) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addEvent(e)
}

func (s *Server) addEvent(e corev1.Event) string {
	typ := "ADDED"
	for _, c := range s.events {
		if c.event.Namespace == e.Namespace && c.event.Name == e.Name {
			typ = "MODIFIED"
		}
	}
	rv := len(s.events) + 1
	e.ResourceVersion = strconv.Itoa(rv)
	e.Kind, e.APIVersion = "Event", "v1"
	s.events = append(s.events, eventChange{rv: rv, typ: typ, event: e})
	close(s.changed)
	s.changed = make(chan struct{})
	return e.ResourceVersion
}

// Compact forgets the events' history up to now, as etcd's compaction
// does: a watch from an older resourceVersion is answered 410 Gone, as
// an ERROR watch event (what the API server sends) or, asStatus, as the
// answer's status.
func (s *Server) Compact(asStatus bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compacted, s.goneAsStatus = len(s.events), asStatus
}

// CutWatch cuts the next watch after n events: it sends half of the one
// after, then drops the connection, as a proxy that goes away.
func (s *Server) CutWatch(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cutAfter = n
}

// Patch is the body of the last PATCH of path, "" when there was none.
func (s *Server) Patch(path string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.patches[path]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	selector := r.URL.Query().Get("labelSelector")
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path+" "+selector)
	s.mu.Unlock()

	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		WriteStatus(w, http.StatusUnauthorized, metav1.StatusReasonUnauthorized, "Unauthorized")
		return
	}
	if serveDiscovery(w, r) || s.serveOne(w, r) {
		return
	}
	if s.NoMetrics && strings.HasPrefix(r.URL.Path, "/apis/metrics.k8s.io/") {
		WriteStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, "the server could not find the requested resource")
		return
	}
	if s.CutLists {
		cw := &cutWriter{ResponseWriter: w}
		defer cw.drop()
		w = cw
	}
	sel, err := labels.Parse(selector)
	if err != nil {
		WriteStatus(w, http.StatusBadRequest, metav1.StatusReasonBadRequest, fmt.Sprintf("unable to parse requirement: %v", err))
		return
	}
	list, ok := s.list(w, r, sel)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(list)
}

// list is the list r asks for; false when it answered otherwise.
func (s *Server) list(w http.ResponseWriter, r *http.Request, sel labels.Selector) (any, bool) {
	c := &s.cluster
	get := r.Method == http.MethodGet
	if m := deploymentsPath.FindStringSubmatch(r.URL.Path); m != nil && get {
		out := c.Deployments
		out.Items = matching(c.Deployments.Items, m[1], sel, func(d *appsv1.Deployment) *metav1.ObjectMeta { return &d.ObjectMeta })
		return out, true
	}
	if m := podsPath.FindStringSubmatch(r.URL.Path); m != nil && get {
		out := c.Pods
		out.Items = matching(c.Pods.Items, m[1], sel, func(p *corev1.Pod) *metav1.ObjectMeta { return &p.ObjectMeta })
		return out, true
	}
	m := otherPath.FindStringSubmatch(r.URL.Path)
	if m != nil {
		if msg, ok := c.Forbidden[m[3]+"/"+m[4]]; ok {
			WriteStatus(w, http.StatusForbidden, metav1.StatusReasonForbidden, msg)
			return nil, false
		}
	}
	if m == nil || !get || c.Others[m[1]+"/"+m[2]+"/"+m[4]] == nil {
		WriteStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, "the server could not find the requested resource")
		return nil, false
	}
	items := []json.RawMessage{}
	for _, o := range c.Others[m[1]+"/"+m[2]+"/"+m[4]] {
		var meta struct {
			Metadata metav1.ObjectMeta `json:"metadata"`
		}
		_ = json.Unmarshal([]byte(o), &meta)
		if (m[3] == "" || meta.Metadata.Namespace == m[3]) && sel.Matches(labels.Set(meta.Metadata.Labels)) {
			items = append(items, json.RawMessage(o))
		}
	}
	return map[string]any{"kind": "List", "apiVersion": "v1", "metadata": map[string]any{}, "items": items}, true
}

// serveOne answers the requests about one object: a pod or deployment, a
// container's log (its last tailLines lines, at most limitBytes), an
// object's events (by the fieldSelector), and a strategic merge patch of
// a deployment.
func (s *Server) serveOne(w http.ResponseWriter, r *http.Request) bool {
	get := r.Method == http.MethodGet
	if m := podPath.FindStringSubmatch(r.URL.Path); m != nil && get {
		writeFound(w, "pods", m[2], find(s.cluster.Pods.Items, m[1], m[2], func(p *corev1.Pod) *metav1.ObjectMeta { return &p.ObjectMeta }),
			metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"})
		return true
	}
	if m := logPath.FindStringSubmatch(r.URL.Path); m != nil && get {
		s.serveLog(w, r.URL.Query(), m[1], m[2])
		return true
	}
	if m := eventsPath.FindStringSubmatch(r.URL.Path); m != nil && get {
		s.serveEvents(w, r, m[1])
		return true
	}
	m := deploymentPath.FindStringSubmatch(r.URL.Path)
	if m == nil || !get && r.Method != http.MethodPatch {
		return false
	}
	d := find(s.cluster.Deployments.Items, m[1], m[2], func(d *appsv1.Deployment) *metav1.ObjectMeta { return &d.ObjectMeta })
	if r.Method == http.MethodPatch {
		if ct := r.Header.Get("Content-Type"); ct != "application/strategic-merge-patch+json" {
			WriteStatus(w, http.StatusUnsupportedMediaType, metav1.StatusReasonUnsupportedMediaType, "the body of the request was in an unknown format: "+ct)
			return true
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if d != nil {
			s.mu.Lock()
			s.patches[r.URL.Path] = string(body)
			s.mu.Unlock()
		}
	}
	writeFound(w, "deployments.apps", m[2], d, metav1.TypeMeta{Kind: "Deployment", APIVersion: "apps/v1"})
	return true
}

// matching are the items in namespace ns ("" for all) whose labels sel
// matches.
func matching[T any](items []T, ns string, sel labels.Selector, meta func(*T) *metav1.ObjectMeta) []T {
	var out []T
	for i := range items {
		if m := meta(&items[i]); (ns == "" || m.Namespace == ns) && sel.Matches(labels.Set(m.Labels)) {
			out = append(out, items[i])
		}
	}
	return out
}

// find is the item of items in namespace ns named name, nil when none is.
func find[T any](items []T, ns, name string, meta func(*T) *metav1.ObjectMeta) *T {
	for i := range items {
		if m := meta(&items[i]); m.Namespace == ns && m.Name == name {
			return &items[i]
		}
	}
	return nil
}

// writeFound answers with a copy of obj of kind tm, or that the resource
// named name was not found when obj is nil.
func writeFound[T any](w http.ResponseWriter, resource, name string, obj *T, tm metav1.TypeMeta) {
	if obj == nil {
		WriteStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, fmt.Sprintf("%s %q not found", resource, name))
		return
	}
	b, _ := json.Marshal(obj)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	out["kind"], out["apiVersion"] = tm.Kind, tm.APIVersion
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// serveLog answers a container's log as the kubelet does: the lines at
// or after sinceTime (RFC 3339, seconds), then the last tailLines of
// them, each after its RFC 3339 nanosecond time when timestamps is true,
// then at most limitBytes.
func (s *Server) serveLog(w http.ResponseWriter, q url.Values, ns, pod string) {
	key := ns + "/" + pod + "/" + q.Get("container")
	if q.Get("previous") == "true" {
		key += "/previous"
	}
	s.mu.Lock()
	lines, ok := s.logs[key]
	lines = slices.Clone(lines)
	s.mu.Unlock()
	if !ok {
		WriteStatus(w, http.StatusBadRequest, metav1.StatusReasonBadRequest, fmt.Sprintf("previous terminated container %q in pod %q not found", q.Get("container"), pod))
		return
	}
	if v := q.Get("sinceTime"); v != "" {
		since, err := time.Parse(time.RFC3339, v)
		if err != nil {
			WriteStatus(w, http.StatusBadRequest, metav1.StatusReasonBadRequest, fmt.Sprintf("sinceTime: %v", err))
			return
		}
		lines = slices.DeleteFunc(lines, func(l logLine) bool { return l.at.Before(since) })
	}
	if n, err := strconv.Atoi(q.Get("tailLines")); err == nil && n < len(lines) {
		lines = lines[len(lines)-n:]
	}
	var b strings.Builder
	for _, l := range lines {
		if q.Get("timestamps") == "true" {
			b.WriteString(l.at.Format(time.RFC3339Nano) + " ")
		}
		b.WriteString(l.text + "\n")
	}
	out := b.String()
	if n, err := strconv.Atoi(q.Get("limitBytes")); err == nil && n < len(out) {
		out = out[:n]
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, out)
}

// serveEvents answers the events of namespace ns the fieldSelector
// picks: their list, at the newest resourceVersion, or their watch.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request, ns string) {
	q := r.URL.Query()
	sel, err := fields.ParseSelector(q.Get("fieldSelector"))
	if err != nil {
		WriteStatus(w, http.StatusBadRequest, metav1.StatusReasonBadRequest, err.Error())
		return
	}
	if q.Get("watch") == "1" || q.Get("watch") == "true" {
		s.serveWatch(w, r, ns, sel)
		return
	}
	s.mu.Lock()
	out := corev1.EventList{TypeMeta: metav1.TypeMeta{Kind: "EventList", APIVersion: "v1"}, ListMeta: metav1.ListMeta{ResourceVersion: strconv.Itoa(len(s.events))}}
	for _, e := range s.current() {
		if e.Namespace == ns && picks(sel, &e) {
			out.Items = append(out.Items, e)
		}
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// current are the events as they are now, in the order they were added.
func (s *Server) current() []corev1.Event {
	var out []corev1.Event
	at := map[string]int{}
	for _, c := range s.events {
		key := c.event.Namespace + "/" + c.event.Name
		if i, ok := at[key]; ok {
			out[i] = c.event
			continue
		}
		at[key] = len(out)
		out = append(out, c.event)
	}
	return out
}

func picks(sel fields.Selector, e *corev1.Event) bool {
	return sel.Matches(fields.Set{"involvedObject.kind": e.InvolvedObject.Kind, "involvedObject.name": e.InvolvedObject.Name})
}

// serveWatch answers a watch of events as the API server does: a stream
// of newline-delimited watch events, each change of an event the
// selector picks after resourceVersion, as it happens, until
// timeoutSeconds (default 30) pass, then a BOOKMARK at the newest
// resourceVersion when allowWatchBookmarks is true. A resourceVersion
// older than the compaction point is 410 Gone; a watch RBAC refuses is
// 403. CutWatch cuts it.
func (s *Server) serveWatch(w http.ResponseWriter, r *http.Request, ns string, sel fields.Selector) {
	q := r.URL.Query()
	if msg, ok := s.cluster.ForbiddenWatches[ns+"/events"]; ok {
		WriteStatus(w, http.StatusForbidden, metav1.StatusReasonForbidden, msg)
		return
	}
	from, err := strconv.Atoi(q.Get("resourceVersion"))
	if err != nil {
		WriteStatus(w, http.StatusBadRequest, metav1.StatusReasonBadRequest, fmt.Sprintf("resourceVersion %q: give the one of a list", q.Get("resourceVersion")))
		return
	}
	timeout := 30 * time.Second
	if n, err := strconv.Atoi(q.Get("timeoutSeconds")); err == nil && n > 0 {
		timeout = time.Duration(n) * time.Second
	}
	s.mu.Lock()
	compacted, asStatus := s.compacted, s.goneAsStatus
	s.mu.Unlock()
	gone := metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: metav1.StatusFailure,
		Message: fmt.Sprintf("too old resource version: %d (%d)", from, compacted), Reason: metav1.StatusReasonExpired, Code: http.StatusGone}
	if from < compacted && asStatus {
		WriteStatus(w, http.StatusGone, gone.Reason, gone.Message)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	flusher := w.(http.Flusher)
	enc := json.NewEncoder(w)
	if from < compacted {
		_ = enc.Encode(map[string]any{"type": "ERROR", "object": gone})
		return
	}
	flusher.Flush()
	end := time.NewTimer(timeout)
	defer end.Stop()
	sent := 0
	for {
		s.mu.Lock()
		changes, changed, newest := slices.Clone(s.events[min(from, len(s.events)):]), s.changed, len(s.events)
		s.mu.Unlock()
		for _, c := range changes {
			if c.event.Namespace != ns || !picks(sel, &c.event) {
				continue
			}
			line, _ := json.Marshal(map[string]any{"type": c.typ, "object": c.event})
			s.mu.Lock()
			cut := s.cutAfter > 0 && sent == s.cutAfter
			if cut {
				s.cutAfter = 0
			}
			s.mu.Unlock()
			if cut {
				_, _ = w.Write(line[:len(line)/2])
				flusher.Flush()
				panic(http.ErrAbortHandler)
			}
			_, _ = w.Write(append(line, '\n'))
			sent++
		}
		flusher.Flush()
		from = newest
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-end.C:
			if q.Get("allowWatchBookmarks") == "true" {
				_ = enc.Encode(map[string]any{"type": "BOOKMARK", "object": map[string]any{"kind": "Event", "apiVersion": "v1", "metadata": map[string]string{"resourceVersion": strconv.Itoa(newest)}}})
			}
			return
		}
	}
}

// cutWriter sends half of what is written, after a Content-Length for
// all of it; drop then closes the connection, so the client reads an
// answer cut short.
type cutWriter struct {
	http.ResponseWriter
	code int
	body []byte
}

func (c *cutWriter) WriteHeader(code int) { c.code = code }

func (c *cutWriter) Write(b []byte) (int, error) {
	c.body = append(c.body, b...)
	return len(b), nil
}

func (c *cutWriter) drop() {
	c.Header().Set("Content-Length", strconv.Itoa(len(c.body)))
	c.ResponseWriter.WriteHeader(cmp.Or(c.code, http.StatusOK))
	_, _ = c.ResponseWriter.Write(c.body[:len(c.body)/2])
	c.ResponseWriter.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

// WriteStatus answers with a Status object, as the API server does.
func WriteStatus(w http.ResponseWriter, code int, reason metav1.StatusReason, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure, Message: message, Reason: reason, Code: int32(code),
	})
}
