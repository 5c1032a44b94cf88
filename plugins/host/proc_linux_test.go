package host

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/callboard/callboard/internal/procstat"
)

// TestHelperDeadHost is not a test: TestPluginsEndWithTheirHost runs the
// test binary again as a host of two plugins, one built with the sdk and
// one serving without it, prints their process ids and waits to be
// killed.
func TestHelperDeadHost(t *testing.T) {
	program := os.Getenv("CALLBOARD_DEAD_HOST_PROGRAM")
	if program == "" {
		t.Skip("only run by TestPluginsEndWithTheirHost")
	}
	root := t.TempDir()
	install(t, root, "watched", program, []string{"watched"}, "")
	install(t, root, "unwatched", program, []string{"unwatched"}, "")
	h := New(Options{Installed: root, StartTimeout: time.Minute, CallTimeout: 10 * time.Second, Env: []string{}})
	ctx := context.Background()
	if err := h.Load(ctx); err != nil {
		t.Fatal(err)
	}
	h.Start(ctx)
	for _, p := range h.List(ctx) {
		if p.State != Running {
			t.Fatalf("%s is %s: %s", p.Name, p.State, p.LastError)
		}
	}
	fmt.Println("plugins:", strings.Join(children(t, os.Getpid()), " "))
	// Killed by the test, never returns.
	select {}
}

// A host killed outright (SIGKILL, an OOM kill, a crash) cannot stop its
// plugins; none may run on, orphaned. Linux ends them at once
// (Pdeathsig); a plugin built with the sdk also watches for it itself.
func TestPluginsEndWithTheirHost(t *testing.T) {
	t.Parallel()
	helper := exec.Command(os.Args[0], "-test.run=^TestHelperDeadHost$", "-test.v")
	helper.Env = append(os.Environ(), "CALLBOARD_DEAD_HOST_PROGRAM="+build(t, "./testdata/misbehave"))
	helper.Dir = t.TempDir()
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { helper.Process.Kill(); helper.Wait() })
	var pids []int
	for sc := bufio.NewScanner(out); sc.Scan(); {
		if rest, ok := strings.CutPrefix(sc.Text(), "plugins: "); ok {
			for _, f := range strings.Fields(rest) {
				pid, _ := strconv.Atoi(f)
				pids = append(pids, pid)
			}
			break
		}
		if strings.HasPrefix(sc.Text(), "---") || strings.Contains(sc.Text(), "FAIL") {
			t.Fatalf("the host: %s", sc.Text())
		}
	}
	if len(pids) != 2 {
		t.Fatalf("the host started %d plugin processes, want 2", len(pids))
	}
	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	helper.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range pids {
		for running(pid) {
			if time.Now().After(deadline) {
				syscall.Kill(pid, syscall.SIGKILL)
				t.Fatalf("plugin process %d still runs 10 s after its host was killed", pid)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// children lists the processes whose parent is pid.
func children(t *testing.T, pid int) []string {
	t.Helper()
	dirs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range dirs {
		child, _ := strconv.Atoi(filepath.Base(d))
		if s, ok := procstat.Read(child); ok && s.Parent == pid {
			out = append(out, filepath.Base(d))
		}
	}
	return out
}

// running says whether pid is a process that has not ended (a zombie,
// ended but not yet reaped by whoever adopted it, has).
func running(pid int) bool {
	s, ok := procstat.Read(pid)
	return ok && s.State != 'Z'
}
