package scaffold

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sync"

	"github.com/callboard/callboard/app/catalog"
)

// maxOpenFolders bounds the folder handles an action keeps open: files in
// further folders are written the workspace's way.
const maxOpenFolders = 256

// folders writes many files into a workspace opening each folder once.
// os.Root resolves a path one folder at a time, so writing a file through
// the workspace's root opened every folder on the way three times (make
// the folders, create the file, set its mode): about 20 openat calls a
// file of the 200-file benchmark template, where Node makes 2–3. Here a
// file is created in its folder's handle and its mode set on the open
// file, on every CPU (see writer). A folder that does not open this way (a symbolic link to another
// folder of the workspace, a file in the way) is written the workspace's
// way, which decides the error. The action
// that made it closes it before the next step runs, so no handle outlives
// a folder another step renames or removes. Safe for concurrent use.
type folders struct {
	w    *Workspace
	mu   sync.Mutex // guards open, and making folders
	open map[string]*os.Root
}

func (w *Workspace) folders() *folders {
	return &folders{w: w, open: map[string]*os.Root{}}
}

func (f *folders) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.open {
		r.Close()
	}
	clear(f.open)
}

// dir returns the handle of the workspace's folder d (cleaned, relative),
// making it when create is set; ok is false when it cannot be had so.
func (f *folders) dir(d string, create bool) (*os.Root, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dirLocked(d, create)
}

func (f *folders) dirLocked(d string, create bool) (*os.Root, bool) {
	if d == "." {
		return f.w.root, true
	}
	if r, ok := f.open[d]; ok {
		return r, true
	}
	if len(f.open) >= maxOpenFolders {
		return nil, false
	}
	parent, ok := f.dirLocked(path.Dir(d), create)
	if !ok {
		return nil, false
	}
	base := path.Base(d)
	if create {
		if err := parent.Mkdir(base, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, false
		}
	}
	r, err := parent.OpenRoot(base)
	if err != nil {
		return nil, false
	}
	f.open[d] = r
	return r, true
}

// exists is Workspace.Exists.
func (f *folders) exists(p string) (bool, error) {
	c, err := clean(p)
	if err != nil || c == "." {
		return f.w.Exists(p)
	}
	f.mu.Lock()
	r, ok := f.open[path.Dir(c)]
	f.mu.Unlock()
	if !ok {
		return f.w.Exists(p)
	}
	_, err = r.Lstat(path.Base(c))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// writeFile is Workspace.WriteFile.
func (f *folders) writeFile(p string, data []byte, mode fs.FileMode) error {
	c, err := clean(p)
	if err != nil || c == "." {
		return f.w.WriteFile(p, data, mode)
	}
	r, ok := f.dir(path.Dir(c), true)
	if !ok {
		return f.w.WriteFile(p, data, mode)
	}
	if mode == 0 {
		mode = 0o644
	}
	file, err := r.OpenFile(path.Base(c), os.O_WRONLY|os.O_CREATE|os.O_TRUNC|catalog.OpenNoPoll, mode.Perm())
	if err != nil {
		return f.w.WriteFile(p, data, mode)
	}
	if err := f.w.account(int64(len(data))); err != nil {
		file.Close()
		return err
	}
	if _, err := file.Write(data); err != nil {
		file.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	// The file's own mode (an executable script stays executable), which
	// the umask may have narrowed.
	if err := file.Chmod(mode.Perm()); err != nil {
		file.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}

// writer writes files through folders on every CPU while the caller
// renders the next ones: creating a file costs the kernel more than
// rendering one costs here (about 0.27 ms a file against 0.1 ms on the
// benchmark's disk). Each folder's files go to one worker: creating a
// file holds its folder's lock, and two workers creating in one folder
// spun on it (a sixth of the CPU of a parallel write of the benchmark's
// skeleton), where workers in different folders do not meet. A run of
// files in one folder goes to one worker while the others wait for
// theirs, so the queues are long (maxQueuedFiles a worker) and bounded by
// what they hold (maxQueuedBytes in all).
type writer struct {
	f       *folders
	jobs    []chan writeJob
	wg      sync.WaitGroup
	mu      sync.Mutex // guards err, queued and pending
	room    *sync.Cond // pending went down
	err     error
	queued  map[string]bool
	pending int // bytes queued, not yet written
	closed  bool
}

const (
	maxQueuedFiles = 256
	maxQueuedBytes = 8 << 20
)

type writeJob struct {
	path string
	data []byte
	mode fs.FileMode
}

func (f *folders) writer(ctx context.Context) *writer {
	n := runtime.GOMAXPROCS(0)
	w := &writer{f: f, jobs: make([]chan writeJob, n), queued: map[string]bool{}}
	w.room = sync.NewCond(&w.mu)
	for i := range n {
		w.jobs[i] = make(chan writeJob, maxQueuedFiles)
		w.wg.Go(func() {
			for j := range w.jobs[i] {
				err := ctx.Err()
				if err == nil && w.failed() == nil {
					err = f.writeFile(j.path, j.data, j.mode)
				}
				w.mu.Lock()
				if err != nil && w.err == nil {
					w.err = err
				}
				w.pending -= len(j.data)
				w.room.Broadcast()
				w.mu.Unlock()
			}
		})
	}
	return w
}

func (w *writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// exists says whether p was queued or is in the workspace.
func (w *writer) exists(p string) (bool, error) {
	c, err := clean(p)
	if err != nil {
		return false, err
	}
	w.mu.Lock()
	queued := w.queued[c]
	w.mu.Unlock()
	if queued {
		return true, nil
	}
	return w.f.exists(c)
}

// write queues a file, returning the error of one written before, if any.
func (w *writer) write(p string, data []byte, mode fs.FileMode) error {
	if err := w.failed(); err != nil {
		return err
	}
	folder := ""
	w.mu.Lock()
	for w.pending > 0 && w.pending+len(data) > maxQueuedBytes {
		w.room.Wait()
	}
	w.pending += len(data)
	if c, err := clean(p); err == nil {
		w.queued[c] = true
		folder = path.Dir(c)
	}
	w.mu.Unlock()
	h := fnv.New32a()
	h.Write([]byte(folder))
	w.jobs[h.Sum32()%uint32(len(w.jobs))] <- writeJob{p, data, mode}
	return nil
}

// wait writes what is queued and returns the first error.
func (w *writer) wait() error {
	if !w.closed {
		w.closed = true
		for _, jobs := range w.jobs {
			close(jobs)
		}
	}
	w.wg.Wait()
	return w.failed()
}
