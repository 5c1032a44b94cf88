package portal

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// Scaffold events: a run's progress (step starts and ends, log lines) and
// its end.
const (
	ScaffoldProgress = "scaffold:progress"
	ScaffoldDone     = "scaffold:done"
)

// TemplateStep is one step of a template, as the form's review lists it.
type TemplateStep struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Action string `json:"action"`
}

// TemplateDetail is what the Create form needs: the parameters (JSON
// Schema pages, in the author's order) and the steps.
type TemplateDetail struct {
	Ref         string          `json:"ref"`
	Title       string          `json:"title"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters"`
	Steps       []TemplateStep  `json:"steps"`
	// Problem says why the template cannot run here (an unknown action).
	Problem string `json:"problem,omitempty"`
	// Workspace is the folder new projects go into by default.
	Workspace string `json:"workspace"`
}

// ScaffoldRequest runs a template. Values are the form's answers (JSON,
// order kept); Secrets are kept out of logs and the run's history.
type ScaffoldRequest struct {
	Template  string            `json:"template"`
	Values    json.RawMessage   `json:"values"`
	Secrets   map[string]string `json:"secrets,omitempty"`
	Target    string            `json:"target,omitempty"`
	DryRun    bool              `json:"dryRun,omitempty"`
	Overwrite bool              `json:"overwrite,omitempty"`
	// Wait returns when the run has ended (the CLI), not when it started.
	Wait bool `json:"wait,omitempty"`
}

