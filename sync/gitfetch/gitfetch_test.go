package gitfetch

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/sync/gittest"
)

// httpRemote serves repo's parent folder with Debian's git http-backend on loopback.
func httpRemote(t *testing.T, repo *gittest.Repo) string {
	t.Helper()
	return gittest.HTTPBackend(t, filepath.Dir(repo.Dir), nil) + "/" + filepath.Base(repo.Dir)
}

// daemonRemote serves repo's parent folder with git daemon on a loopback port.
func daemonRemote(t *testing.T, repo *gittest.Repo) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	// git-daemon itself, not `git daemon`: killing git would leave the
	// daemon it starts serving after the test.
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(strings.TrimSpace(string(execPath)), "git-daemon"), "--reuseaddr", "--export-all", "--listen=127.0.0.1",
		fmt.Sprintf("--port=%d", port), "--base-path="+filepath.Dir(repo.Dir), filepath.Dir(repo.Dir))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return fmt.Sprintf("git://127.0.0.1:%d/%s", port, filepath.Base(repo.Dir))
		}
	}
	t.Fatal("git daemon did not start")
	return ""
}

func TestFetchOverRealServers(t *testing.T) {
	t.Parallel()
	remotes := map[string]func(*testing.T, *gittest.Repo) string{
		"file":         func(_ *testing.T, r *gittest.Repo) string { return r.Dir },
		"http-backend": httpRemote,
		"git-daemon":   daemonRemote,
	}
	for name, remote := range remotes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			repo := gittest.New(t)
			first := repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("one")})
			opts := Options{URL: remote(t, repo), Dir: filepath.Join(t.TempDir(), "clone")}

			head, err := Fetch(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			if head.Commit.String() != first || head.Branch != "main" {
				t.Fatalf("clone head = %s on %s, want %s on main", head.Commit, head.Branch, first)
			}
			second := repo.Commit("second", map[string][]byte{"catalog-info.yaml": []byte("two"), "docs/x.md": []byte("x")})
			head, err = Fetch(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			if head.Commit.String() != second {
				t.Fatalf("fetch head = %s, want %s", head.Commit, second)
			}
			files, err := head.Files(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if b, err := files.ReadFile("catalog-info.yaml"); err != nil || string(b) != "two" {
				t.Errorf("ReadFile = %q, %v", b, err)
			}
			if _, err := files.ReadFile("nope.yaml"); err == nil || !strings.Contains(err.Error(), "file does not exist") {
				t.Errorf("missing file error = %v", err)
			}
			// Up to date: a second fetch changes nothing.
			if again, err := Fetch(ctx, opts); err != nil || again.Commit != head.Commit {
				t.Errorf("refetch = %s, %v", again.Commit, err)
			}
		})
	}
}

func TestFetchDeadRemote(t *testing.T) {
	t.Parallel()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	dir := filepath.Join(t.TempDir(), "clone")
	_, err := Fetch(context.Background(), Options{URL: "http://" + addr + "/repo", Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "clone http://"+addr+"/repo") {
		t.Fatalf("error = %v", err)
	}
	if _, statErr := os.Stat(dir); !os.IsNotExist(statErr) {
		t.Errorf("a failed clone left %s behind", dir)
	}
}
