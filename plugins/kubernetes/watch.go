package kubernetes

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// Timing of a follow call's watch.
const (
	// watchWindow is how long a follow call waits for an event: the app
	// calls again about every 2 s.
	watchWindow = 2 * time.Second
	// watchGrace is how long a call still reads once an event came, for
	// those that come together.
	watchGrace = 150 * time.Millisecond
)

// paramResourceVersion is the follow's parameter: where its watch starts.
const paramResourceVersion = "resourceVersion"

// liveEvents is the log that follows an object's events from rv, the
// resourceVersion of the events shown so far; none when rv is "" (a
// server that gave no resourceVersion cannot be watched from one).
func liveEvents(p map[string]string, what, rv string) *pluginv1.Block {
	if rv == "" {
		return nil
	}
	b := sdk.Log("Live events of "+what+": Follow shows them as they come", nil, false)
	b.GetLog().Follow = eventsFollow(p, rv)
	return b
}

// eventsFollow is the follow of an object's events from rv.
func eventsFollow(p map[string]string, rv string) *pluginv1.ViewAction {
	f := eventsAction(p["context"], p["namespace"], p["kind"], p["name"])
	f.Parameters[paramResourceVersion] = rv
	f.Label = "Follow"
	return f
}

// followEvents answers a follow of an object's events: the events that
// came since its resourceVersion, read from a watch for about
// watchWindow, as lines, and the next follow from the newest
// resourceVersion seen. A watch cut short resumes from its last complete
// event; one whose resourceVersion is too old (410 Gone) lists the
// events again and shows those newer than the last shown, after a gap.
// A line that is not a watch event, or one over maxLogBytes, stops
// following with a notice, after the events read before it.
func (r *renderer) followEvents(ctx context.Context, c *clients, p map[string]string, timeout time.Duration) ([]*pluginv1.Block, error) {
	rv := p[paramResourceVersion]
	w, err := r.watchEvents(ctx, c, p, timeout)
	if err != nil && !isGone(err) {
		return nil, err
	}
	truncated := false
	if isGone(err) {
		var list corev1.EventList
		if list, err = listEvents(ctx, c, p); err != nil {
			return nil, err
		}
		w = watched{rv: list.ResourceVersion, events: newerThan(list.Items, rv)}
		truncated = true
	}
	what := strings.ToLower(p["kind"]) + " " + p["namespace"] + "/" + p["name"]
	lines := make([]string, 0, len(w.events))
	for i := range w.events {
		lines = append(lines, r.eventLine(&w.events[i]))
	}
	log := sdk.Log(fmt.Sprintf("Live events of %s: %d new", what, len(lines)), lines, truncated)
	if w.stop != "" {
		return []*pluginv1.Block{log, sdk.Notice(fmt.Sprintf("Cluster %s: the watch of events in %s sent %s: following stopped.", p["context"], p["namespace"], w.stop), pluginv1.Status_STATUS_WARNING)}, nil
	}
	log.GetLog().Follow = eventsFollow(p, cmp.Or(w.rv, rv))
	return []*pluginv1.Block{log}, nil
}

// watched is what a follow call read of a watch: the events to show, in
// order, the newest resourceVersion seen (bookmarks' too), and, when
// set, why following stops.
type watched struct {
	events []corev1.Event
	rv     string
	stop   string
}

// watchEvent is one line of a watch.
type watchEvent struct {
	Type   string          `json:"type"`
	Object json.RawMessage `json:"object"`
}

// errCut is a watch that ended inside a line.
var errCut = errors.New("the watch ended mid-line")

