//go:build windows

package sdk

import (
	"os"
	"time"
)

// parentGone returns a channel closed when the process that started this
// one has ended. Windows keeps a process's parent id after the parent
// ends, so the parent's handle is waited on instead.
func parentGone(time.Duration) <-chan struct{} {
	gone := make(chan struct{})
	p, err := os.FindProcess(os.Getppid())
	if err != nil {
		return gone
	}
	go func() {
		if _, err := p.Wait(); err == nil {
			close(gone)
		}
	}()
	return gone
}
