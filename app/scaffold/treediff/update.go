package treediff

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
)

// Update makes the folder dir hold got, touching only the files diffs
// names (Compare(want, got) of dir's tree): changed and extra files are
// written, missing ones removed, with the folders they leave empty. dir
// is made when it does not exist. Writes go through os.Root, so a link
// already in dir cannot lead them outside it.
func Update(dir string, got *Tree, diffs []Difference) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("update %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("update %s: %w", dir, err)
	}
	defer root.Close()
	for _, d := range diffs {
		if err := checkPath(d.Path); err != nil {
			return fmt.Errorf("update %s: %w", dir, err)
		}
		if err := update(root, got, d); err != nil {
			return fmt.Errorf("update %s: %s: %w", dir, d.Path, err)
		}
	}
	return nil
}

func update(root *os.Root, got *Tree, d Difference) error {
	if d.Kind == Missing {
		if err := root.Remove(d.Path); err != nil {
			return err
		}
		removeEmptyParents(root, path.Dir(d.Path))
		return nil
	}
	f := got.Files[d.Path]
	if err := root.MkdirAll(path.Dir(d.Path), 0o755); err != nil {
		return err
	}
	if d.Kind == Changed {
		// A file may have become a link or the other way round.
		if err := root.Remove(d.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if f.Link != "" {
		return root.Symlink(f.Link, d.Path)
	}
	mode := fs.FileMode(0o644)
	if f.Exec {
		mode = 0o755
	}
	if d.Kind != Mode {
		data, err := got.content(d.Path)
		if err != nil {
			return err
		}
		if err := root.WriteFile(d.Path, data, mode); err != nil {
			return err
		}
	}
	// WriteFile keeps an existing file's mode and applies the umask.
	return root.Chmod(d.Path, mode)
}

// removeEmptyParents removes dir and the folders above it while they are
// empty; a folder that is not is left, and so are those above it.
func removeEmptyParents(root *os.Root, dir string) {
	for dir != "." && dir != "/" {
		if root.Remove(dir) != nil {
			return
		}
		dir = path.Dir(dir)
	}
}
