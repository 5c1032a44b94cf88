package portal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/scaffold"
)

// Workbench is a template folder of the user's disk opened for its
// author: the form as the folder last read cleanly, what is wrong with it
// now, and how the folder is followed.
type Workbench struct {
	ID string `json:"id"`
	// Dir is the folder followed; File the template's file in it.
	Dir  string `json:"dir"`
	File string `json:"file"`
	// Template is the form as the file last read without errors, so a
	// save that breaks the YAML keeps the form; null until it first does.
	Template *TemplateDetail `json:"template"`
	// Problems are what is wrong with the file as saved now, each with
	// its file, line and column where the catalog gives them.
	Problems []WorkbenchProblem `json:"problems"`
	// Watched is how many folders are followed; WatchNote says which were
	// left out and why.
	Watched   int    `json:"watched"`
	WatchNote string `json:"watchNote,omitempty"`
	// Version counts the reads of the folder: each workbench:changed
	// carries a new one.
	Version int `json:"version"`
	// Changed are the files (relative to Dir) whose change caused this
	// read; empty for the first.
	Changed []string `json:"changed"`
}

// WorkbenchProblem is an error in a workbench's template, where it is.
type WorkbenchProblem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// maxWorkbenches is how many folders are followed at once; opening one
// more closes the one opened first (a browser tab closed without saying
// so leaves its session behind).
const maxWorkbenches = 8

// workbenches follow template folders on the user's disk and dry-run
// them as their authors type (workbenchwatch.go, workbenchrun.go).
type workbenches struct {
	templates workbenchTemplates
	workers   Spawner
	events    publisher
	log       *slog.Logger
	dataDir   string

	mu       sync.Mutex
	sessions map[string]*benchSession
	order    []string // ids, oldest first
}

// workbenchTemplates makes a folder's template into the form and runs it
// as the catalog's templates are; *templateRuns is the one in use.
type workbenchTemplates interface {
	detail(ctx context.Context, t scaffold.Template) (TemplateDetail, error)
	runner(ctx context.Context) *scaffold.Runner
	runUser(ctx context.Context) scaffold.User
}

// benchSession is one folder followed.
type benchSession struct {
	id, dir, file string
	// stop ends the watch; done is closed when it has.
	stop context.CancelFunc
	done chan struct{}

	mu    sync.Mutex
	state Workbench
	tmpl  *scaffold.Template // last read cleanly

	// runMu lets one dry run at a time compare with the one before;
	// cancelRun stops a dry run a newer one makes pointless.
	runMu     sync.Mutex
	cancelMu  sync.Mutex
	cancelRun context.CancelFunc
	prev      map[string]scaffold.File
	// lastChanges are the changes of the last dry run that made any.
	lastChanges []FileChange
}

// OpenWorkbench answers API.OpenWorkbench.
func (w *workbenches) OpenWorkbench(ctx context.Context, dir string) (Workbench, error) {
	if !filepath.IsAbs(dir) {
		return Workbench{}, fmt.Errorf("template folder %q: want an absolute path: %w", dir, ErrInvalid)
	}
	dir, file, err := findTemplate(filepath.Clean(dir))
	if err != nil {
		return Workbench{}, err
	}
	w.mu.Lock()
	for _, s := range w.sessions {
		if s.dir == dir && s.file == file {
			w.mu.Unlock()
			return s.view(), nil
		}
	}
	w.mu.Unlock()
	id, err := benchID()
	if err != nil {
		return Workbench{}, err
	}
	s := &benchSession{id: id, dir: dir, file: file, done: make(chan struct{})}
	s.state = Workbench{ID: id, Dir: dir, File: file, Problems: []WorkbenchProblem{}, Changed: []string{}}
	watchCtx, stop := context.WithCancel(context.Background())
	s.stop = stop
	ready := make(chan struct{})
	if err := w.workers.Go("template workbench "+id, func(owner context.Context) {
		defer close(s.done)
		defer stop()
		defer context.AfterFunc(owner, stop)()
		w.watch(watchCtx, s, ready)
	}); err != nil {
		stop()
		return Workbench{}, fmt.Errorf("follow %s: %w", dir, err)
	}
	// The folder is watched before it is read, so no save is missed
	// between the two (one during the read is read again after it).
	select {
	case <-ready:
	case <-s.done:
	}
	w.load(ctx, s, nil)
	w.mu.Lock()
	if w.sessions == nil {
		w.sessions = map[string]*benchSession{}
	}
	w.sessions[id] = s
	w.order = append(w.order, id)
	var evicted *benchSession
	if len(w.order) > maxWorkbenches {
		evicted = w.sessions[w.order[0]]
		delete(w.sessions, w.order[0])
		w.order = w.order[1:]
	}
	w.mu.Unlock()
	if evicted != nil {
		evicted.close()
	}
	w.log.Info("template workbench opened", "workbench", id, "dir", dir, "file", file)
	return s.view(), nil
}

