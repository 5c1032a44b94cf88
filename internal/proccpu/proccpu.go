// Package proccpu reads the CPU time another process has used, so a
// benchmark can report what a peer server spent answering it.
package proccpu

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Of is the CPU time (user and system) process pid has used so far, read
// from Linux's /proc; 0 where that cannot be read.
func Of(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	// The fields after the command, which may hold spaces, in parentheses.
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	// Clock ticks: Linux's USER_HZ is 100.
	return time.Duration(utime+stime) * (time.Second / 100)
}
