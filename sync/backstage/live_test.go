//go:build backstagelive

package backstage

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/internal/procstat"
	"github.com/callboard/callboard/sync/backstage/backstagetest"
)

// TestRecordPeer reads a real Backstage backend (conformance/backstage-source/peer.sh,
// run by `make conformance-backstage-source`) through each stage the
// replay tests use, recording its answers into testdata/peer with what
// @backstage/catalog-client reads at each stage (<stage>.oracle.jsonl):
// first (a whole read, an idle read, a wrong token), edited (one entity's
// description changed in its file) and deleted (one entity removed).
func TestRecordPeer(t *testing.T) {
	base, token, cat, app := os.Getenv("CBSRC_URL"), os.Getenv("CBSRC_TOKEN"), os.Getenv("CBSRC_CAT"), os.Getenv("CBSRC_APP")
	if base == "" || token == "" || cat == "" || app == "" {
		t.Fatal("CBSRC_URL, CBSRC_TOKEN, CBSRC_CAT and CBSRC_APP name the peer; run make conformance-backstage-source")
	}
	ctx := context.Background()
	out := filepath.Join("testdata", "peer")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	rec := &backstagetest.Recorder{Next: http.DefaultTransport, Token: token}
	c, err := New(base, Options{Token: token, Transport: rec})
	if err != nil {
		t.Fatal(err)
	}
	oracle := func(stage string) {
		cmd := exec.Command("node", filepath.Join(app, "oracle.cjs"), base, token)
		cmd.Dir = app
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("oracle: %v", err)
		}
		if err := os.WriteFile(filepath.Join(out, stage+".oracle.jsonl"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	save := func(stage string) {
		if err := rec.Save(filepath.Join(out, stage+".jsonl")); err != nil {
			t.Fatal(err)
		}
	}

	settle(t, base, token)
	ch, err := c.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := c.NewState(ch.Changed)
	if ch, err = c.Read(ctx, &st); err != nil || !ch.Idle() {
		t.Fatalf("idle read: %v, %+v", err, ch)
	}
	wrong, _ := New(base, Options{Token: "not-the-token", Transport: rec})
	if _, err := wrong.Read(ctx, nil); err == nil {
		t.Fatal("a wrong token was accepted")
	}
	oracle("first")
	stillSettled(t, base, token, st)
	save("first")

	// An entity edited in its source file appears at the next read.
	file, name := firstComponent(t, cat)
	b, _ := os.ReadFile(file)
	edited := regexp.MustCompile(`(?m)^  description: .*$`).ReplaceAll(b, []byte("  description: Edited for the backstage-source conformance run."))
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, base, token, "component:default/"+name, func(e map[string]any) bool {
		md, _ := e["metadata"].(map[string]any)
		return md != nil && strings.HasPrefix(fmt.Sprint(md["description"]), "Edited")
	})
	settle(t, base, token)
	ch, err = c.Read(ctx, &st)
	if err != nil || len(ch.Changed) == 0 {
		t.Fatalf("edited read: %v, %+v", err, ch)
	}
	st = c.NewState(append(ch.Unchanged, ch.Changed...))
	oracle("edited")
	stillSettled(t, base, token, st)
	save("edited")

	// An entity no Location lists any more disappears (the peer deletes
	// orphans).
	root := filepath.Join(cat, "catalog-info.yaml")
	rb, _ := os.ReadFile(root)
	rel, err := filepath.Rel(cat, file)
	if err != nil {
		t.Fatal(err)
	}
	rel = "./" + filepath.ToSlash(rel)
	if err := os.WriteFile(root, []byte(strings.Replace(string(rb), "    - "+rel+"\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	ref := "component:default/" + name
	waitFor(t, base, token, ref, nil)
	settle(t, base, token)
	ch, err = c.Read(ctx, &st)
	if err != nil || len(ch.Removed) == 0 {
		t.Fatalf("deleted read: %v, %+v", err, ch)
	}
	oracle("deleted")
	stillSettled(t, base, token, c.NewState(append(ch.Unchanged, ch.Changed...)))
	save("deleted")
}

// firstComponent is the catalog file of the gencat catalog's first
// component, in sorted order, and the component's name.
func firstComponent(t *testing.T, cat string) (file, name string) {
	dirs, err := os.ReadDir(filepath.Join(cat, "components"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no components in %s: %v", cat, err)
	}
	return filepath.Join(cat, "components", dirs[0].Name(), "catalog-info.yaml"), dirs[0].Name()
}

// waitFor polls the backend until entity ref passes ok (ok nil: until it
// is gone), for up to two minutes, and returns it.
func waitFor(t *testing.T, base, token, ref string, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		body := strings.NewReader(fmt.Sprintf(`{"entityRefs":[%q]}`, ref))
		req, _ := http.NewRequest(http.MethodPost, base+"/api/catalog/entities/by-refs", body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			var got struct{ Items []map[string]any }
			err = json.NewDecoder(resp.Body).Decode(&got)
			resp.Body.Close()
			if err == nil && len(got.Items) == 1 {
				e := got.Items[0]
				if ok == nil && e == nil || ok != nil && e != nil && ok(e) {
					return e
				}
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("%s did not reach the state waited for", ref)
	return nil
}

// etags are every entity's etag, read without recording.
func etags(t *testing.T, base, token string) State {
	t.Helper()
	c, err := New(base, Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	var all []Entity
	if err := c.pages(context.Background(), true, func(es []Entity) error { all = append(all, es...); return nil }); err != nil {
		t.Fatal(err)
	}
	return c.NewState(all)
}

// settle waits until the backend's processing is done with a change: no
// etag moves for twice its processing interval (2 s).
func settle(t *testing.T, base, token string) {
	t.Helper()
	prev := etags(t, base, token)
	for range 60 {
		time.Sleep(5 * time.Second)
		next := etags(t, base, token)
		if maps.Equal(prev.ETags, next.ETags) {
			return
		}
		prev = next
	}
	t.Fatal("the backend did not settle")
}

// stillSettled fails when the backend changed since st was read: the
// oracle may then have read something else than the recording.
func stillSettled(t *testing.T, base, token string, st State) {
	t.Helper()
	if now := etags(t, base, token); !maps.Equal(now.ETags, st.ETags) {
		var moved []string
		for ref, etag := range now.ETags {
			if st.ETags[ref] != etag {
				moved = append(moved, ref)
			}
		}
		for ref := range st.ETags {
			if _, ok := now.ETags[ref]; !ok {
				moved = append(moved, ref)
			}
		}
		t.Fatalf("the backend changed while recording (%v); run again", moved)
	}
}

// BenchmarkPeerRead reads the live peer (CBSRC_URL, CBSRC_TOKEN; its
// node process CBSRC_PID) whole, then idle by etag, and reports time,
// requests, MiB and the peer's CPU spent serving each.
func BenchmarkPeerRead(b *testing.B) {
	base, token := os.Getenv("CBSRC_URL"), os.Getenv("CBSRC_TOKEN")
	pid, _ := strconv.Atoi(os.Getenv("CBSRC_PID"))
	if base == "" || token == "" {
		b.Fatal("CBSRC_URL and CBSRC_TOKEN name the peer; run make conformance-backstage-source")
	}
	ctx := context.Background()
	var first, idle time.Duration
	var firstCPU, idleCPU float64
	var firstReq, idleReq, entities int
	var firstMiB float64
	for b.Loop() {
		c, err := New(base, Options{Token: token})
		if err != nil {
			b.Fatal(err)
		}
		cpu0, start := procstat.CPU(pid).Seconds(), time.Now()
		ch, err := c.Read(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		first += time.Since(start)
		firstCPU += procstat.CPU(pid).Seconds() - cpu0
		firstReq += c.Requests()
		firstMiB += float64(c.Bytes()) / (1 << 20)
		entities = len(ch.Changed)
		st := c.NewState(ch.Changed)
		r0 := c.Requests()
		cpu0, start = procstat.CPU(pid).Seconds(), time.Now()
		if ch, err = c.Read(ctx, &st); err != nil || !ch.Idle() {
			b.Fatalf("idle read: %v", err)
		}
		idle += time.Since(start)
		idleCPU += procstat.CPU(pid).Seconds() - cpu0
		idleReq += c.Requests() - r0
	}
	n := float64(b.N)
	b.ReportMetric(float64(entities), "entities")
	b.ReportMetric(first.Seconds()/n, "first-s")
	b.ReportMetric(firstCPU/n, "first-peer-cpu-s")
	b.ReportMetric(float64(firstReq)/n, "first-requests")
	b.ReportMetric(firstMiB/n, "first-MiB")
	b.ReportMetric(float64(idle.Milliseconds())/n, "idle-ms")
	b.ReportMetric(idleCPU*1000/n, "idle-peer-cpu-ms")
	b.ReportMetric(float64(idleReq)/n, "idle-requests")
	b.ReportMetric(0, "ns/op")
}
