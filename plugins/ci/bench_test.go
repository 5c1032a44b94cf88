package ci

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/callboard/callboard/plugins/host"
)

// startHost installs the plugin, built from testdata/serve, in a host
// whose settings point it at api with the test token.
func startHost(b *testing.B, api string) *host.Host {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "ci")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	program := filepath.Join(dir, "plugin")
	if out, err := exec.Command("go", "build", "-o", program, "./testdata/serve").CombinedOutput(); err != nil {
		b.Fatal(errors.New(string(out)))
	}
	data, err := os.ReadFile(program)
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256(data)
	m, _ := json.Marshal(host.Manifest{Name: "ci", Version: "1.0.0", Command: "plugin", SHA256: hex.EncodeToString(sum[:]), ExtensionPoints: []string{host.PointEntityContent}})
	if err := os.WriteFile(filepath.Join(dir, host.ManifestFile), m, 0o644); err != nil {
		b.Fatal(err)
	}
	cacheDir := b.TempDir()
	h := host.New(host.Options{Installed: filepath.Dir(dir), Env: []string{"PATH=" + os.Getenv("PATH")}, CallTimeout: 10 * time.Second,
		Settings: func(context.Context, string, []string) (host.Settings, error) {
			return host.Settings{Enabled: true, Config: map[string]string{keyAPIURL: api, keyCacheDir: cacheDir}, Secrets: map[string]string{keyToken: testToken}}, nil
		}})
	if err := h.Load(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(h.Close)
	return h
}

// BenchmarkJobLog is a job's "Log" button pressed in the window, from the
// host on: the host checks the offer and calls the plugin process over
// gRPC; the plugin asks the fake GitHub on loopback for the job's steps
// and its log, follows the redirect to the storage server, reads the
// 2 MiB log keeping its last 2 MiB, splits it by step and cleans it; the
// host checks and cleans the answer. Issue 25 asks for at most 200 ms.
func BenchmarkJobLog(b *testing.B) {
	gh := newFakeGitHub(b)
	newFakeJobs(b, gh)
	h := startHost(b, gh.srv.URL)
	ctx := context.Background()
	ent := host.Entity{Kind: "Component", Annotations: map[string]string{slugAnnotation: "acme/payments"},
		JSON: []byte(`{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"payments","annotations":{"github.com/project-slug":"acme/payments"}},"spec":{"type":"service"}}`)}
	if c := h.EntityContent(ctx, ent); len(c) != 1 || c[0].Err != nil {
		b.Fatalf("entity content: %+v", c)
	}
	jobs := jobsAction("acme", "payments", nightly, "#88")
	if _, err := h.ViewAction(ctx, ent, host.ViewActionCall{Plugin: "ci", ID: jobs.GetId(), Parameters: jobs.GetParameters()}); err != nil {
		b.Fatalf("jobs: %v", err)
	}
	log := logAction("acme", "payments", bigJob, "lint")
	call := host.ViewActionCall{Plugin: "ci", ID: log.GetId(), Parameters: log.GetParameters()}
	b.ResetTimer()
	for b.Loop() {
		blocks, err := h.ViewAction(ctx, ent, call)
		if err != nil || len(blocks[0].GetLog().GetSections()) != 2 {
			b.Fatalf("log: %v, %v", blocks, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}
