package catalog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
)

// maxReaderFolders bounds the folder handles a DirReader keeps open: files
// in further folders are read the root's way.
const maxReaderFolders = 256

// DirReader reads many files of a DirFiles opening each folder once.
// os.Root resolves a name one folder at a time from the root, so ReadFile
// and Mode each opened every folder on the way (about 9 openat calls a
// file at depth 3, twice); here a file is opened in its folder's handle,
// and its size and mode come from that one open. A folder that does not
// open so (a symbolic link, a file in the way) and a file that does not
// open in its folder (a link, a missing file) are read the root's way,
// which decides the error: a link leading out of the directory is refused
// as before. Safe for concurrent use; Close it when done.
type DirReader struct {
	d    *DirFiles
	mu   sync.Mutex // guards open
	open map[string]*os.Root
}

// Reader returns a DirReader over d.
func (d *DirFiles) Reader() *DirReader {
	return &DirReader{d: d, open: map[string]*os.Root{}}
}

// Close releases the folders' handles (not the DirFiles).
func (r *DirReader) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range r.open {
		h.Close()
	}
	clear(r.open)
}

// ReadFileMode reads the file name (slash-separated, relative to the
// root) unless it is larger than limit, and returns its mode as Mode
// does. A file over limit gives FileTooLarge's error.
func (r *DirReader) ReadFileMode(name string, limit int64) ([]byte, fs.FileMode, error) {
	if name == "" || path.IsAbs(name) || strings.Contains(name, `\`) || path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../") {
		return r.slow(name, limit)
	}
	h, ok := r.folder(path.Dir(name))
	if !ok {
		return r.slow(name, limit)
	}
	f, err := h.OpenFile(path.Base(name), os.O_RDONLY|OpenNoPoll, 0)
	if err != nil {
		return r.slow(name, limit)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return r.slow(name, limit)
	}
	if fi.Size() > limit {
		return nil, 0, FileTooLarge(fi.Size())
	}
	data := make([]byte, fi.Size())
	n, err := io.ReadFull(f, data)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, 0, fmt.Errorf("read %s: %w", name, err)
	}
	return data[:n], gitMode(fi.Mode()), nil
}

// slow reads name the root's way.
func (r *DirReader) slow(name string, limit int64) ([]byte, fs.FileMode, error) {
	data, err := r.d.ReadFileMax(name, limit)
	if err != nil {
		return nil, 0, err
	}
	return data, r.d.Mode(name), nil
}

// folder returns the handle of the folder dir, opened from its parent's.
func (r *DirReader) folder(dir string) (*os.Root, bool) {
	if dir == "." {
		return r.d.root, true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.folderLocked(dir)
}

func (r *DirReader) folderLocked(dir string) (*os.Root, bool) {
	if dir == "." {
		return r.d.root, true
	}
	if h, ok := r.open[dir]; ok {
		return h, true
	}
	if len(r.open) >= maxReaderFolders {
		return nil, false
	}
	parent, ok := r.folderLocked(path.Dir(dir))
	if !ok {
		return nil, false
	}
	h, err := parent.OpenRoot(path.Base(dir))
	if err != nil {
		return nil, false
	}
	r.open[dir] = h
	return h, true
}

// gitMode is a regular file's mode as git keeps it: 0755 when any execute
// bit is set, 0644 otherwise.
func gitMode(m fs.FileMode) fs.FileMode {
	if m&0o111 != 0 {
		return 0o755
	}
	return 0o644
}
