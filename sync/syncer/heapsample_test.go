package syncer

import (
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"
)

// heapProfileEnv names the file sampleHeapPeak writes.
const heapProfileEnv = "CALLBOARD_BENCH_HEAPPROFILE"

// sampleHeapPeak writes a heap profile to $CALLBOARD_BENCH_HEAPPROFILE
// each time the live heap reaches a new high (10% over the last), so the
// profile left is the peak's; the returned func stops it. Without the
// variable it does nothing: the profiles cost a stop of the world each.
func sampleHeapPeak(b *testing.B) (stop func()) {
	b.Helper()
	path := os.Getenv(heapProfileEnv)
	if path == "" {
		return func() {}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		var anon, file float64 // peak resident MiB by kind
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				b.Logf("heap peak %.1f MiB, profile in %s; peak RssAnon %.1f MiB, RssFile %.1f MiB", float64(peak)/(1<<20), path, anon, file)
				return
			case <-t.C:
			}
			a, f := rssKinds()
			anon, file = max(anon, a), max(file, f)
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak+peak/10 {
				peak = v
				if f, err := os.Create(path); err == nil {
					_ = pprof.WriteHeapProfile(f)
					f.Close()
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// rssKinds is this process's resident anonymous and file-backed memory
// (Badger's memory-mapped tables and value log count in the second), in MiB.
func rssKinds() (anon, file float64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, ":")
		kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		switch k {
		case "RssAnon":
			anon = float64(kb) / 1024
		case "RssFile":
			file = float64(kb) / 1024
		}
	}
	return anon, file
}
