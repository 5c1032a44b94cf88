package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/techdocs"
	"github.com/callboard/callboard/app/watch"
)

// DocsPreview is a docs folder on disk opened for its author: the site
// as the working tree has it now, uncommitted changes included.
type DocsPreview struct {
	ID  string `json:"id"`
	Dir string `json:"dir"`
	// Version counts the changes seen since the preview opened;
	// docs:changed carries the new one.
	Version int      `json:"version"`
	Site    DocsSite `json:"site"`
	// Error is why the folder does not read as a site just now (an
	// mkdocs.yml half edited); the preview stays open and reads it again
	// at the next change.
	Error string `json:"error,omitempty"`
}

// DocsPreviewChange says files of an open docs preview changed.
type DocsPreviewChange struct {
	ID      string   `json:"id"`
	Version int      `json:"version"`
	Files   []string `json:"files"`
}

// Bounds of a preview: the folder is the author's, but it may be any
// folder, and a home directory must not be walked or watched whole.
const (
	maxPreviews     = 8
	maxPreviewFiles = 20_000
	maxPreviewDirs  = 1_000
	previewDebounce = 50 * time.Millisecond
)

// docsPreviews keeps the open previews, each with a watcher that runs
// until the preview closes or the instance shuts down.
type docsPreviews struct {
	view    *docsView
	workers Spawner
	events  publisher
	log     *slog.Logger

	mu   sync.Mutex
	open []*preview // oldest first
}

// preview is one open docs folder; its site is read again after a change.
type preview struct {
	id, dir string
	stop    context.CancelFunc

	mu      sync.Mutex
	version int
	read    int // the version site and files are of; -1 before the first read
	site    techdocs.Site
	files   catalog.Files
	err     error
}

// previewID names a folder's preview: the same folder is the same preview.
func previewID(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return hex.EncodeToString(sum[:8])
}

// OpenDocsPreview answers API.OpenDocsPreview.
func (d *docsPreviews) OpenDocsPreview(ctx context.Context, dir string) (DocsPreview, error) {
	if !filepath.IsAbs(dir) {
		return DocsPreview{}, fmt.Errorf("preview docs of %q: not an absolute path: %w", dir, ErrInvalid)
	}
	real, err := filepath.EvalSymlinks(filepath.Clean(dir))
	if err != nil {
		return DocsPreview{}, fmt.Errorf("preview docs of %s: %w: %w", dir, err, ErrNotFound)
	}
	if fi, err := os.Stat(real); err != nil || !fi.IsDir() {
		return DocsPreview{}, fmt.Errorf("preview docs of %s: not a folder: %w", dir, ErrInvalid)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if i := slices.IndexFunc(d.open, func(p *preview) bool { return p.dir == real }); i >= 0 {
		return d.describe(d.open[i]), nil
	}
	if d.workers == nil {
		return DocsPreview{}, fmt.Errorf("preview docs of %s: this instance watches no folders: %w", dir, ErrConflict)
	}
	p := &preview{id: previewID(real), dir: real, read: -1}
	// A folder that is no site at all is refused now; one that stops
	// being one while edited stays open.
	if _, _, err := p.state(); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return DocsPreview{}, fmt.Errorf("preview docs of %s: no mkdocs.yml or docs folder with Markdown pages: %w", dir, ErrNotFound)
		}
		return DocsPreview{}, fmt.Errorf("preview docs of %s: %w: %w", dir, err, ErrInvalid)
	}
	w, err := watch.New(real, watch.Options{Debounce: previewDebounce, MaxDirs: maxPreviewDirs})
	if err != nil {
		if errors.Is(err, watch.ErrTooManyFolders) {
			err = fmt.Errorf("%w: %w", err, ErrInvalid)
		}
		return DocsPreview{}, fmt.Errorf("preview docs of %s: %w", dir, err)
	}
	// The watcher lives as long as the preview, not as the request.
	run, stop := context.WithCancel(context.WithoutCancel(ctx))
	p.stop = stop
	err = d.workers.Go("docs preview", func(owner context.Context) {
		defer context.AfterFunc(owner, stop)()
		if err := w.Run(run, func(changed []string) { d.changed(p, changed) }); err != nil {
			d.log.Warn("docs preview stopped watching", "dir", real, "err", err)
		}
	})
	if err != nil {
		stop()
		w.Close()
		return DocsPreview{}, fmt.Errorf("preview docs of %s: %w", dir, err)
	}
	if len(d.open) >= maxPreviews {
		d.open[0].stop()
		d.open = d.open[1:]
	}
	d.open = append(d.open, p)
	d.log.Info("docs preview opened", "dir", real, "id", p.id, "folders", w.Dirs())
	return d.describe(p), nil
}

// changed reads the site again and tells the front ends.
func (d *docsPreviews) changed(p *preview, files []string) {
	p.mu.Lock()
	p.version++
	v := p.version
	p.mu.Unlock()
	d.events.emit(context.Background(), events.DocsChanged, DocsPreviewChange{ID: p.id, Version: v, Files: files})
}

// state is the site as the folder has it at the preview's version.
func (p *preview) state() (techdocs.Site, catalog.Files, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.read == p.version {
		return p.site, p.files, p.err
	}
	p.read = p.version
	p.files, p.err = openPreviewFiles(p.dir)
	if p.err == nil {
		p.site, p.err = techdocs.Load(p.files, ".")
	}
	return p.site, p.files, p.err
}

