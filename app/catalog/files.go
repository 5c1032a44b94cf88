package catalog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// Files is a repository's files at one commit, with slash-separated names
// relative to its root. Implementations must be safe for concurrent use:
// processing reads files in parallel.
type Files interface {
	// ReadFile returns a file's contents; a missing file gives an error
	// wrapping fs.ErrNotExist.
	ReadFile(name string) ([]byte, error)
	// Size returns a file's size without reading it, so oversized files
	// are refused cheaply; a missing file gives fs.ErrNotExist.
	Size(name string) (int64, error)
	// List returns the names of all files, for glob targets.
	List() ([]string, error)
}

// DirFiles reads files from a directory on disk through os.Root, so neither
// ".." nor a symbolic link can reach outside it.
type DirFiles struct {
	root *os.Root
	once sync.Once
	list []string
	err  error
}

// OpenDir opens dir as a Files. Close it when done.
func OpenDir(dir string) (*DirFiles, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open catalog directory: %w", err)
	}
	return &DirFiles{root: r}, nil
}

// Close releases the directory.
func (d *DirFiles) Close() error { return d.root.Close() }

// ReadFile implements Files.
func (d *DirFiles) ReadFile(name string) ([]byte, error) {
	return d.root.ReadFile(name)
}

// Mode is the file at name's mode as git would keep it: 0755 when any
// execute bit is set, 0644 for other files, 0 when there is no such file.
func (d *DirFiles) Mode(name string) fs.FileMode {
	fi, err := d.root.Stat(name)
	if err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	return gitMode(fi.Mode())
}

// Size implements Files.
func (d *DirFiles) Size(name string) (int64, error) {
	fi, err := d.root.Stat(name)
	if errors.Is(err, syscall.ENAMETOOLONG) || errors.Is(err, syscall.ENOTDIR) {
		return 0, fmt.Errorf("%s: %w", name, fs.ErrNotExist) // no such file can exist
	}
	if err != nil {
		return 0, err
	}
	if fi.IsDir() {
		return 0, fmt.Errorf("%s is a directory: %w", name, fs.ErrNotExist)
	}
	return fi.Size(), nil
}

// List implements Files; it skips .git and node_modules.
func (d *DirFiles) List() ([]string, error) {
	d.once.Do(func() {
		d.err = fs.WalkDir(d.root.FS(), ".", func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() && (e.Name() == ".git" || e.Name() == "node_modules") {
				return fs.SkipDir
			}
			if e.Type().IsRegular() {
				d.list = append(d.list, p)
			}
			return nil
		})
	})
	return d.list, d.err
}

// MapFiles is an in-memory Files, for tests and generated catalogs.
type MapFiles map[string]string

// ReadFile implements Files.
func (m MapFiles) ReadFile(name string) ([]byte, error) {
	s, ok := m[name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return []byte(s), nil
}

// Size implements Files.
func (m MapFiles) Size(name string) (int64, error) {
	s, ok := m[name]
	if !ok {
		return 0, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return int64(len(s)), nil
}

// List implements Files.
func (m MapFiles) List() ([]string, error) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names, nil
}

// repoPath resolves ref against the directory of the file that names it
// ("/x" is from the repository root) and refuses anything outside it.
func repoPath(file, ref string, fromRoot bool) (string, error) {
	var p string
	switch {
	case strings.HasPrefix(ref, "/"):
		p = path.Clean(ref[1:])
	case fromRoot:
		p = path.Clean(ref)
	default:
		p = path.Clean(path.Join(path.Dir(file), ref))
	}
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("%q is outside the repository", ref)
	}
	if p == "." {
		return "", fmt.Errorf("%q names the repository's root directory, not a file", ref)
	}
	return p, nil
}

// ReadFileMax reads a file unless it is larger than limit, with one open.
func (d *DirFiles) ReadFileMax(name string, limit int64) ([]byte, error) {
	f, err := d.root.Open(name)
	if errors.Is(err, syscall.ENAMETOOLONG) || errors.Is(err, syscall.ENOTDIR) {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory: %w", name, fs.ErrNotExist)
	}
	if fi.Size() > limit {
		return nil, FileTooLarge(fi.Size())
	}
	data := make([]byte, fi.Size())
	n, err := io.ReadFull(f, data)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return data[:n], nil
}

// FileTooLarge is the error for a catalog file over MaxFileSize, for Files
// implementations that refuse it themselves.
func FileTooLarge(size int64) error {
	return fmt.Errorf("file is %.1f MB; catalog files over %d MB are not read", float64(size)/(1<<20), MaxFileSize>>20)
}

// ReadLimited reads a file of files, refusing one over MaxFileSize from
// its size before reading it.
func ReadLimited(files Files, name string) ([]byte, error) {
	if d, ok := files.(interface {
		ReadFileMax(string, int64) ([]byte, error)
	}); ok {
		return d.ReadFileMax(name, MaxFileSize)
	}
	size, err := files.Size(name)
	if err != nil {
		return nil, err
	}
	if size > MaxFileSize {
		return nil, FileTooLarge(size)
	}
	return files.ReadFile(name)
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// ErrSymlink marks a file that is a symbolic link: Files implementations
// do not follow links, which could lead out of the repository. It comes
// wrapped together with fs.ErrNotExist.
var ErrSymlink = errors.New("symbolic links are not followed")

// missing says why a file cannot be read, for messages.
func missing(name string, err error) string {
	if errors.Is(err, ErrSymlink) {
		return name + " is a symbolic link, and links are not followed"
	}
	if isHTTP(name) {
		return name + " cannot be read: " + err.Error()
	}
	return name + " does not exist in the repository"
}
