package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/sync/gittest"
)

func TestLocationAddSyncRemove(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	repo := gittest.New(t)
	repo.Commit("catalog", map[string][]byte{"catalog-info.yaml": []byte(validComponent)})

	r := run(ctx, nil, nil, "location", "add", repo.Dir, "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "added location") || !strings.Contains(r.stdout, "ok") {
		t.Fatalf("location add = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, nil, nil, "catalog", "get", "component:default/payments", "--data-dir", dir)
	if r.code != 0 {
		t.Fatalf("the added location's entity is not there: %d %s", r.code, r.stderr)
	}
	r = run(ctx, nil, nil, "location", "add", repo.Dir, "--data-dir", dir)
	if r.code != 2 || !strings.Contains(r.stderr, "is already registered as location") {
		t.Errorf("adding twice = %d %s", r.code, r.stderr)
	}
	r = run(ctx, nil, nil, "location", "add", filepath.Join(dir, "nope"), "--data-dir", dir)
	if r.code != 2 || !strings.Contains(r.stderr, "is not a directory") {
		t.Errorf("adding a missing path = %d %s", r.code, r.stderr)
	}
	for _, url := range []string{"https://user:hunter2@git.example/org/x.git", "https://hunter2@git.example/org/x.git", "https://git.example/org/x.git?access_token=hunter2"} {
		r = run(ctx, nil, nil, "location", "add", url, "--data-dir", dir)
		if r.code != 2 || !strings.Contains(r.stderr, "the URL holds a secret") || !strings.Contains(r.stderr, "callboard token set git.example") || strings.Contains(r.stderr, "hunter2") {
			t.Errorf("adding %s = %d %s", url, r.code, r.stderr)
		}
	}

	// A location that cannot sync: exit 1 naming it, the others untouched.
	r = run(ctx, nil, nil, "location", "add", "file://"+filepath.Join(dir, "gone.git"), "--data-dir", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "location gone did not sync") {
		t.Errorf("adding an unreachable location = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, nil, nil, "sync", "--data-dir", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "location gone did not sync") {
		t.Errorf("sync with a failing location = %d %s", r.code, r.stderr)
	}

	r = run(ctx, nil, nil, "location", "list", "--data-dir", dir, "--json")
	if !strings.Contains(r.stdout, `"status": "ok"`) || !strings.Contains(r.stdout, `"status": "error"`) {
		t.Errorf("location list = %s", r.stdout)
	}
	r = run(ctx, nil, nil, "location", "remove", "gone", "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "removed location gone") {
		t.Errorf("location remove = %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, nil, nil, "location", "remove", "gone", "--data-dir", dir)
	if r.code != 2 || !strings.Contains(r.stderr, `no location "gone"`) {
		t.Errorf("removing twice = %d %s", r.code, r.stderr)
	}
	r = run(ctx, nil, nil, "sync", "--data-dir", dir)
	if r.code != 0 {
		t.Errorf("sync after removing the failing location = %d %s", r.code, r.stderr)
	}
}

// While serve runs, the scheduler syncs in the background: a commit to a
// location's repository shows up without anyone asking.
func TestBackgroundSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	repo := gittest.New(t)
	repo.Commit("catalog", map[string][]byte{"catalog-info.yaml": []byte(validComponent)})
	startServeEnv(t, dir, map[string]string{"CALLBOARD_SYNC_INTERVAL": "1s"})
	if r := run(ctx, nil, nil, "location", "add", repo.Dir, "--data-dir", dir); r.code != 0 {
		t.Fatalf("location add through the socket = %d %s", r.code, r.stderr)
	}
	repo.Commit("another", map[string][]byte{"catalog-info.yaml": []byte(strings.Replace(validComponent, "payments", "refunds", 1))})
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := run(ctx, nil, nil, "catalog", "get", "component:default/refunds", "--data-dir", dir)
		if r.code == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new commit was not synced in the background: %s", r.stderr)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r := run(ctx, nil, nil, "catalog", "get", "component:default/payments", "--data-dir", dir); r.code == 0 {
		t.Errorf("the entity the commit removed is still there")
	}
}

func TestSyncIntervalMustBeADuration(t *testing.T) {
	t.Parallel()
	r := run(context.Background(), map[string]string{"CALLBOARD_SYNC_INTERVAL": "often"}, nil, "serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	if r.code != 2 || !strings.Contains(r.stderr, `CALLBOARD_SYNC_INTERVAL="often": want a duration of at least 1s`) {
		t.Errorf("serve = %d %s", r.code, r.stderr)
	}
}

func TestProgressLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   events.SyncProgressData
		want string
	}{
		{events.SyncProgressData{LocationID: "payments", Phase: "process", Done: 120, Total: 800}, "payments: reading catalog files 120/800"},
		{events.SyncProgressData{LocationID: "payments", Phase: "fetch"}, "payments: fetching…"},
		{events.SyncProgressData{LocationID: "x", Phase: "store", Total: 3}, "x: storing 0/3"},
	}
	for _, tt := range tests {
		if got := progressLine(tt.in); got != tt.want {
			t.Errorf("progressLine(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if isTerminal(&syncBuffer{}) {
		t.Error("a buffer is not a terminal")
	}
}

// A process talking to a running instance sees its sync progress.
func TestProgressThroughTheSocket(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	startServe(t, dir)
	// The stream closes at the deadline, should the done event never come.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := apiclient.New(filepath.Join(dir, "callboard.sock"))
	ch, err := c.Subscribe(ctx, events.SyncProgress)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sync(ctx, "demo"); err != nil {
		t.Fatal(err)
	}
	var phases []string
	for ev := range ch {
		p, ok := ev.Data.(events.SyncProgressData)
		if !ok {
			t.Fatalf("%s carries %T", ev.Name, ev.Data)
		}
		phases = append(phases, p.LocationID+":"+p.Phase)
		if p.LocationID == "demo" && p.Phase == "done" {
			break
		}
	}
	if got := strings.Join(phases, " "); !strings.Contains(got, "demo:fetch") || !strings.HasSuffix(got, "demo:done") {
		t.Errorf("progress events seen: %q", got)
	}
}