// PublishState is where a published project's first push stands.
type PublishState struct {
	Remote string `json:"remote,omitempty"`
	Branch string `json:"branch"`
	// Status is pushed, pending (retried at each sync) or local.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// ScaffoldRun is a template run, live or in the history.
type ScaffoldRun struct {
	ID         string                `json:"id"`
	Template   string                `json:"template"`
	Title      string                `json:"title"`
	Target     string                `json:"target,omitempty"`
	DryRun     bool                  `json:"dryRun,omitempty"`
	Status     string                `json:"status"`
	Error      string                `json:"error,omitempty"`
	Started    time.Time             `json:"started"`
	Finished   *time.Time            `json:"finished,omitempty"`
	Steps      []scaffold.StepResult `json:"steps"`
	Links      []scaffold.Link       `json:"links"`
	Texts      []scaffold.Text       `json:"texts"`
	Files      []scaffold.File       `json:"files"`
	Publish    []PublishState        `json:"publish,omitempty"`
	Registered []string              `json:"registered,omitempty"`
}

// ScaffoldEvent is a run's progress event.
type ScaffoldEvent struct {
	RunID string `json:"runId"`
	scaffold.Event
}

// runs are the runs in progress, for cancelling and waiting.
type runs struct {
	mu   sync.Mutex
	live map[string]*liveRun
}

type liveRun struct {
	cancel context.CancelFunc
	done   chan struct{}
	// steps is the run so far, from its events, so a page opened mid-run
	// shows every step; guarded by runs.mu.
	steps []scaffold.StepResult
}

// follow applies a progress event to the live steps.
func (l *liveRun) follow(e scaffold.Event) {
	for i := range l.steps {
		s := &l.steps[i]
		if s.ID != e.Step {
			continue
		}
		switch e.Kind {
		case "start":
			s.Status = scaffold.Running
		case "log":
			s.Log = append(s.Log, e.Line)
		case "end":
			s.Status, s.DurationMS = e.Status, e.DurationMS
		}
		return
	}
}

// templateOf loads a catalog template from its repository.
func (s *Service) templateOf(ctx context.Context, ref string) (scaffold.Template, error) {
	r, err := catalog.ParseRef(ref, "template", catalog.DefaultNamespace)
	if err != nil {
		return scaffold.Template{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := s.cfg.DB.Entity(ctx, r.String())
	if err != nil {
		return scaffold.Template{}, err
	}
	if !ok || !strings.EqualFold(e.Entity.Kind, "template") {
		return scaffold.Template{}, fmt.Errorf("template %s: %w", r, ErrNotFound)
	}
	files, _, err := s.cfg.Syncer.Files(ctx, e.LocationID)
	if err != nil {
		return scaffold.Template{}, err
	}
	t, err := scaffold.Load(files, e.Source.File, e.Entity.Metadata.Name)
	if err != nil {
		return scaffold.Template{}, fmt.Errorf("template %s: %w", r, err)
	}
	return t, nil
}

// runner is a runner with the built-in actions and those of the enabled
// plugins.
func (s *Service) runner(ctx context.Context) *scaffold.Runner {
	r := scaffold.NewRunner(scaffoldHost{s}, nil)
	if s.cfg.Plugins == nil {
		return r
	}
	for _, a := range s.cfg.Plugins.Actions(ctx) {
		if err := r.Add(scaffold.Action{ID: a.Spec.GetId(), Run: s.pluginAction(a.Plugin, a.Spec.GetId())}); err != nil {
			s.log.Warn("a plugin's action is left out", "plugin", a.Plugin, "err", err)
		}
	}
	return r
}

// pluginAction runs a plugin's action in the run's workspace: the input
// as JSON, log lines into the step's log, outputs back as values.
func (s *Service) pluginAction(plugin, id string) func(context.Context, *scaffold.Context) error {
	return func(ctx context.Context, c *scaffold.Context) error {
		input, err := json.Marshal(c.Input)
		if err != nil {
			return fmt.Errorf("input: %w", err)
		}
		outputs, err := s.cfg.Plugins.RunAction(ctx, plugin, &pluginv1.RunActionRequest{ActionId: id, InputJson: string(input), Workspace: c.Workspace.Dir, DryRun: c.DryRun},
			func(line string) { c.Logf("%s", line) })
		if err != nil {
			return fmt.Errorf("plugin %s: %w", plugin, err)
		}
		for name, raw := range outputs {
			v, err := nunjucks.DecodeJSON(raw)
			if err != nil {
				return fmt.Errorf("plugin %s: output %s: %w", plugin, name, err)
			}
			c.Output(name, v)
		}
		return nil
	}
}

// Template implements API.
func (s *Service) Template(ctx context.Context, ref string) (TemplateDetail, error) {
	t, err := s.templateOf(ctx, ref)
	if err != nil {
		return TemplateDetail{}, err
	}
	params, err := json.Marshal(t.Parameters)
	if err != nil {
		return TemplateDetail{}, err
	}
	out := TemplateDetail{Ref: t.Ref, Title: cmp.Or(t.Title, t.Name), Description: t.Description, Parameters: params, Steps: []TemplateStep{}, Workspace: s.workspace(ctx)}
	for _, st := range t.Steps {
		out.Steps = append(out.Steps, TemplateStep{ID: st.ID, Name: st.Name, Action: st.Action})
	}
	if err := s.runner(ctx).Check(t); err != nil {
		out.Problem = err.Error()
	}
	return out, nil
}

// workspace is where new projects go: Settings, else ~/src.
func (s *Service) workspace(ctx context.Context) string {
	if st, err := s.cfg.DB.Settings(ctx); err == nil && st.Workspace != "" {
		return st.Workspace
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, "src")
}

// Scaffold implements API.
func (s *Service) Scaffold(ctx context.Context, req ScaffoldRequest) (ScaffoldRun, error) {
	t, err := s.templateOf(ctx, req.Template)
	if err != nil {
		return ScaffoldRun{}, err
	}
	if err := s.runner(ctx).Check(t); err != nil {
		return ScaffoldRun{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	values := any(nunjucks.NewObject())
	if len(req.Values) > 0 && string(req.Values) != "null" {
		if values, err = nunjucks.DecodeJSON(req.Values); err != nil {
			return ScaffoldRun{}, fmt.Errorf("values: %v: %w", err, ErrInvalid)
		}
	}
	if !req.DryRun {
		if req.Target == "" {
			return ScaffoldRun{}, fmt.Errorf("a target folder is needed: %w", ErrInvalid)
		}
		if !filepath.IsAbs(req.Target) {
			return ScaffoldRun{}, fmt.Errorf("target %q: want an absolute path: %w", req.Target, ErrInvalid)
		}
		req.Target = filepath.Clean(req.Target)
	}
	id, err := runID()
	if err != nil {
		return ScaffoldRun{}, err
	}
	run := ScaffoldRun{ID: id, Template: t.Ref, Title: cmp.Or(t.Title, t.Name), Target: req.Target, DryRun: req.DryRun, Status: string(scaffold.Running),
		Started: time.Now().UTC(), Steps: []scaffold.StepResult{}, Links: []scaffold.Link{}, Texts: []scaffold.Text{}, Files: []scaffold.File{}}
	if err := s.saveRun(ctx, run); err != nil {
		return ScaffoldRun{}, err
	}
	ident, _ := s.identity(ctx)
	user := scaffold.User{Ref: ident.UserRef, Name: ident.Name, Email: ident.Email}
	if ident.UserRef != "" {
		if e, ok, _ := (scaffoldHost{s}).Entity(ctx, ident.UserRef); ok {
			user.Entity = e
		}
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	live := &liveRun{cancel: cancel, done: make(chan struct{})}
	for _, st := range t.Steps {
		live.steps = append(live.steps, scaffold.StepResult{ID: st.ID, Name: cmp.Or(st.Name, st.ID), Action: st.Action, Status: scaffold.Pending, Log: []string{}})
	}
	s.runs.mu.Lock()
	if s.runs.live == nil {
		s.runs.live = map[string]*liveRun{}
	}
	s.runs.live[id] = live
	s.runs.mu.Unlock()
	// The goroutine owns run from here; the caller gets a copy.
	started := run
	started.Steps = slices.Clone(live.steps)
	s.log.Info("template run started", "run", id, "template", t.Ref, "target", req.Target, "dryRun", req.DryRun)
	go func() {
		defer close(live.done)
		defer cancel()
		res := s.runner(ctx).Run(runCtx, t, scaffold.Request{
			Values: values, Secrets: req.Secrets, User: user, TaskID: id, DryRun: req.DryRun,
			Target: req.Target, Overwrite: req.Overwrite, WorkDir: filepath.Join(s.cfg.DataDir, "scaffold"),
		}, func(e scaffold.Event) {
			s.runs.mu.Lock()
			live.follow(e)
			s.runs.mu.Unlock()
			s.emit(runCtx, ScaffoldProgress, ScaffoldEvent{RunID: id, Event: e})
		})
		s.finishRun(context.WithoutCancel(runCtx), &run, res)
		s.runs.mu.Lock()
		delete(s.runs.live, id)
		s.runs.mu.Unlock()
		s.emit(runCtx, ScaffoldDone, run)
	}()
	if req.Wait {
		select {
		case <-live.done:
		case <-ctx.Done():
			cancel()
			<-live.done
		}
		return s.scaffoldRun(context.WithoutCancel(ctx), id)
	}
	return started, nil
}

// finishRun records the result, then does what publish:* and
// catalog:register left for the project in place: the first push, and
// adding its catalog file as a location.
func (s *Service) finishRun(ctx context.Context, run *ScaffoldRun, res scaffold.Result) {
	now := time.Now().UTC()
	run.Status, run.Error, run.Finished = string(res.Status), res.Error, &now
	run.Steps, run.Links, run.Texts, run.Files = res.Steps, res.Links, res.Texts, res.Files
	if !run.DryRun {
		// The history keeps the tree, not the contents.
		for i := range run.Files {
			run.Files[i].Content = ""
		}
	}
	if res.Status == scaffold.Completed && !run.DryRun {
		for _, p := range res.Publish {
			st := PublishState{Remote: p.Remote, Branch: p.Branch, Status: "local"}
			if p.Remote != "" {
				st.Status = "pending"
				if err := s.cfg.Syncer.PushNew(ctx, filepath.Join(run.Target, filepath.FromSlash(p.Dir)), p.Branch); err != nil {
					st.Error = err.Error()
					s.log.Warn("push a new project", "run", run.ID, "err", err)
				} else {
					st.Status = "pushed"
				}
			}
			run.Publish = append(run.Publish, st)
		}
		for _, r := range res.Register {
			if err := s.registerProject(ctx, run.Target, r); err != nil {
				run.Error = "registering " + r.Path + ": " + err.Error()
				s.log.Warn("register a new project", "run", run.ID, "err", err)
				continue
			}
			run.Registered = append(run.Registered, r.EntityRef)
		}
	}
	if err := s.saveRun(ctx, *run); err != nil {
		s.log.Error("save a template run", "run", run.ID, "err", err)
	}
	s.log.Info("template run ended", "run", run.ID, "status", run.Status)
}

// registerProject adds the new project's catalog file as a location of
// the local catalog (a repository on this machine) and syncs it.
func (s *Service) registerProject(ctx context.Context, dir string, r scaffold.Register) error {
	loc, err := s.AddLocation(ctx, NewLocation{URL: dir, Path: path.Clean(r.Path)})
	if err != nil {
		return err
	}
	if err := s.cfg.Syncer.Sync(ctx, loc.ID); err != nil {
		return err
	}
	if err := s.RefreshListing(ctx); err != nil {
		return err
	}
	if _, ok, err := s.cfg.DB.Entity(ctx, r.EntityRef); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("the catalog refused %s: see location %s for why", r.EntityRef, loc.ID)
	}
	return nil
}

// RetryPublish pushes the projects whose first push did not get through
// (offline, no credentials yet); Sync calls it.
func (s *Service) RetryPublish(ctx context.Context) {
	all, err := s.ScaffoldRuns(ctx)
	if err != nil {
		return
	}
	for _, run := range all {
		changed := false
		for i, p := range run.Publish {
			if p.Status != "pending" {
				continue
			}
			if err := s.cfg.Syncer.PushNew(ctx, run.Target, p.Branch); err != nil {
				run.Publish[i].Error = err.Error()
			} else {
				run.Publish[i].Status, run.Publish[i].Error = "pushed", ""
			}
			changed = true
		}
		if changed {
			if err := s.saveRun(ctx, run); err != nil {
				s.log.Warn("save a template run", "run", run.ID, "err", err)
			}
		}
	}
}

// ScaffoldRuns implements API: the history, newest first.
func (s *Service) ScaffoldRuns(ctx context.Context) ([]ScaffoldRun, error) {
	out := []ScaffoldRun{}
	err := s.cfg.DB.Runs(ctx, func(b []byte) error {
		var r ScaffoldRun
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// ScaffoldRun implements API.
func (s *Service) ScaffoldRun(ctx context.Context, id string) (ScaffoldRun, error) {
	return s.scaffoldRun(ctx, id)
}

func (s *Service) scaffoldRun(ctx context.Context, id string) (ScaffoldRun, error) {
	all, err := s.ScaffoldRuns(ctx)
	if err != nil {
		return ScaffoldRun{}, err
	}
	for _, r := range all {
		if r.ID != id {
			continue
		}
		s.runs.mu.Lock()
		if live := s.runs.live[id]; live != nil && r.Status == string(scaffold.Running) {
			r.Steps = slices.Clone(live.steps)
			for i := range r.Steps {
				r.Steps[i].Log = slices.Clone(r.Steps[i].Log)
			}
		}
		s.runs.mu.Unlock()
		return r, nil
	}
	return ScaffoldRun{}, fmt.Errorf("run %s: %w", id, ErrNotFound)
}

// CancelScaffold implements API.
func (s *Service) CancelScaffold(ctx context.Context, id string) error {
	s.runs.mu.Lock()
	live := s.runs.live[id]
	s.runs.mu.Unlock()
	if live == nil {
		return fmt.Errorf("run %s is not running: %w", id, ErrNotFound)
	}
	live.cancel()
	<-live.done
	return nil
}

func (s *Service) saveRun(ctx context.Context, r ScaffoldRun) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.cfg.DB.PutRun(ctx, r.ID, b)
}

// runID sorts by start time and is unique.
func runID() (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return time.Now().UTC().Format("20060102T150405.000") + "-" + hex.EncodeToString(b[:]), nil
}

// scaffoldHost gives actions the catalog and synced repositories.
type scaffoldHost struct{ s *Service }

func (h scaffoldHost) Entity(ctx context.Context, ref string) (any, bool, error) {
	e, ok, err := h.s.cfg.DB.Entity(ctx, ref)
	if err != nil || !ok {
		return nil, ok, err
	}
	b, err := json.Marshal(e.Entity.Raw)
	if err != nil {
		return nil, false, err
	}
	v, err := nunjucks.DecodeJSON(b)
	return v, err == nil, err
}

func (h scaffoldHost) Resolve(ctx context.Context, url string) (catalog.Files, string, error) {
	locationID, root, err := h.s.repoPath(ctx, url)
	if errors.Is(err, ErrNotFound) {
		return nil, "", fmt.Errorf("the repository is not one Callboard syncs: add it as a location: %w", ErrNotFound)
	}
	if err != nil {
		return nil, "", err
	}
	files, _, err := h.s.cfg.Syncer.Files(ctx, locationID)
	return files, root, err
}
