//go:build !linux

package host

import "os/exec"

// endWithHost does nothing here: plugins built with the sdk watch for
// their host's end themselves (sdk.Serve).
func endWithHost(*exec.Cmd) {}
