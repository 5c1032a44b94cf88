package scaffold

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
)

// Limits bound what a run may write, so a template that loops or inflates
// is stopped with an error rather than filling the disk.
const (
	maxWorkspaceBytes = 1 << 30
	maxWorkspaceFiles = 100_000
)

// ErrTargetNotEmpty is returned when the target folder holds files and the
// user did not confirm writing into it.
var ErrTargetNotEmpty = errors.New("the target folder is not empty")

// Workspace is a run's private folder. Every path an action names is
// relative to it and is opened through os.Root, so neither `..`, an
// absolute path nor a symbolic link reaches outside.
type Workspace struct {
	Dir   string
	root  *os.Root
	bytes atomic.Int64
	files atomic.Int64
}

// WorkspacePrefix starts the name of every run's workspace folder; the
// run's task id follows, then a random part.
const WorkspacePrefix = "run-"

// makeWorkspaceDir makes a run's workspace folder in workDir, named after
// the task so the portal can tell which run owns it. It is made 0755
// (less the umask), not 0700 as os.MkdirTemp would, since it becomes the
// project's top folder; workDir is inside the owner-only data dir.
func makeWorkspaceDir(workDir, taskID string) (string, error) {
	if strings.ContainsAny(taskID, `/\`) {
		return "", fmt.Errorf("task id %q: want no path separators", taskID)
	}
	for range 100 {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("make the workspace: %w", err)
		}
		dir := filepath.Join(workDir, WorkspacePrefix+taskID+"-"+hex.EncodeToString(b[:]))
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("make the workspace: %w", err)
		}
	}
	return "", fmt.Errorf("make the workspace in %s: every name tried exists", workDir)
}

func openWorkspace(dir string) (*Workspace, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("make the workspace: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open the workspace: %w", err)
	}
	return &Workspace{Dir: dir, root: root}, nil
}

func (w *Workspace) close() error { return w.root.Close() }

// clean checks a path an action gave and returns it relative to the
// workspace, "." for the workspace itself.
func clean(p string) (string, error) {
	if p == "" {
		return ".", nil
	}
	if path.IsAbs(p) || filepath.IsAbs(p) || strings.HasPrefix(p, `\`) {
		return "", fmt.Errorf("path %q is absolute: paths are relative to the workspace", p)
	}
	c := path.Clean(strings.ReplaceAll(p, `\`, "/"))
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("path %q leaves the workspace", p)
	}
	return c, nil
}

// WriteFile writes a file, making its folders.
func (w *Workspace) WriteFile(p string, data []byte, mode fs.FileMode) error {
	c, err := clean(p)
	if err != nil {
		return err
	}
	if c == "." {
		return fmt.Errorf("path %q names the workspace itself, not a file", p)
	}
	if err := w.account(int64(len(data))); err != nil {
		return err
	}
	if dir := path.Dir(c); dir != "." {
		if err := w.root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	if mode == 0 {
		mode = 0o644
	}
	f, err := w.root.OpenFile(c, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode.Perm())
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	// The file's own mode (an executable script stays executable).
	return w.root.Chmod(c, mode.Perm())
}

func (w *Workspace) account(n int64) error {
	if w.files.Add(1) > maxWorkspaceFiles {
		return fmt.Errorf("the template writes more than %d files: stopped", maxWorkspaceFiles)
	}
	if w.bytes.Add(n) > maxWorkspaceBytes {
		return fmt.Errorf("the template writes more than %d MiB: stopped", maxWorkspaceBytes>>20)
	}
	return nil
}

// ReadFile reads a file of the workspace.
func (w *Workspace) ReadFile(p string) ([]byte, error) {
	c, err := clean(p)
	if err != nil {
		return nil, err
	}
	return w.root.ReadFile(c)
}

// readHead reads at most n bytes from the start of a file, so listing or
// logging a large file does not load all of it.
func (w *Workspace) readHead(p string, n int64) ([]byte, error) {
	c, err := clean(p)
	if err != nil {
		return nil, err
	}
	f, err := w.root.Open(c)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, n))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return data, nil
}

// Exists says whether p is in the workspace.
func (w *Workspace) Exists(p string) (bool, error) {
	c, err := clean(p)
	if err != nil {
		return false, err
	}
	_, err = w.root.Lstat(c)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Remove deletes a file or folder (and what it holds).
func (w *Workspace) Remove(p string) error {
	c, err := clean(p)
	if err != nil {
		return err
	}
	if c == "." {
		return fmt.Errorf("path %q names the workspace itself", p)
	}
	return w.root.RemoveAll(c)
}

// Rename moves a file or folder inside the workspace.
func (w *Workspace) Rename(from, to string) error {
	f, err := clean(from)
	if err != nil {
		return err
	}
	t, err := clean(to)
	if err != nil {
		return err
	}
	if dir := path.Dir(t); dir != "." {
		if err := w.root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return w.root.Rename(f, t)
}

// Entry is one file or folder of the workspace.
type Entry struct {
	Path string      `json:"path"`
	Dir  bool        `json:"dir,omitempty"`
	Size int64       `json:"size"`
	Mode fs.FileMode `json:"mode"`
	Link string      `json:"link,omitempty"`
	// IsBin is set on a dry run's binary files; a real run does not read
	// its files back to tell.
	IsBin bool `json:"binary,omitempty"`
}

// List walks the folder p of the workspace (recursively), in path order.
func (w *Workspace) List(p string, recursive bool) ([]Entry, error) {
	c, err := clean(p)
	if err != nil {
		return nil, err
	}
	var out []Entry
	fsys := w.root.FS()
	err = fs.WalkDir(fsys, c, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name == c {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e := Entry{Path: name, Dir: d.IsDir(), Size: info.Size(), Mode: info.Mode()}
		if info.Mode()&fs.ModeSymlink != 0 {
			e.Link, _ = w.root.Readlink(name)
		}
		out = append(out, e)
		if d.IsDir() && !recursive {
			return fs.SkipDir
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, err
}

// moveInto puts the workspace's files into target: renamed there when the
// target does not exist (or is an empty folder) on the same disk, copied
// beside it and then renamed otherwise, so the target is never seen half
// written; into an existing non-empty folder only when overwrite is set.
func moveInto(ws, target string, overwrite bool) error {
	empty, err := emptyOrMissing(target)
	if err != nil {
		return err
	}
	if !empty && !overwrite {
		return fmt.Errorf("%s: %w (confirm to write into it)", target, ErrTargetNotEmpty)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return fmt.Errorf("make %s: %w", filepath.Dir(target), err)
	}
	if !empty {
		return copyTree(ws, target)
	}
	if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("replace the empty folder %s: %w", target, err)
	}
	if err := os.Rename(ws, target); err == nil {
		return nil
	}
	// Another disk: copy next to the target, then rename into place.
	partial := PartialDir(target)
	os.RemoveAll(partial)
	if err := copyTree(ws, partial); err != nil {
		os.RemoveAll(partial)
		return err
	}
	if err := os.Rename(partial, target); err != nil {
		os.RemoveAll(partial)
		return fmt.Errorf("move the new project into %s: %w", target, err)
	}
	return nil
}

// PartialDir is the folder beside target that a project on another disk
// than the workspace is copied into before it is renamed to target. A
// run killed during the copy leaves it; recovery removes it.
func PartialDir(target string) string {
	return filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".callboard-partial")
}

// emptyOrMissing says whether dir does not exist or holds nothing.
func emptyOrMissing(dir string) (bool, error) {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.IsDir() {
		return false, fmt.Errorf("%s exists and is not a folder", dir)
	}
	names, err := f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	return len(names) == 0, err
}

// copyTree copies src into dst (made if missing), symbolic links as links.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			os.Remove(to)
			return os.Symlink(link, to)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
