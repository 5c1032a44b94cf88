package portal

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/sync/gitfetch"
)

// TemplateStep is one step of a template, as the form's review lists it.
type TemplateStep struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Action string `json:"action"`
	// RepoURL is a publish:* step's repoUrl input as written (often
	// `${{ parameters.repoUrl }}`), so the review can say where the new
	// project will be pushed; "" for other steps.
	RepoURL string `json:"repoUrl,omitempty"`
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
	// TrustedHosts are the git hosts a template may publish to: those of
	// the locations and those trusted in Settings.
	TrustedHosts []string `json:"trustedHosts"`
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
	// shows every step; guarded by runs.mu. Their logs are in log, within
	// the same budgets as the run's result.
	steps []scaffold.StepResult
	log   *scaffold.Log
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
			l.log.Add(i, e.Line)
		case "end":
			s.Status, s.DurationMS = e.Status, e.DurationMS
			l.log.EndStep(i)
		}
		return
	}
}

// view is the live steps with their logs so far.
func (l *liveRun) view() []scaffold.StepResult {
	steps := slices.Clone(l.steps)
	for i, lines := range l.log.Steps(len(steps)) {
		steps[i].Log = lines
	}
	return steps
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
	trusted, err := s.trustedHosts(ctx)
	if err != nil {
		return TemplateDetail{}, err
	}
	out := TemplateDetail{Ref: t.Ref, Title: cmp.Or(t.Title, t.Name), Description: t.Description, Parameters: params, Steps: []TemplateStep{}, Workspace: s.workspace(ctx),
		TrustedHosts: trusted}
	for _, st := range t.Steps {
		out.Steps = append(out.Steps, TemplateStep{ID: st.ID, Name: st.Name, Action: st.Action, RepoURL: st.PushTarget()})
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
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	live := &liveRun{cancel: cancel, done: make(chan struct{}), log: scaffold.NewLog()}
	for _, st := range t.Steps {
		live.steps = append(live.steps, scaffold.StepResult{ID: st.ID, Name: cmp.Or(st.Name, st.ID), Action: st.Action, Status: scaffold.Pending, Log: []string{}})
	}
	// Live before it is stored, so a stored running run that is not live
	// is one an earlier process left.
	s.runs.mu.Lock()
	if s.runs.live == nil {
		s.runs.live = map[string]*liveRun{}
	}
	s.runs.live[id] = live
	s.runs.mu.Unlock()
	if err := s.saveRun(ctx, run); err != nil {
		s.runs.mu.Lock()
		delete(s.runs.live, id)
		s.runs.mu.Unlock()
		cancel()
		return ScaffoldRun{}, err
	}
	ident, _ := s.identity(ctx)
	user := scaffold.User{Ref: ident.UserRef, Name: ident.Name, Email: ident.Email}
	if ident.UserRef != "" {
		if e, ok, _ := (scaffoldHost{s}).Entity(ctx, ident.UserRef); ok {
			user.Entity = e
		}
	}
	// The goroutine owns run from here; the caller gets a copy.
	started := run
	started.Steps = slices.Clone(live.steps)
	s.log.Info("template run started", "run", id, "template", t.Ref, "target", req.Target, "dryRun", req.DryRun)
	go func() {
		defer close(live.done)
		defer cancel()
		res := s.runner(ctx).Run(runCtx, t, scaffold.Request{
			Values: values, Secrets: req.Secrets, User: user, TaskID: id, DryRun: req.DryRun,
			Target: req.Target, Overwrite: req.Overwrite, WorkDir: filepath.Join(s.cfg.DataDir, "scaffold"), CheckRemote: s.checkRemote,
		}, func(e scaffold.Event) {
			s.runs.mu.Lock()
			live.follow(e)
			s.runs.mu.Unlock()
			s.emit(runCtx, events.ScaffoldProgress, ScaffoldEvent{RunID: id, Event: e})
		})
		s.finishRun(context.WithoutCancel(runCtx), &run, res)
		s.runs.mu.Lock()
		delete(s.runs.live, id)
		s.runs.mu.Unlock()
		s.emit(runCtx, events.ScaffoldDone, run)
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
				if err := s.pushNew(ctx, filepath.Join(run.Target, filepath.FromSlash(p.Dir)), p.Remote, p.Branch); err != nil {
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
			if err := s.pushNew(ctx, run.Target, p.Remote, p.Branch); err != nil {
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

// pushNew pushes a new project to remote, a trusted host only: a run
// recorded before hosts were checked may name any.
func (s *Service) pushNew(ctx context.Context, dir, remote, branch string) error {
	host, ok := gitfetch.Host(remote)
	if !ok {
		return fmt.Errorf("%q is not a remote to push to", gitfetch.Redact(remote))
	}
	if err := s.checkRemote(ctx, host); err != nil {
		return err
	}
	return s.cfg.Syncer.PushNew(ctx, dir, branch)
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
	r, ok, err := s.storedRun(ctx, id)
	if err != nil {
		return ScaffoldRun{}, err
	}
	if !ok {
		return ScaffoldRun{}, fmt.Errorf("run %s: %w", id, ErrNotFound)
	}
	s.runs.mu.Lock()
	if live := s.runs.live[id]; live != nil && r.Status == string(scaffold.Running) {
		r.Steps = live.view()
	}
	s.runs.mu.Unlock()
	return r, nil
}

func (s *Service) storedRun(ctx context.Context, id string) (ScaffoldRun, bool, error) {
	b, ok, err := s.cfg.DB.Run(ctx, id)
	if err != nil || !ok {
		return ScaffoldRun{}, false, err
	}
	var r ScaffoldRun
	if err := json.Unmarshal(b, &r); err != nil {
		return ScaffoldRun{}, false, fmt.Errorf("read run %s: %w", id, err)
	}
	return r, true, nil
}

// CancelScaffold implements API: a live run is stopped and waited for; a
// run that has ended stays as it ended; a run stored as running that no
// process runs (its app stopped) is marked interrupted.
func (s *Service) CancelScaffold(ctx context.Context, id string) error {
	s.runs.mu.Lock()
	live := s.runs.live[id]
	s.runs.mu.Unlock()
	if live != nil {
		live.cancel()
		<-live.done
		return nil
	}
	r, ok, err := s.storedRun(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("run %s: %w", id, ErrNotFound)
	}
	if !unfinished(r.Status) {
		return nil
	}
	return s.saveRun(ctx, interrupted(r))
}

// RecoverRuns ends what an earlier process left: runs stored as running
// or pending become interrupted, and workspaces no live run owns are
// deleted. The instance calls it at open, before any run starts.
func (s *Service) RecoverRuns(ctx context.Context) error {
	var stale []ScaffoldRun
	err := s.cfg.DB.Runs(ctx, func(b []byte) error {
		// Only the status is decoded, so a large record costs no copies.
		var head struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return err
		}
		if !unfinished(head.Status) || s.isLive(head.ID) {
			return nil
		}
		var r ScaffoldRun
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		stale = append(stale, r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("recover template runs: %w", err)
	}
	var errs []error
	for _, r := range stale {
		if err := s.saveRun(ctx, interrupted(r)); err != nil {
			errs = append(errs, err)
			continue
		}
		s.log.Info("template run interrupted", "run", r.ID)
	}
	return errors.Join(append(errs, s.removeOrphanWorkspaces())...)
}

// removeOrphanWorkspaces deletes the run workspaces in the data dir that
// no live run owns (a killed process cannot remove its own).
func (s *Service) removeOrphanWorkspaces() error {
	dir := filepath.Join(s.cfg.DataDir, "scaffold")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list the run workspaces: %w", err)
	}
	s.runs.mu.Lock()
	owned := func(name string) bool {
		for id := range s.runs.live {
			if strings.HasPrefix(name, scaffold.WorkspacePrefix+id+"-") {
				return true
			}
		}
		return false
	}
	var gone []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), scaffold.WorkspacePrefix) && !owned(e.Name()) {
			gone = append(gone, filepath.Join(dir, e.Name()))
		}
	}
	s.runs.mu.Unlock()
	var errs []error
	for _, p := range gone {
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, fmt.Errorf("remove the run workspace %s: %w", p, err))
			continue
		}
		s.log.Info("run workspace removed", "path", p)
	}
	return errors.Join(errs...)
}

