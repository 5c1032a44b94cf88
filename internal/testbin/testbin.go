// Package testbin writes executables for tests that run them while other
// tests start processes.
package testbin

import (
	"os"
	"syscall"
)

// Write writes an executable file at path. No process forks meanwhile: a
// child forked by another test while the file is open for writing holds
// it open until it execs, and running the file then fails with "text file
// busy" (golang/go#22315).
func Write(path string, data []byte) error {
	syscall.ForkLock.Lock()
	defer syscall.ForkLock.Unlock()
	return os.WriteFile(path, data, 0o755)
}
