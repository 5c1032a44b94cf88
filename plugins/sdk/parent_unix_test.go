//go:build unix

package sdk

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/callboard/callboard/internal/procstat"
)

// The test binary plays the three generations: the test, a host it
// starts, and a plugin the host starts, which watches for its parent.
const parentRole = "CALLBOARD_SDK_PARENT_ROLE"

func TestMain(m *testing.M) {
	switch os.Getenv(parentRole) {
	case "host":
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), parentRole+"=plugin")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		// Killed by the test, never returns.
		select {}
	case "plugin":
		gone := parentGone(20 * time.Millisecond)
		// Watching now: the test may kill the host.
		fmt.Println(os.Getpid())
		select {
		case <-gone:
			os.Exit(0)
		case <-time.After(time.Minute):
			os.Exit(3)
		}
	}
	os.Exit(m.Run())
}

// A host killed outright cannot stop its plugins: each notices its
// parent is gone and ends by itself.
func TestParentGone(t *testing.T) {
	host := exec.Command(os.Args[0])
	host.Env = append(os.Environ(), parentRole+"=host")
	out, err := host.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		host.Process.Kill()
		t.Fatalf("the plugin printed no pid: %v", err)
	}
	pid, err := strconv.Atoi(line[:len(line)-1])
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	host.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the plugin %d still runs 30 s after its host was killed", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// alive says whether pid is a process that has not ended; the plugin is
// no child of the test, so once ended it is reaped by whoever adopted it.
// Where /proc tells it apart, a zombie (ended, not yet reaped) has ended;
// elsewhere the kill probe decides.
func alive(pid int) bool {
	s, ok := procstat.Read(pid)
	return syscall.Kill(pid, 0) == nil && !(ok && s.State == 'Z')
}
