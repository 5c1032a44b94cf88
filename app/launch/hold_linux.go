package launch

import (
	"fmt"
	"syscall"
)

// hold opens path for the life of the process and names it through
// /proc/self/fd: in a child, that name is the child's inherited copy of
// the descriptor (closed on exec only once the exec has opened it), so
// every start runs the file opened now, even once another has replaced it.
// The descriptor is a raw one, so no finalizer closes it.
func hold(path string) (string, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return "", fmt.Errorf("open the plugin program: %w", err)
	}
	return fmt.Sprintf("/proc/self/fd/%d", fd), nil
}
