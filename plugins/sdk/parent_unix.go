//go:build unix

package sdk

import (
	"os"
	"time"
)

// parentGone returns a channel closed when the process that started this
// one has ended: it is re-parented then, so its parent id changes.
func parentGone(every time.Duration) <-chan struct{} {
	gone := make(chan struct{})
	ppid := os.Getppid()
	if ppid <= 1 {
		// Started by init or adopted already: nothing to watch.
		return gone
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for range t.C {
			if os.Getppid() != ppid {
				close(gone)
				return
			}
		}
	}()
	return gone
}
