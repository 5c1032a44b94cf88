package launch

import (
	"fmt"
	"os"
	"os/exec"
)

// execWindow starts the window and leaves it running: Windows has no exec,
// and the window, a GUI program, outlives the console that started it.
func execWindow(path string, args, environ []string) error {
	cmd := exec.Command(path, args...)
	cmd.Env = environ
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the window %s: %w", path, err)
	}
	return cmd.Process.Release()
}
