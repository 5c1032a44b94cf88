//go:build unix

package procstat

import (
	"syscall"
	"time"
)

// Self is the CPU time (user and system) this process has used.
func Self() time.Duration { return rusage(syscall.RUSAGE_SELF) }

// Children is the CPU time this process's finished and waited-for
// children (git commands, servers it ran) have used.
func Children() time.Duration { return rusage(syscall.RUSAGE_CHILDREN) }

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
