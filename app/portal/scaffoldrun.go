package portal

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

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

// follow applies a progress event to the live steps, by the step's
// place: ids may repeat.
func (l *liveRun) follow(e scaffold.Event) {
	i := e.Index
	if i < 0 || i >= len(l.steps) || l.steps[i].ID != e.Step {
		return
	}
	s := &l.steps[i]
	switch e.Kind {
	case "start":
		s.Status = scaffold.Running
	case "log":
		l.log.Add(i, e.Line)
	case "end":
		s.Status, s.DurationMS = e.Status, e.DurationMS
		l.log.EndStep(i)
	}
}

// view is the live steps with their logs so far.
func (l *liveRun) view() []StepResult {
	steps := slices.Clone(l.steps)
	for i, lines := range l.log.Steps(len(steps)) {
		steps[i].Log = lines
	}
	return stepsDTO(recordSteps(steps))
}

// Scaffold answers API.Scaffold.
func (s *templateRuns) Scaffold(ctx context.Context, req ScaffoldRequest) (ScaffoldRun, error) {
	t, err := s.templateOf(ctx, req.Template)
	if err != nil {
		return ScaffoldRun{}, err
	}
	// A dry run goes as far as it can; a real run needs every action.
	if err := s.runner(ctx).Check(t); err != nil && !req.DryRun {
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
	run := store.Run{ID: id, Template: t.Ref, Title: cmp.Or(t.Title, t.Name), Target: req.Target, DryRun: req.DryRun, Values: keptValues(req.Values), Status: string(scaffold.Running),
		Started: time.Now().UTC(), Steps: []store.RunStep{}, Links: []store.RunLink{}, Texts: []store.RunText{}, Files: []store.RunFile{}}
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
	user := s.runUser(ctx)
	var record []byte
	if !req.DryRun {
		record = s.projectRecord(ctx, t, values, req.Secrets)
	}
	// The worker owns run from here; the caller gets a copy.
	started := runDTO(run)
	started.Steps = live.view()
	// The instance owns the run: closing it cancels the run and waits for
	// its record to be stored before the store closes.
	err = s.workers.Go("template run "+id, func(owner context.Context) {
		defer close(live.done)
		defer cancel()
		defer context.AfterFunc(owner, cancel)()
		res := s.runner(runCtx).Run(runCtx, t, scaffold.Request{
			Values: values, Secrets: req.Secrets, User: user, TaskID: id, DryRun: req.DryRun,
			Target: req.Target, Overwrite: req.Overwrite, WorkDir: filepath.Join(s.dataDir, "scaffold"), CheckRemote: s.checkRemote,
			Record: record,
		}, func(e scaffold.Event) {
			s.runs.mu.Lock()
			live.follow(e)
			s.runs.mu.Unlock()
			s.events.emit(runCtx, events.ScaffoldProgress, ScaffoldEvent{RunID: id, Event: e})
		})
		s.finishRun(owner, &run, res)
		s.runs.mu.Lock()
		delete(s.runs.live, id)
		s.runs.mu.Unlock()
		s.events.emit(runCtx, events.ScaffoldDone, runDTO(run))
	})
	if err != nil {
		s.runs.mu.Lock()
		delete(s.runs.live, id)
		s.runs.mu.Unlock()
		cancel()
		run.Status, run.Error, run.Finished = string(scaffold.Cancelled), "Callboard was closing: the run did not start", time.Now().UTC()
		if err := s.saveRun(ctx, run); err != nil {
			s.log.Warn("save a template run", "run", id, "err", err)
		}
		return ScaffoldRun{}, fmt.Errorf("run template %s: %w", t.Ref, err)
	}
	s.log.Info("template run started", "run", id, "template", t.Ref, "target", req.Target, "dryRun", req.DryRun)
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

// runUser is who runs templates, with their entity when the catalog has it.
func (s *templateRuns) runUser(ctx context.Context) scaffold.User {
	ident, _ := s.users.identity(ctx)
	user := scaffold.User{Ref: ident.UserRef, Name: ident.Name, Email: ident.Email}
	if ident.UserRef != "" {
		if e, ok, _ := (scaffoldHost{s}).Entity(ctx, ident.UserRef); ok {
			user.Entity = e
		}
	}
	return user
}

// finishRun records the result, then does what publish:* and
// catalog:register left for the project in place: the first push, and
// adding its catalog file as a location. ctx ends when the instance
// closes: a push cut short stays pending, retried at the next sync; the
// record is stored all the same.
func (s *templateRuns) finishRun(ctx context.Context, run *store.Run, res scaffold.Result) {
	ended := recordOf(res, run.DryRun)
	run.Status, run.Error, run.Finished = ended.Status, ended.Error, time.Now().UTC()
	run.Steps, run.Links, run.Texts, run.Files = ended.Steps, ended.Links, ended.Texts, ended.Files
	if res.Status == scaffold.Completed && !run.DryRun {
		for _, p := range res.Publish {
			st := store.RunPublish{Remote: p.Remote, Branch: p.Branch, Status: "local"}
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
	if err := s.saveRun(context.WithoutCancel(ctx), *run); err != nil {
		s.log.Error("save a template run", "run", run.ID, "err", err)
	}
	s.log.Info("template run ended", "run", run.ID, "status", run.Status)
}

// registerProject adds the new project's catalog file as a location of
// the local catalog (a repository on this machine) and syncs it.
func (s *templateRuns) registerProject(ctx context.Context, dir string, r scaffold.Register) error {
	loc, err := s.locations.AddLocation(ctx, NewLocation{URL: filepath.Join(dir, filepath.FromSlash(r.Repo)), Path: path.Clean(r.Path)})
	if err != nil {
		return err
	}
	if err := s.git.Sync(ctx, loc.ID); err != nil {
		return err
	}
	if err := s.listing.refresh(ctx); err != nil {
		return err
	}
	if _, ok, err := s.db.Entity(ctx, r.EntityRef); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("the catalog refused %s: see location %s for why", r.EntityRef, loc.ID)
	}
	return nil
}

// RetryPublish pushes the projects whose first push did not get through
// (offline, no credentials yet), and the template updates waiting to
// reach their remotes; Sync calls it.
func (s *templateRuns) RetryPublish(ctx context.Context) {
	if s.pushes != nil {
		defer s.pushes.Retry(ctx)
	}
	var waiting []store.Run
	err := s.db.Runs(ctx, func(r store.Run) error {
		if slices.ContainsFunc(r.Publish, func(p store.RunPublish) bool { return p.Status == "pending" }) {
			waiting = append(waiting, r)
		}
		return nil
	})
	if err != nil {
		s.log.Warn("read the runs waiting to push", "err", err)
		return
	}
	for _, run := range waiting {
		for i, p := range run.Publish {
			if p.Status != "pending" {
				continue
			}
			if err := s.pushNew(ctx, run.Target, p.Remote, p.Branch); err != nil {
				run.Publish[i].Error = err.Error()
			} else {
				run.Publish[i].Status, run.Publish[i].Error = "pushed", ""
			}
		}
		if err := s.saveRun(ctx, run); err != nil {
			s.log.Warn("save a template run", "run", run.ID, "err", err)
		}
	}
}

// pushNew pushes a new project to remote, a trusted host only: a run
// recorded before hosts were checked may name any.
func (s *templateRuns) pushNew(ctx context.Context, dir, remote, branch string) error {
	host, ok := gitfetch.Host(remote)
	if !ok {
		return fmt.Errorf("%q is not a remote to push to", gitfetch.Redact(remote))
	}
	if err := s.checkRemote(ctx, host); err != nil {
		return err
	}
	return s.git.PushNew(ctx, dir, branch)
}

// runID sorts by start time and is unique.
func runID() (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return time.Now().UTC().Format("20060102T150405.000") + "-" + hex.EncodeToString(b[:]), nil
}
