package gitfetch

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/callboard/callboard/sync/gittest"
)

// TestHelperKeyring is not a test: TestTokenFromTheOSKeyring runs the test
// binary again inside a private session bus with GNOME's Secret Service.
func TestHelperKeyring(t *testing.T) {
	if os.Getenv("CALLBOARD_KEYRING_HELPER") == "" {
		t.Skip("only run by TestTokenFromTheOSKeyring")
	}
	const token = "keyring-token-value"
	repo := gittest.New(t)
	want := repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("x")})
	url := privateRemote(t, repo, token)
	ep, err := transport.NewEndpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	ring := &Keyring{Getenv: os.Getenv}
	creds := Credentials{Keyring: ring}
	fetch := func() error {
		auth, err := creds.AuthFor(context.Background(), url)
		if err != nil {
			return err
		}
		head, err := Fetch(context.Background(), Options{URL: url, Dir: filepath.Join(t.TempDir(), "clone"), Auth: auth})
		if err == nil && head.Commit.String() != want {
			t.Errorf("head = %s, want %s", head.Commit, want)
		}
		return err
	}
	if err := fetch(); err == nil || !strings.Contains(err.Error(), "callboard token set "+hostPort(ep)) {
		t.Fatalf("fetch with no token anywhere: %v", err)
	}
	if err := ring.SetToken(hostPort(ep), token); err != nil {
		t.Fatal(err)
	}
	if err := fetch(); err != nil {
		t.Fatalf("fetch with the token in the keyring: %v", err)
	}
	if got, err := ring.Token(hostPort(ep)); err != nil || got != token {
		t.Errorf("Token = %q, %v", got, err)
	}
	if err := ring.DeleteToken(hostPort(ep)); err != nil {
		t.Fatal(err)
	}
	if got, err := ring.Token(hostPort(ep)); err != nil || got != "" {
		t.Errorf("Token after delete = %q, %v", got, err)
	}
}

// Tokens stored in the OS keyring are used for https remotes: tested with
// the real Secret Service (gnome-keyring) on a private session bus.
func TestTokenFromTheOSKeyring(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian's dbus-daemon and gnome-keyring)", tool)
		}
	}
	home := t.TempDir()
	// The daemon keeps its keyring in the home; an unlocked empty one is made
	// from the password on stdin.
	script := `echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" -test.run '^TestHelperKeyring$' -test.v`
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script, os.Args[0])
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "data"), "XDG_RUNTIME_DIR="+home, "CALLBOARD_KEYRING_HELPER=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestHelperKeyring") {
		t.Fatalf("keyring helper: %v\n%s", err, out)
	}
}
