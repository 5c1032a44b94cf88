package host

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/sync/gitfetch"
)

const (
	allHostsSecret = "all-hosts-secret-value"
	hostSecret     = "github-secret-value"
	peekMarker     = "CALLBOARD_PEEK_MARKER=the-app-is-here"
)

// TestHelperTokens is not a test: TestPluginsCannotReadTheAppsTokens runs
// the test binary again with tokens in its environment, as the app starts,
// and this process plays the app: it handles the tokens as
// CALLBOARD_TOKENS_HELPER says, then asks a plugin what it can read of
// the app's environment, and prints it.
func TestHelperTokens(t *testing.T) {
	mode := os.Getenv("CALLBOARD_TOKENS_HELPER")
	if mode == "" {
		t.Skip("only run by TestPluginsCannotReadTheAppsTokens")
	}
	switch mode {
	case "unset":
		os.Unsetenv(gitfetch.TokenEnv)
		os.Unsetenv(gitfetch.TokenEnv + "_GITHUB_COM")
	case "take":
		tokens, err := gitfetch.TakeTokens()
		if err != nil {
			t.Fatal(err)
		}
		if tokens.All != allHostsSecret || tokens.ByHost[gitfetch.TokenEnv+"_GITHUB_COM"] != hostSecret {
			t.Fatalf("TakeTokens = %+v", tokens)
		}
		if os.Getenv(gitfetch.TokenEnv) != "" {
			t.Fatal("the token is still in the environment")
		}
	}
	root := t.TempDir()
	install(t, root, "peek", os.Getenv("CALLBOARD_PEEK_PROGRAM"), []string{"peek"}, "")
	h := New(Options{Installed: root, StartTimeout: 10 * time.Second, CallTimeout: 10 * time.Second, Env: DefaultEnv(os.Getenv)})
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	got := byPlugin(h.EntityContent(context.Background(), component(t)))["peek"]
	if got.Err != nil || len(got.Views) != 1 {
		t.Fatalf("the plugin: %+v", got)
	}
	for _, kv := range got.Views[0].GetBlocks()[0].GetKeyValues().GetItems() {
		os.Stdout.WriteString("=== " + kv.GetKey() + "\n" + kv.GetValue() + "\n=== end\n")
	}
}

// A plugin runs as the user, so it can read the app's starting
// environment through /proc/<ppid>/environ: the filtered environment the
// host gives it is no boundary. The tokens are taken out before any plugin
// starts; os.Unsetenv alone (and the code as it was) leaves them there.
func TestPluginsCannotReadTheAppsTokens(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/<pid>/environ is Linux's")
	}
	t.Parallel()
	program := build(t, "./testdata/misbehave")
	tests := []struct {
		mode string
		leak bool
	}{
		{"as-it-was", true},
		{"unset", true},
		{"take", false},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperTokens$", "-test.v")
			cmd.Dir = t.TempDir()
			cmd.Env = append(DefaultEnv(os.Getenv), "CALLBOARD_TOKENS_HELPER="+tt.mode, "CALLBOARD_PEEK_PROGRAM="+program, peekMarker,
				gitfetch.TokenEnv+"="+allHostsSecret, gitfetch.TokenEnv+"_GITHUB_COM="+hostSecret)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("helper: %v\n%s", err, out)
			}
			parent, own, ok := peeked(string(out))
			if !ok || !strings.Contains(parent, peekMarker) {
				t.Fatalf("the plugin did not read the app's environment:\n%s", out)
			}
			for _, secret := range []string{allHostsSecret, hostSecret} {
				if strings.Contains(own, secret) {
					t.Errorf("the plugin's own environment has %s", secret)
				}
				if leaked := strings.Contains(parent, secret); leaked != tt.leak {
					t.Errorf("the app's environment as the plugin reads it has %s: %v, want %v", secret, leaked, tt.leak)
				}
			}
		})
	}
}

// peeked finds the helper's print-out of what the plugin read.
func peeked(out string) (parent, own string, ok bool) {
	section := func(name string) (string, bool) {
		_, rest, found := strings.Cut(out, "=== "+name+"\n")
		if !found {
			return "", false
		}
		body, _, found := strings.Cut(rest, "\n=== end\n")
		return body, found
	}
	parent, ok1 := section("parent")
	own, ok2 := section("own")
	return parent, own, ok1 && ok2
}
