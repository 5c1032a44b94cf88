package host

import (
	"os/exec"
	"syscall"
)

// endWithHost has Linux kill the plugin the moment the host ends, however
// it ends: a host killed outright cannot stop its plugins itself. (The
// signal follows the thread that started the plugin; Go ends a thread only
// when a goroutine locked to it returns, and none starts plugins.)
func endWithHost(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
