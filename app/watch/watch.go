package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// ErrTooManyFolders is returned when a folder holds more folders than
// Options.MaxDirs allows watching.
var ErrTooManyFolders = errors.New("too many folders to watch")

// Options bound a Watcher. The zero value is usable.
type Options struct {
	// Debounce is how long a change waits for more before it is
	// reported (100 ms when zero); MaxWait bounds how long a stream of
	// changes can hold a report back (4 × Debounce when zero).
	Debounce, MaxWait time.Duration
	// MaxDirs bounds the folders watched, each an inotify watch (1,000
	// when zero).
	MaxDirs int
	// Skip says a folder (by its path relative to the root, with
	// slashes) is not watched; nil skips SkipDir's.
	Skip func(rel string) bool
}

// SkipDir is the default Skip: hidden folders (.git, .venv), node_modules
// and site/ (mkdocs' output), which change often and hold no sources.
func SkipDir(rel string) bool {
	name := filepath.Base(rel)
	return rel != "." && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "site")
}

func (o Options) withDefaults() Options {
	if o.Debounce <= 0 {
		o.Debounce = 100 * time.Millisecond
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 4 * o.Debounce
	}
	if o.MaxDirs <= 0 {
		o.MaxDirs = 1000
	}
	if o.Skip == nil {
		o.Skip = SkipDir
	}
	return o
}

// Watcher watches a folder and the folders in it, those created later
// included.
type Watcher struct {
	root string
	opts Options
	fsw  *fsnotify.Watcher
	dirs map[string]bool
}

// New starts watching root; changes made once it returns are reported by
// Run. Close it, or let Run close it.
func New(root string, opts Options) (*Watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	w := &Watcher{root: filepath.Clean(root), opts: opts.withDefaults(), fsw: fsw, dirs: map[string]bool{}}
	if err := w.addTree(w.root, nil); err != nil {
		fsw.Close()
		return nil, err
	}
	return w, nil
}

// Dirs is how many folders are watched.
func (w *Watcher) Dirs() int { return len(w.dirs) }

// Close stops watching.
func (w *Watcher) Close() error { return w.fsw.Close() }

// addTree watches dir and the folders under it that Skip lets through;
// found, when not nil, gets the files already in them (a folder made
// with files in it, or files written before its watch was added).
func (w *Watcher) addTree(dir string, found func(rel string)) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return fmt.Errorf("watch %s: %w", p, err)
			}
			return nil // a folder gone or unreadable since it was listed
		}
		rel, _ := filepath.Rel(w.root, p)
		if !d.IsDir() {
			if found != nil {
				found(filepath.ToSlash(rel))
			}
			return nil
		}
		if w.opts.Skip(filepath.ToSlash(rel)) {
			return filepath.SkipDir
		}
		if w.dirs[p] {
			return nil
		}
		if len(w.dirs) >= w.opts.MaxDirs {
			return fmt.Errorf("watch %s: more than %d folders: %w", w.root, w.opts.MaxDirs, ErrTooManyFolders)
		}
		if err := w.fsw.Add(p); err != nil {
			return fmt.Errorf("watch %s: %w", p, err)
		}
		w.dirs[p] = true
		return nil
	})
}

// Run reports changes until ctx ends, then closes the watcher: onChange
// gets the paths changed (relative to the root, with slashes, sorted) once
// Debounce has passed without another, or MaxWait after the first. A
// folder created is watched from then on; one too many ends Run with
// ErrTooManyFolders.
func (w *Watcher) Run(ctx context.Context, onChange func(changed []string)) error {
	defer w.fsw.Close()
	changed := map[string]bool{}
	var quiet, deadline <-chan time.Time
	flush := func() {
		if len(changed) == 0 {
			return
		}
		out := make([]string, 0, len(changed))
		for p := range changed {
			out = append(out, p)
		}
		slices.Sort(out)
		clear(changed)
		quiet, deadline = nil, nil
		onChange(out)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return nil
			}
			return fmt.Errorf("watch %s: %w", w.root, err)
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return nil
			}
			rel, err := filepath.Rel(w.root, ev.Name)
			if err != nil {
				continue
			}
			rel = filepath.ToSlash(rel)
			if w.skipped(rel) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
					if err := w.addTree(ev.Name, func(rel string) { changed[rel] = true }); err != nil {
						return err
					}
				}
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				delete(w.dirs, ev.Name)
			}
			changed[rel] = true
			quiet = time.After(w.opts.Debounce)
			if deadline == nil {
				deadline = time.After(w.opts.MaxWait)
			}
		case <-quiet:
			flush()
		case <-deadline:
			flush()
		}
	}
}

// skipped says a path lies in (or is) a folder Skip leaves out.
func (w *Watcher) skipped(rel string) bool {
	for dir := rel; dir != "." && dir != "/" && dir != ""; dir = filepath.ToSlash(filepath.Dir(dir)) {
		if w.opts.Skip(dir) {
			return true
		}
	}
	return false
}
