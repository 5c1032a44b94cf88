// Package memtest measures a test case's memory in a child process: the
// test binary runs again, the case alone, under GOMEMLIMIT, and prints the
// Go heap's and the process' high-water marks. A bound on memory is then
// checked on what the case really took, not on timing.
package memtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Measure runs test's scenario in a child process (the variable env set to
// scenario, GOMEMLIMIT to limit) and returns the heap it obtained from the
// OS (HeapSys: the Go heap's high-water mark) and its peak resident set
// (VmHWM). The child must call Report before it ends.
func Measure(t *testing.T, env, test, scenario, limit string) (heapSys, hwm uint64) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"="+scenario, "GOMEMLIMIT="+limit)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("child %s: %v\n%.2000s", scenario, err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "memory: "); ok {
			if _, err := fmt.Sscanf(rest, "heapSys=%d hwm=%d", &heapSys, &hwm); err == nil {
				return heapSys, hwm
			}
		}
	}
	t.Fatalf("child %s printed no measurement:\n%.2000s", scenario, out)
	return 0, 0
}

// Report prints the child's measurement for Measure.
func Report() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("memory: heapSys=%d hwm=%d\n", ms.HeapSys, vmHWM())
}

// vmHWM is the process' peak resident set in bytes, 0 where /proc has none.
func vmHWM() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