// watchEvents reads the watch of an object's events from the follow's
// resourceVersion: until the server ends it, watchGrace after the first
// event, or watchWindow when none comes, at most maxLogBytes and
// maxEvents. An error is the watch refused or failed; 410 Gone among
// them (isGone), as a status or an ERROR event.
func (r *renderer) watchEvents(ctx context.Context, c *clients, p map[string]string, timeout time.Duration) (watched, error) {
	window := min(r.watchWindow, timeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	body, err := c.core.Get().Namespace(p["namespace"]).Resource("events").
		Param("watch", "1").Param(paramResourceVersion, p[paramResourceVersion]).Param("allowWatchBookmarks", "true").
		// The server ends the watch as the window does, with a bookmark.
		Param("timeoutSeconds", strconv.Itoa(int(math.Ceil(window.Seconds())))).
		Param("fieldSelector", eventSelector(p)).Stream(ctx)
	if err != nil {
		return watched{}, asked(err, "watch", "events", p["namespace"])
	}
	defer body.Close()

	lines := make(chan []byte)
	done := make(chan error, 1)
	counted := &countingReader{r: io.LimitReader(body, maxLogBytes)}
	go func() {
		sc := bufio.NewScanner(counted)
		sc.Buffer(make([]byte, 0, 4<<10), maxLogBytes)
		sc.Split(completeLines)
		for sc.Scan() {
			select {
			case lines <- bytes.Clone(sc.Bytes()):
			case <-ctx.Done():
				return
			}
		}
		done <- sc.Err()
	}()
	var w watched
	deadline := time.NewTimer(window + time.Second)
	defer deadline.Stop()
	var grace <-chan time.Time
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				// The cluster's timeout: what came before it is kept.
				return w, nil
			}
			return watched{}, ctx.Err()
		case <-deadline.C:
			return w, nil
		case <-grace:
			return w, nil
		case err := <-done:
			if errors.Is(err, bufio.ErrTooLong) || errors.Is(err, errCut) && counted.n >= maxLogBytes {
				if len(w.events) == 0 {
					w.stop = fmt.Sprintf("a line over %d KB", maxLogBytes>>10)
				}
				return w, nil
			}
			if err != nil && !errors.Is(err, errCut) {
				// A connection dropped: the next call resumes.
				r.logger.Debug("watch ended", "context", p["context"], "error", err)
			}
			return w, nil
		case line := <-lines:
			var ev watchEvent
			var e corev1.Event
			if err := json.Unmarshal(line, &ev); err != nil || ev.Type == "" {
				w.stop = fmt.Sprintf("line %d that is not a watch event (%s)", n, clipTo(string(line), 60))
				return w, nil
			}
			if ev.Type == "ERROR" {
				var st metav1.Status
				if err := json.Unmarshal(ev.Object, &st); err != nil || st.Code == 0 {
					w.stop = fmt.Sprintf("an ERROR event that is not a status (%s)", clipTo(string(ev.Object), 60))
					return w, nil
				}
				return w, asked(&apierrors.StatusError{ErrStatus: st}, "watch", "events", p["namespace"])
			}
			if err := json.Unmarshal(ev.Object, &e); err != nil {
				w.stop = fmt.Sprintf("a %s event that is not an Event (%v)", ev.Type, err)
				return w, nil
			}
			if e.ResourceVersion != "" {
				w.rv = e.ResourceVersion
			}
			if ev.Type != "ADDED" && ev.Type != "MODIFIED" {
				// A BOOKMARK moves the resourceVersion only; an event
				// DELETED has expired, which is no news.
				continue
			}
			w.events = append(w.events, e)
			if len(w.events) >= maxEvents {
				return w, nil
			}
			if grace == nil {
				grace = time.After(r.watchGrace)
			}
		}
	}
}

// completeLines splits a watch into its lines, without the newline; a
// last line without one is errCut.
func completeLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return 0, nil, errCut
	}
	return 0, nil, nil
}

// countingReader counts what was read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += n
	return n, err
}

// isGone is a watch from a resourceVersion the API server no longer has.
func isGone(err error) bool {
	var st apierrors.APIStatus
	return errors.As(err, &st) && st.Status().Code == http.StatusGone
}

// newerThan are the events of a list after resourceVersion rv, oldest
// first, the last maxEvents of them. etcd's resourceVersions are
// increasing numbers; when one is not, every event is newer.
func newerThan(items []corev1.Event, rv string) []corev1.Event {
	after, err := strconv.ParseInt(rv, 10, 64)
	version := func(e *corev1.Event) int64 {
		v, verr := strconv.ParseInt(e.ResourceVersion, 10, 64)
		if err != nil || verr != nil {
			return math.MaxInt64
		}
		return v
	}
	out := slices.DeleteFunc(slices.Clone(items), func(e corev1.Event) bool { return version(&e) <= after })
	slices.SortStableFunc(out, func(a, b corev1.Event) int { return cmp.Compare(version(&a), version(&b)) })
	return out[max(0, len(out)-maxEvents):]
}

// eventLine is an event as kubectl get events --watch shows it: when it
// was last seen, in the plugin's time zone, its type and reason, the
// object and the message, with the count when it repeated.
func (r *renderer) eventLine(e *corev1.Event) string {
	at := "--:--:--"
	if t := lastSeen(e); !t.IsZero() {
		at = t.In(r.now().Location()).Format(time.TimeOnly)
	}
	line := fmt.Sprintf("%s %s %s %s/%s: %s", at, cmp.Or(e.Type, corev1.EventTypeNormal), e.Reason, strings.ToLower(e.InvolvedObject.Kind), e.InvolvedObject.Name, clip(e.Message))
	if e.Count > 1 {
		line += fmt.Sprintf(" (×%d)", e.Count)
	}
	return line
}