// describe is what the API says of p.
func (d *docsPreviews) describe(p *preview) DocsPreview {
	site, _, err := p.state()
	p.mu.Lock()
	out := DocsPreview{ID: p.id, Dir: p.dir, Version: p.version}
	p.mu.Unlock()
	if err != nil {
		out.Error = err.Error()
		out.Site = DocsSite{Nav: []techdocs.NavItem{}, Pages: []string{}}
		return out
	}
	out.Site = siteOf(site)
	out.Site.LocalDir = p.dir
	return out
}

// find is the open preview id names.
func (d *docsPreviews) find(id string) (*preview, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if i := slices.IndexFunc(d.open, func(p *preview) bool { return p.id == id }); i >= 0 {
		return d.open[i], nil
	}
	return nil, fmt.Errorf("docs preview %q: not open: %w", id, ErrNotFound)
}

// DocsPreview answers API.DocsPreview.
func (d *docsPreviews) DocsPreview(ctx context.Context, id string) (DocsPreview, error) {
	p, err := d.find(id)
	if err != nil {
		return DocsPreview{}, err
	}
	return d.describe(p), nil
}

// DocsPreviewPage answers API.DocsPreviewPage: the page rendered as
// DocsPage renders synced ones, from the working tree, never cached.
func (d *docsPreviews) DocsPreviewPage(ctx context.Context, id, page string) (DocsPage, error) {
	p, err := d.find(id)
	if err != nil {
		return DocsPage{}, err
	}
	leave, err := d.view.gate.enter(ctx)
	if err != nil {
		return DocsPage{}, err
	}
	defer leave()
	site, files, err := p.state()
	if err != nil {
		return DocsPage{}, fmt.Errorf("docs preview of %s: %w: %w", p.dir, err, ErrConflict)
	}
	links := techdocs.Links{
		Page:   func(pg, anchor string) string { return previewRoute(p.dir, pg, anchor) },
		Entity: entityDocsRoute,
		Asset:  inlineAsset(files, site.File),
	}
	out, err := d.view.renderPage(site, files, page, links, func(string) string { return "" })
	if err != nil || out.Redirect != nil && out.Redirect.URL != "" {
		return out, err
	}
	out.LocalFile = filepath.Join(p.dir, filepath.FromSlash(site.File(out.Path)))
	if site.RepoURL != "" && site.EditURI != "" {
		out.EditURL = editURL(site, out.Path)
	}
	return out, nil
}

// CloseDocsPreview answers API.CloseDocsPreview.
func (d *docsPreviews) CloseDocsPreview(ctx context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := slices.IndexFunc(d.open, func(p *preview) bool { return p.id == id })
	if i < 0 {
		return fmt.Errorf("docs preview %q: not open: %w", id, ErrNotFound)
	}
	d.open[i].stop()
	d.log.Info("docs preview closed", "dir", d.open[i].dir, "id", id)
	d.open = slices.Delete(d.open, i, i+1)
	return nil
}

// Dirs are the folders previewed, whose files Open may open.
func (d *docsPreviews) Dirs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]string, 0, len(d.open))
	for _, p := range d.open {
		out = append(out, p.dir)
	}
	return out
}

// previewRoute is the app route of a page (and anchor) of the preview of
// dir: by folder, so it still leads there after a restart.
func previewRoute(dir, page, anchor string) string {
	q := url.Values{"dir": {dir}}
	if page != "" {
		q.Set("page", page)
	}
	if anchor != "" {
		q.Set("anchor", anchor)
	}
	return "#/docs/preview?" + q.Encode()
}

// previewFiles reads a previewed folder through os.Root (nothing outside
// it), listing at most maxPreviewFiles files and none in the folders the
// watcher skips. Each read opens the folder anew, so nothing is held
// open between changes.
type previewFiles struct {
	dir  string
	list []string
}

// maxPreviewFile bounds a file read whole: pages, mkdocs.yml, snippets
// and images have their own smaller limits after reading.
const maxPreviewFile = 16 << 20

func openPreviewFiles(dir string) (catalog.Files, error) {
	var list []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if e.IsDir() && watch.SkipDir(rel) {
			return filepath.SkipDir
		}
		if e.Type().IsRegular() {
			if len(list) >= maxPreviewFiles {
				return fmt.Errorf("%s holds more than %d files: preview a smaller folder", dir, maxPreviewFiles)
			}
			list = append(list, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return previewFiles{dir: dir, list: list}, nil
}

// ReadFile implements catalog.Files.
func (f previewFiles) ReadFile(name string) ([]byte, error) {
	df, err := catalog.OpenDir(f.dir)
	if err != nil {
		return nil, err
	}
	defer df.Close()
	size, err := df.Size(name)
	if err != nil {
		return nil, err
	}
	if size > maxPreviewFile {
		return nil, fmt.Errorf("%s is %d bytes: files over %d bytes are not read", name, size, maxPreviewFile)
	}
	return df.ReadFile(name)
}

// Size implements catalog.Files.
func (f previewFiles) Size(name string) (int64, error) {
	df, err := catalog.OpenDir(f.dir)
	if err != nil {
		return 0, err
	}
	defer df.Close()
	return df.Size(name)
}

// List implements catalog.Files.
func (f previewFiles) List() ([]string, error) { return f.list, nil }
