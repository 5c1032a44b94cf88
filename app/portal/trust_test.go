package portal

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// A template cannot send the user's all-hosts token anywhere: publishing
// to a host with no location and not trusted is refused, a pending push
// recorded before hosts were checked is not attempted, and the host the
// user registered still gets the token, for syncs and new projects. Both
// hosts are TLS listeners on 127.0.0.1 recording every request; the test
// runs in a process of its own, whose system roots trust them.
func TestPublishSendsTokensOnlyToTrustedHosts(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperTrustedPublish$", "-test.v")
	cmd.Env = append(os.Environ(), "CALLBOARD_PUBLISH_HELPER=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestHelperTrustedPublish") {
		t.Fatalf("helper: %v\n%s", err, out)
	}
}

// requests records what reached one host.
type requests struct {
	mu   sync.Mutex
	auth []string // each request's Authorization header
}

func (r *requests) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.auth)
}

// TestHelperTrustedPublish is not a test: TestPublishSendsTokensOnlyToTrustedHosts
// runs it in a process of its own.
func TestHelperTrustedPublish(t *testing.T) {
	if os.Getenv("CALLBOARD_PUBLISH_HELPER") == "" {
		t.Skip("only run by TestPublishSendsTokensOnlyToTrustedHosts")
	}
	const token = "all-hosts-token-value"
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: remote-team\nspec:\n  type: team\n  children: []\n")})
	root := filepath.Dir(repo.Bare())
	gittest.Git(t, root, "init", "-q", "--bare", "me/ferry.git")
	gittest.Git(t, filepath.Join(root, "me/ferry.git"), "config", "http.receivepack", "true")
	serve := func() (string, []byte, *requests) {
		seen := &requests{}
		url, cert := gittest.HTTPSBackend(t, root, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			seen.mu.Lock()
			seen.auth = append(seen.auth, r.Header.Get("Authorization"))
			seen.mu.Unlock()
			if _, pass, ok := r.BasicAuth(); !ok || pass != token {
				w.Header().Set("WWW-Authenticate", `Basic realm="private"`)
				http.Error(w, "authentication required", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
		return url, cert, seen
	}
	trustedURL, trustedCert, trustedSeen := serve()
	otherURL, otherCert, otherSeen := serve()
	certs := filepath.Join(t.TempDir(), "certs.pem")
	if err := os.WriteFile(certs, append(trustedCert, otherCert...), 0o600); err != nil {
		t.Fatal(err)
	}
	// Read once, at the first TLS handshake, which is still to come.
	os.Setenv("SSL_CERT_FILE", certs)

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	s, _ := newService(t, func(c *Config) {
		c.DataDir = dir
		creds := gitfetch.Credentials{Tokens: gitfetch.Tokens{All: token}, Trusted: Trust{c.DB}.TrustsHost}
		c.Syncer = syncer.New(c.DB, filepath.Join(dir, "clones"), creds, &events.Bus{}, quiet, nil)
	})
	if err := s.EnsureDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, DemoLocationID); err != nil {
		t.Fatal(err)
	}

	// The registered host gets the token.
	loc, err := s.AddLocation(ctx, NewLocation{URL: trustedURL + "/remote.git"})
	if err != nil {
		t.Fatal(err)
	}
	locs, err := s.Sync(ctx, loc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locs {
		if l.ID == loc.ID && (l.Status != "ok" || l.LastError != "") {
			t.Errorf("sync of the registered host: %s %q", l.Status, l.LastError)
		}
	}

	// A template publishing to the other host is refused, dry run or not.
	otherHost := strings.TrimPrefix(otherURL, "https://")
	values := func(host string) []byte {
		return []byte(`{"name":"ferry","description":"Ferries","owner":"group:default/team-lighthouse","system":"ferries","repoUrl":"` + host + `?owner=me&repo=ferry"}`)
	}
	for _, dryRun := range []bool{true, false} {
		run, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:go-service", Values: values(otherHost), DryRun: dryRun, Target: filepath.Join(t.TempDir(), "ferry"), Wait: true})
		if err != nil || run.Status != "failed" || !strings.Contains(run.Error, otherHost+" is not a trusted git host") {
			t.Errorf("publish to the other host (dry run %v): %s %q, %v", dryRun, run.Status, run.Error, err)
		}
	}

	// A push left pending before hosts were checked is not attempted.
	old := gittest.New(t)
	old.Commit("first", map[string][]byte{"README.md": []byte("# ferry\n")})
	gittest.Git(t, old.Dir, "remote", "add", "origin", otherURL+"/me/ferry.git")
	pending := store.Run{ID: "20240101T000000.000-00000000", Template: "template:default/go-service", Title: "Go service", Target: old.Dir, Status: "completed",
		Started: time.Now().UTC(), Publish: []store.RunPublish{{Remote: otherURL + "/me/ferry.git", Branch: "main", Status: "pending"}}}
	if err := s.templates.saveRun(ctx, pending); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, ""); err != nil {
		t.Fatal(err)
	}
	after, err := s.ScaffoldRun(ctx, pending.ID)
	if err != nil || after.Publish[0].Status != "pending" || !strings.Contains(after.Publish[0].Error, otherHost+" is not a trusted git host, so nothing is pushed there") {
		t.Errorf("the old pending push: %+v, %v", after.Publish, err)
	}

	// Publishing to the registered host pushes, with the token.
	run, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:go-service", Values: values(strings.TrimPrefix(trustedURL, "https://")), Target: filepath.Join(t.TempDir(), "ferry"), Wait: true})
	if err != nil || run.Status != "completed" || len(run.Publish) != 1 || run.Publish[0].Status != "pushed" {
		t.Errorf("publish to the registered host: %+v, %v", run, err)
	}
	if got := gittest.Git(t, filepath.Join(root, "me/ferry.git"), "rev-parse", "main"); len(strings.TrimSpace(got)) != 40 {
		t.Errorf("the registered host has no main branch: %q", got)
	}

	if got := otherSeen.all(); len(got) != 0 {
		t.Errorf("the other host was sent %d requests (Authorization %q)", len(got), got)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("callboard:"+token))
	if got := trustedSeen.all(); !slices.Contains(got, want) {
		t.Errorf("the registered host never got the token: %q", got)
	}
}