// Workbench answers API.Workbench.
func (w *workbenches) Workbench(ctx context.Context, id string) (Workbench, error) {
	s, err := w.session(id)
	if err != nil {
		return Workbench{}, err
	}
	return s.view(), nil
}

// CloseWorkbench answers API.CloseWorkbench.
func (w *workbenches) CloseWorkbench(ctx context.Context, id string) error {
	s, err := w.session(id)
	if err != nil {
		return err
	}
	w.mu.Lock()
	delete(w.sessions, id)
	w.order = slices.DeleteFunc(w.order, func(o string) bool { return o == id })
	w.mu.Unlock()
	s.close()
	return nil
}

func (w *workbenches) session(id string) (*benchSession, error) {
	if err := requireID("workbench id", id); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	s, ok := w.sessions[id]
	if !ok {
		return nil, fmt.Errorf("workbench %s (closed, or never opened): %w", id, ErrNotFound)
	}
	return s, nil
}

// close stops following the folder and any dry run, and waits for both.
func (s *benchSession) close() {
	s.stop()
	<-s.done
	s.cancelMu.Lock()
	if s.cancelRun != nil {
		s.cancelRun()
	}
	s.cancelMu.Unlock()
	s.runMu.Lock()
	s.prev, s.lastChanges = nil, nil
	s.runMu.Unlock()
}

// view is the session's state, a copy the caller may keep.
func (s *benchSession) view() Workbench {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.state
	v.Problems = slices.Clone(v.Problems)
	v.Changed = slices.Clone(v.Changed)
	return v
}

// load reads the template from the folder as it is now and publishes the
// new state; changed are the files that moved it to.
func (w *workbenches) load(ctx context.Context, s *benchSession, changed []string) Workbench {
	t, problems := readTemplate(ctx, s.dir, s.file)
	var detail *TemplateDetail
	if t != nil {
		d, err := w.templates.detail(ctx, *t)
		if err != nil {
			problems = append(problems, WorkbenchProblem{File: s.file, Message: err.Error()})
			t = nil
		} else {
			detail = &d
		}
	}
	s.mu.Lock()
	if t != nil {
		s.tmpl, s.state.Template = t, detail
	}
	s.state.Problems = problems
	s.state.Version++
	s.state.Changed = changed
	if s.state.Changed == nil {
		s.state.Changed = []string{}
	}
	s.mu.Unlock()
	v := s.view()
	if len(changed) > 0 {
		w.events.emit(ctx, events.WorkbenchChanged, v)
	}
	return v
}

// template is the session's template as last read cleanly, reading the
// files of a fresh handle on the folder (the caller closes it).
func (s *benchSession) template() (scaffold.Template, *catalog.DirFiles, error) {
	s.mu.Lock()
	t := s.tmpl
	s.mu.Unlock()
	if t == nil {
		return scaffold.Template{}, nil, fmt.Errorf("%s does not read as a template yet (see its problems): %w", s.file, ErrInvalid)
	}
	files, err := catalog.OpenDir(s.dir)
	if err != nil {
		return scaffold.Template{}, nil, fmt.Errorf("open %s: %w", s.dir, err)
	}
	out := *t
	out.Files = files
	return out, files, nil
}

