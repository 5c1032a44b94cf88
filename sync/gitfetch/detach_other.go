//go:build !unix

package gitfetch

import "os/exec"

// detach leaves cmd as it is: Windows has no terminal to detach from, and
// a timeout kills the program itself.
func detach(*exec.Cmd) {}
