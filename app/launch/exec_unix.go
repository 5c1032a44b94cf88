//go:build unix

package launch

import (
	"fmt"
	"syscall"
)

// execWindow replaces this process with the window: one process, as the
// user's shell or desktop started it, whose signals and exit status are
// the window's own.
func execWindow(path string, args, environ []string) error {
	if err := syscall.Exec(path, append([]string{path}, args...), environ); err != nil {
		return fmt.Errorf("start the window %s: %w", path, err)
	}
	return nil
}
