package portal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The preview's clone: a folder of the data dir per preview, deleted
// when the preview returns, swept at start when a process stopped during
// one, and bounded in bytes while it fills.

const (
	// importDirPrefix names the preview clones' folders in the data dir.
	importDirPrefix = "import-"
	// maxPeekBytes bounds the one-commit clone a preview reads: a
	// repository is read before the user chose it, so its size is the
	// remote's to choose.
	maxPeekBytes = 512 << 20
	// peekSizeEvery is how often the clone's size is measured while it
	// fills; the size is measured once more when it is done.
	peekSizeEvery = 250 * time.Millisecond
)

// errPeekTooLarge is the cause of a preview cut short by its clone's size.
var errPeekTooLarge = errors.New("clone too large")

// RemoveStaleImports deletes the preview clones an earlier process left
// in the data dir: one instance holds a data dir, so at its start none is
// in use.
func (s *importer) RemoveStaleImports() error {
	entries, err := os.ReadDir(s.dataDir)
	if err != nil {
		return fmt.Errorf("list the data dir for import clones: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), importDirPrefix) {
			if err := os.RemoveAll(filepath.Join(s.dataDir, e.Name())); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// boundSize cancels ctx with errPeekTooLarge once dir holds more than
// limit bytes, measured every peekSizeEvery until the returned stop.
func boundSize(ctx context.Context, cancel context.CancelCauseFunc, dir string, limit int64) (stop func()) {
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(peekSizeEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if size, _ := dirSize(dir); size > limit {
					cancel(errPeekTooLarge)
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		<-exited
	}
}

// dirSize adds up the sizes of the files under dir.
func dirSize(dir string) (int64, error) {
	var size int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			size += info.Size()
		}
		return nil
	})
	return size, err
}

// sizeOf writes a bound in MiB, or in KiB below one MiB.
func sizeOf(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
