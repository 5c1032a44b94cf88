// Package procstat reads what the kernel counts of processes, for tests
// and benchmarks: the CPU time this process, its finished children or
// another process (a peer server) have used, and another process's state
// and parent.
package procstat

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Stat is what Linux's /proc/PID/stat says of a process.
type Stat struct {
	// State is its one-letter state: 'R', 'S', 'Z' (ended, not reaped)…
	State  byte
	Parent int
	// CPU is the CPU time (user and system) it has used so far.
	CPU time.Duration
}

// Read reads process pid's stat; false where that cannot be read (no
// such process, or no /proc).
func Read(pid int) (Stat, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return Stat{}, false
	}
	s := string(b)
	// The fields after the command, which may hold spaces, in parentheses.
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 || len(f[0]) != 1 {
		return Stat{}, false
	}
	parent, _ := strconv.Atoi(f[1])
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	// Clock ticks: Linux's USER_HZ is 100.
	return Stat{State: f[0][0], Parent: parent, CPU: time.Duration(utime+stime) * (time.Second / 100)}, true
}

// CPU is the CPU time process pid has used so far; 0 where it cannot be
// read.
func CPU(pid int) time.Duration {
	s, _ := Read(pid)
	return s.CPU
}
