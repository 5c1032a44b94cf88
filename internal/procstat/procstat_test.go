package procstat

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads Linux's /proc")
	}
	before := CPU(os.Getpid())
	self := Self()
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
	}
	if after := CPU(os.Getpid()); after <= before {
		t.Errorf("CPU time did not grow while spinning: %v, then %v", before, after)
	}
	if after := Self(); after <= self {
		t.Errorf("Self did not grow while spinning: %v, then %v", self, after)
	}
	s, ok := Read(os.Getpid())
	if !ok || (s.State != 'R' && s.State != 'S') || s.Parent != os.Getppid() {
		t.Errorf("Read(self) = %+v, %v; want running or sleeping, parent %d", s, ok, os.Getppid())
	}
	if got, ok := Read(-1); ok || got != (Stat{}) || CPU(-1) != 0 {
		t.Errorf("Read(-1) = %+v, %v", got, ok)
	}
}
