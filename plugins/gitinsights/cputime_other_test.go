//go:build !unix

package gitinsights

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