// StopRuns cancels the live runs and waits until each has ended and is
// stored, so closing the app leaves none running.
func (s *Service) StopRuns() {
	s.runs.mu.Lock()
	live := make([]*liveRun, 0, len(s.runs.live))
	for _, l := range s.runs.live {
		live = append(live, l)
	}
	s.runs.mu.Unlock()
	for _, l := range live {
		l.cancel()
		<-l.done
	}
}

func (s *Service) isLive(id string) bool {
	s.runs.mu.Lock()
	defer s.runs.mu.Unlock()
	return s.runs.live[id] != nil
}

func unfinished(status string) bool {
	return status == string(scaffold.Running) || status == string(scaffold.Pending)
}

// interrupted is r ended by its app stopping.
func interrupted(r ScaffoldRun) ScaffoldRun {
	r.Status = string(scaffold.Interrupted)
	r.Error = "Callboard stopped during this run (it was closed or killed); the steps after that point did not run"
	r.Steps = slices.Clone(r.Steps)
	for i := range r.Steps {
		if st := string(r.Steps[i].Status); unfinished(st) {
			r.Steps[i].Status = scaffold.Interrupted
		}
	}
	return r
}

// maxRunRecord bounds a run's stored record. The Create page reads the
// history whole and every sync reads it again (RetryPublish); a run's
// logs and files are bounded by the runner, but not its step count, file
// list or output texts.
const maxRunRecord = 4 << 20

