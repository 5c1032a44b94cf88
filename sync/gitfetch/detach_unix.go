//go:build unix

package gitfetch

import (
	"os/exec"
	"syscall"
)

// detach runs cmd in a session of its own, without a controlling
// terminal (so no helper can open /dev/tty to prompt), and makes a
// timeout kill the whole session's group: git's helpers are its children.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