// readTemplate reads file in dir as the catalog would, with the folder as
// its repository; what it refuses comes back as problems, with positions.
// URL placeholders are not read: a workbench is offline.
func readTemplate(ctx context.Context, dir, file string) (*scaffold.Template, []WorkbenchProblem) {
	files, err := catalog.OpenDir(dir)
	if err != nil {
		return nil, []WorkbenchProblem{{Message: err.Error()}}
	}
	defer files.Close()
	res := catalog.Process(ctx, files, catalog.Options{}, file)
	problems := []WorkbenchProblem{}
	add := func(errs []catalog.Error) {
		for _, e := range errs {
			// A verdict's errors are often the result's too.
			if slices.ContainsFunc(problems, func(p WorkbenchProblem) bool {
				return p.File == e.File && p.Line == e.Line && p.Column == e.Column && p.Field == e.Field && p.Message == e.Message
			}) {
				continue
			}
			problems = append(problems, WorkbenchProblem{File: e.File, Line: e.Line, Column: e.Column, Field: e.Field, Message: e.Message})
		}
	}
	add(res.Errors)
	var found *catalog.Processed
	for _, v := range res.Verdicts {
		if v.Kind != "Template" || v.Source.File != file {
			continue
		}
		add(v.Errors)
		for i, p := range res.Entities {
			if found == nil && len(v.Errors) == 0 && p.Entity.Ref().String() == v.Ref {
				found = &res.Entities[i]
			}
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if found == nil {
		return nil, []WorkbenchProblem{{File: file, Message: "holds no kind: Template"}}
	}
	t, err := scaffold.FromEntity(found.Entity.Raw, scaffold.Source{Files: files, File: file})
	if err != nil {
		return nil, []WorkbenchProblem{{File: file, Message: strings.TrimPrefix(err.Error(), file+": ")}}
	}
	t.Files = nil // the handle closes here; runs open their own
	return &t, problems
}

var templateKind = regexp.MustCompile(`(?m)^kind:\s*Template\s*$`)

// findTemplate finds the template a path names: a file (its folder is
// followed), or in a folder its template.yaml (template.yml), else the
// one YAML file there holding a Template.
func findTemplate(p string) (dir, file string, err error) {
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", "", fmt.Errorf("%s: %w", p, ErrNotFound)
	case err != nil:
		return "", "", fmt.Errorf("%s: %v: %w", p, err, ErrInvalid)
	case !fi.IsDir():
		return filepath.Dir(p), filepath.Base(p), nil
	}
	for _, name := range []string{"template.yaml", "template.yml"} {
		if fi, err := os.Stat(filepath.Join(p, name)); err == nil && !fi.IsDir() {
			return p, name, nil
		}
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return "", "", fmt.Errorf("read %s: %v: %w", p, err, ErrInvalid)
	}
	var found []string
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); e.IsDir() || ext != ".yaml" && ext != ".yml" {
			continue
		}
		if head, err := readHead(filepath.Join(p, e.Name()), catalog.MaxFileSize); err == nil && templateKind.Match(head) {
			found = append(found, e.Name())
		}
	}
	switch len(found) {
	case 0:
		return "", "", fmt.Errorf("%s has no template.yaml, nor any YAML file with kind: Template: %w", p, ErrInvalid)
	case 1:
		return p, found[0], nil
	}
	return "", "", fmt.Errorf("%s holds several templates (%s): name the file: %w", p, strings.Join(found, ", "), ErrInvalid)
}

// readHead reads at most limit bytes of a file.
func readHead(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

func benchID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make a workbench id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
