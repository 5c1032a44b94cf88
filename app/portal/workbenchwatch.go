package portal

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// A workbench follows its folder with one inotify (kqueue, …) watch per
// folder; these bound what a folder can take of the user's watches, which
// every editor and build tool on the machine shares.
const (
	// maxWatchedDirs is how many folders of a workbench are watched.
	maxWatchedDirs = 256
	// maxWalked is how many entries the walk looks at, folders or files:
	// a template folder holding a whole project is not walked to its end.
	maxWalked = 20000
	// benchDebounce is how long the folder must be quiet after a change
	// before it is read again: an editor's save is often several writes
	// and renames.
	benchDebounce = 100 * time.Millisecond
)

// unwatchedDirs are folders never followed: other projects' files and
// tools' caches, which change often and hold no template. Hidden folders
// are left out too.
var unwatchedDirs = map[string]bool{
	"node_modules": true, "bower_components": true, "vendor": true, "venv": true,
	"__pycache__": true, "target": true, "dist": true, "build": true,
}

// watch follows s's folder until ctx ends: a change reads the template
// again once the folder has been quiet for benchDebounce, and publishes
// workbench:changed. ready is closed once the folders are watched.
func (w *workbenches) watch(ctx context.Context, s *benchSession, ready chan<- struct{}) {
	watcher, err := fsnotify.NewWatcher()
	if err != nil {
		w.setWatch(s, 0, fmt.Sprintf("the folder is not followed: %v; reopen it to read it again", err))
		close(ready)
		return
	}
	defer watcher.Close()
	t := &dirWatch{add: watcher.Add, root: s.dir, watched: map[string]bool{}}
	t.walk(s.dir)
	w.setWatch(s, len(t.watched), t.note())
	close(ready)

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	changed := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-watcher.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod || t.ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
					t.walk(ev.Name)
					w.setWatch(s, len(t.watched), t.note())
				}
			}
			if rel, err := filepath.Rel(s.dir, ev.Name); err == nil {
				changed[filepath.ToSlash(rel)] = true
			}
			timer.Reset(benchDebounce)
		case err, ok := <-watcher.Errors:
			if !ok {
				return
			}
			w.log.Warn("template workbench: watch", "workbench", s.id, "err", err)
			// A queue overflow loses events: read the folder all the same.
			changed["."] = true
			timer.Reset(benchDebounce)
		case <-timer.C:
			paths := make([]string, 0, len(changed))
			for p := range changed {
				paths = append(paths, p)
			}
			slices.Sort(paths)
			clear(changed)
			w.load(ctx, s, paths)
		}
	}
}

func (w *workbenches) setWatch(s *benchSession, n int, note string) {
	s.mu.Lock()
	s.state.Watched, s.state.WatchNote = n, note
	s.mu.Unlock()
}

// dirWatch adds the folders of a tree to a watcher, within the bounds.
type dirWatch struct {
	add     func(string) error
	root    string
	watched map[string]bool
	walked  int
	// skipped are folders left out by name; capped says the bounds were met;
	// failed is the first folder the watcher refused.
	skipped []string
	capped  bool
	failed  string
}

// walk watches dir and the folders under it that are not left out.
func (d *dirWatch) walk(dir string) {
	if d.ignored(dir) {
		return
	}
	_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		d.walked++
		if d.walked > maxWalked || len(d.watched) >= maxWatchedDirs {
			d.capped = true
			return filepath.SkipAll
		}
		if err != nil || !e.IsDir() {
			return nil
		}
		if p != d.root && skipDir(e.Name()) {
			if rel, err := filepath.Rel(d.root, p); err == nil && !slices.Contains(d.skipped, rel) && len(d.skipped) < 5 {
				d.skipped = append(d.skipped, filepath.ToSlash(rel))
			}
			return filepath.SkipDir
		}
		if d.watched[p] {
			return nil
		}
		if err := d.add(p); err != nil {
			if d.failed == "" {
				d.failed = fmt.Sprintf("%s: %v", p, err)
			}
			return filepath.SkipDir
		}
		d.watched[p] = true
		return nil
	})
}

// ignored says whether a path is inside a folder left out.
func (d *dirWatch) ignored(p string) bool {
	rel, err := filepath.Rel(d.root, p)
	if err != nil || rel == "." {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for _, part := range parts[:len(parts)-1] {
		if skipDir(part) {
			return true
		}
	}
	// Editors' swap and backup files change at every keystroke.
	last := parts[len(parts)-1]
	return strings.HasSuffix(last, "~") || strings.HasSuffix(last, ".swp") || strings.HasSuffix(last, ".swx") || strings.HasPrefix(last, ".#") || last == "4913"
}

func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || unwatchedDirs[name]
}

// note says what the watch left out, for the author.
func (d *dirWatch) note() string {
	var parts []string
	if len(d.skipped) > 0 {
		parts = append(parts, "not followed: "+strings.Join(d.skipped, ", ")+" (hidden and dependency folders)")
	}
	if d.capped {
		parts = append(parts, fmt.Sprintf("only the first %d folders are followed (of at most %d entries looked at); reopen to read the rest", maxWatchedDirs, maxWalked))
	}
	if d.failed != "" {
		parts = append(parts, "a folder could not be followed: "+d.failed)
	}
	return strings.Join(parts, "; ")
}