// saveRun stores r. A record over maxRunRecord, or one the store refuses,
// is stored trimmed (without logs, files and output texts), saying why,
// so a run always ends in a state the history shows.
func (s *Service) saveRun(ctx context.Context, r ScaffoldRun) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode run %s: %w", r.ID, err)
	}
	var why string
	if len(b) > maxRunRecord {
		why = fmt.Sprintf("its record of %d bytes is over %d", len(b), maxRunRecord)
	} else if err := s.cfg.DB.PutRun(ctx, r.ID, b); err != nil {
		why = err.Error()
	} else {
		return nil
	}
	t, err := json.Marshal(trimmed(r, why))
	if err != nil {
		return fmt.Errorf("encode run %s: %w", r.ID, err)
	}
	if err := s.cfg.DB.PutRun(ctx, r.ID, t); err != nil {
		return fmt.Errorf("store run %s trimmed (%s): %w", r.ID, why, err)
	}
	s.log.Warn("template run stored trimmed", "run", r.ID, "why", why)
	return nil
}

// trimmed is r without what can make a record large: logs, files, output
// texts and links; steps keep their status and error (at most 16 KiB, cut
// by the runner), and at most maxTrimmedSteps of them are kept, so the
// record stays under maxRunRecord.
func trimmed(r ScaffoldRun, why string) ScaffoldRun {
	const maxTrimmedSteps = 200
	note := "the run's record was too large to keep whole (" + why + "): its logs, files and output are left out"
	r.Error = strings.TrimPrefix(r.Error+"; "+note, "; ")
	steps := r.Steps[:min(len(r.Steps), maxTrimmedSteps)]
	r.Steps = make([]scaffold.StepResult, len(steps))
	for i, st := range steps {
		st.Log = []string{}
		r.Steps[i] = st
	}
	r.Files, r.Texts, r.Links = []scaffold.File{}, []scaffold.Text{}, []scaffold.Link{}
	return r
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
