package gitfetch

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/outbox"
)

// sshServer is Debian's OpenSSH server on a loopback port, run by the
// test with its own host key, letting in one user key.
type sshServer struct {
	port    int
	hostKey string // public host key line, for known_hosts
	home    string // a home folder with the user's key in .ssh
	user    string
}

func startSSHD(t *testing.T) *sshServer {
	t.Helper()
	const sshd = "/usr/sbin/sshd"
	if _, err := os.Stat(sshd); err != nil {
		t.Skipf("OpenSSH server not installed (Debian's openssh-server): %v", err)
	}
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	if me.Uid == "0" {
		// sshd run as root wants its privilege separation folder.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Skipf("sshd as root needs /run/sshd: %v", err)
		}
	}
	dir := t.TempDir()
	s := &sshServer{home: filepath.Join(dir, "home"), user: me.Username}
	keygen := func(file string) string {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", file).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		pub, err := os.ReadFile(file + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(pub))
	}
	if err := os.MkdirAll(filepath.Join(s.home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	s.hostKey = keygen(filepath.Join(dir, "host_key"))
	userKey := keygen(filepath.Join(s.home, ".ssh", "id_ed25519"))
	authorized := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authorized, []byte(userKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	config := fmt.Sprintf(`ListenAddress 127.0.0.1
Port %d
HostKey %s
AuthorizedKeysFile %s
PidFile %s
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers %s
`, s.port, filepath.Join(dir, "host_key"), authorized, filepath.Join(dir, "sshd.pid"), me.Username)
	cfg := filepath.Join(dir, "sshd_config")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	cmd := exec.Command(sshd, "-D", "-e", "-f", cfg)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("sshd log:\n%s", log.String())
		}
	})
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.port)); err == nil {
			c.Close()
			return s
		}
	}
	t.Fatalf("sshd did not start:\n%s", log.String())
	return nil
}

// retryEOF runs fetch again when the session ended before git answered:
// on a loaded machine sshd now and then closes a session it has just
// authenticated (its log says nothing more), which a sync retries anyway.
func retryEOF(fetch func() (Head, error)) (Head, error) {
	for attempt := 0; ; attempt++ {
		h, err := fetch()
		if err == nil || attempt == 2 || !strings.Contains(err.Error(), "EOF") {
			return h, err
		}
	}
}

// trust writes a known_hosts file in the home that trusts key for the server.
func (s *sshServer) trust(t *testing.T, key string) {
	t.Helper()
	line := fmt.Sprintf("[127.0.0.1]:%d %s\n", s.port, key)
	if err := os.WriteFile(filepath.Join(s.home, ".ssh", "known_hosts"), []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (s *sshServer) url(repo string) string {
	return fmt.Sprintf("ssh://%s@127.0.0.1:%d%s", s.user, s.port, repo)
}

// Cloning over ssh with the user's key checks the server's key against
// known_hosts: a trusted server works, an unknown or changed one is refused
// with a message that says what to do.
func TestFetchOverSSH(t *testing.T) {
	t.Parallel()
	srv := startSSHD(t)
	repo := gittest.New(t)
	head := repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("kind: Component\n")})
	creds := Credentials{Home: srv.home}
	url := srv.url(repo.Dir)
	fetch := func() (Head, error) {
		auth, err := creds.AuthFor(context.Background(), url)
		if err != nil {
			return Head{}, err
		}
		return Fetch(context.Background(), Options{URL: url, Dir: filepath.Join(t.TempDir(), "clone"), Auth: auth})
	}

	if _, err := fetch(); err == nil || !strings.Contains(err.Error(), "no known_hosts file") {
		t.Errorf("fetch with no known_hosts: %v", err)
	}
	srv.trust(t, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2")
	if _, err := fetch(); err == nil || !strings.Contains(err.Error(), "key mismatch") {
		t.Errorf("fetch from a server whose key changed: %v", err)
	}
	srv.trust(t, srv.hostKey)
	h, err := retryEOF(fetch)
	if err != nil {
		t.Fatalf("fetch from a trusted server: %v", err)
	}
	if h.Commit.String() != head {
		t.Errorf("head = %s, want %s", h.Commit, head)
	}
}

// A commit made in the app is pushed over ssh with the same credentials.
func TestPushOverSSH(t *testing.T) {
	t.Parallel()
	srv := startSSHD(t)
	srv.trust(t, srv.hostKey)
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("kind: Component\n")})
	url := srv.url(repo.Bare())
	auth, err := Credentials{Home: srv.home}.AuthFor(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	h, err := retryEOF(func() (Head, error) {
		return Fetch(context.Background(), Options{URL: url, Dir: filepath.Join(t.TempDir(), "clone"), Auth: auth})
	})
	if err != nil {
		t.Fatal(err)
	}
	by := outbox.Author{Name: "Me", Email: "me@callboard.invalid"}
	if _, err := outbox.Commit(h.Repository(), h.Branch, []outbox.Change{{Path: "catalog-info.yaml", Content: []byte("kind: API\n")}}, "Edit", by, time.Now()); err != nil {
		t.Fatal(err)
	}
	if res, err := outbox.Push(context.Background(), h.Repository(), url, h.Branch, auth, time.Now()); err != nil || res.Clean != 1 {
		t.Fatalf("push over ssh = %+v, %v", res, err)
	}
	if got := gittest.Git(t, strings.TrimPrefix(url, fmt.Sprintf("ssh://%s@127.0.0.1:%d", srv.user, srv.port)), "show", "main:catalog-info.yaml"); got != "kind: API\n" {
		t.Errorf("remote file after the push = %q", got)
	}
}
