package proccpu

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestOf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads Linux's /proc")
	}
	before := Of(os.Getpid())
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
	}
	if after := Of(os.Getpid()); after <= before {
		t.Errorf("CPU time did not grow while spinning: %v, then %v", before, after)
	}
	if got := Of(-1); got != 0 {
		t.Errorf("Of(-1) = %v, want 0", got)
	}
}
