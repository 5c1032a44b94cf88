//go:build unix

package gitfetch

import (
	"syscall"
	"time"
)

// cpuTimes are the CPU time this process has used and that of its
// finished children (git http-backend and what it ran, git fetch).
func cpuTimes() (self, children time.Duration) {
	var s, c syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &s)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &c)
	return time.Duration(s.Utime.Nano() + s.Stime.Nano()), time.Duration(c.Utime.Nano() + c.Stime.Nano())
}
