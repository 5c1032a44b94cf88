package portal

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/callboard/callboard/app/opener"
	"github.com/callboard/callboard/app/store"
)

// launcher opens the user's own files in their tools.
type launcher struct {
	db   launcherStore
	runs runHistory
	// previews are the docs folders open for their authors.
	previews interface{ Dirs() []string }
	start    func(*exec.Cmd) error
	log      *slog.Logger
}

// launcherStore reads the locations (whose folders may open) and the
// settings (which tools open them).
type launcherStore interface {
	locationLister
	Settings(ctx context.Context) (store.Settings, error)
}

// Open answers API.Open. Only paths inside the user's own repositories (the
// local locations and the projects templates made) open: a page cannot ask the portal to run a tool on an
// arbitrary file.
func (s *launcher) Open(ctx context.Context, req OpenRequest) error {
	target := opener.Target(req.With)
	if target != opener.Editor && target != opener.Folder && target != opener.Terminal {
		return fmt.Errorf("open with %q: want editor, folder or terminal: %w", req.With, ErrInvalid)
	}
	p := filepath.Clean(req.Path)
	if !filepath.IsAbs(p) {
		return fmt.Errorf("open %q: not an absolute path: %w", req.Path, ErrInvalid)
	}
	roots, err := s.openRoots(ctx)
	if err != nil {
		return err
	}
	if !inAny(p, roots) {
		return fmt.Errorf("open %s: only files of your local repositories open: %w", p, ErrInvalid)
	}
	st, err := s.db.Settings(ctx)
	if err != nil {
		return err
	}
	o := opener.Opener{Editor: st.Editor, TerminalCmd: st.Terminal}
	// The editor outlives the request that opened it.
	if req.Line < 0 || req.Column < 0 {
		return fmt.Errorf("open %s at line %d, column %d: want 1 or more: %w", p, req.Line, req.Column, ErrInvalid)
	}
	cmd, err := o.CommandAt(context.WithoutCancel(ctx), target, p, req.Line, req.Column)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	start := s.start
	if start == nil {
		start = opener.Start
	}
	if err := start(cmd); err != nil {
		return err
	}
	s.log.Info("opened", "path", p, "with", target)
	return nil
}

// openRoots are the folders whose files Open may open, resolved through
// symlinks.
func (s *launcher) openRoots(ctx context.Context) ([]string, error) {
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return nil, err
	}
	var roots []string
	for _, l := range locs {
		if dir := localDir(l); dir != "" {
			roots = append(roots, dir)
		}
	}
	// And the projects templates made here.
	runs, err := s.runs.ScaffoldRuns(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		if r.Status == "completed" && !r.DryRun && r.Target != "" {
			if real, err := filepath.EvalSymlinks(r.Target); err == nil {
				roots = append(roots, real)
			}
		}
	}
	if s.previews != nil {
		roots = append(roots, s.previews.Dirs()...)
	}
	return roots, nil
}

// localDir is the folder of a location that is a repository on this
// machine (a path or a file:// URL), "" for remote ones.
func localDir(l store.Location) string {
	dir := l.URL
	if rest, ok := strings.CutPrefix(dir, "file://"); ok {
		u, err := url.Parse("file://" + rest)
		if err != nil {
			return ""
		}
		dir = u.Path
	}
	if !filepath.IsAbs(dir) {
		return ""
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		return real
	}
	return filepath.Clean(dir)
}

// inAny says whether p (through its symlinks) is one of roots or inside one.
func inAny(p string, roots []string) bool {
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	for _, r := range roots {
		if rel, err := filepath.Rel(r, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// localFile is file (a repository path) in the user's own checkout of a
// local location, when it is there.
func localFile(l store.Location, file string) string {
	dir := localDir(l)
	if dir == "" {
		return ""
	}
	p := filepath.Join(dir, filepath.FromSlash(file))
	if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	return p
}
