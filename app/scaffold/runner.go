package scaffold

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/app/nunjucks"
)

// Request is one run of a template.
type Request struct {
	// Values are the form's answers (spec.parameters' values); an
	// *nunjucks.Object keeps their order.
	Values any
	// Secrets are the form's Secret fields: rendered into step inputs as
	// `secrets.NAME`, never logged, never kept.
	Secrets map[string]string
	User    User
	TaskID  string
	DryRun  bool
	// Target is the folder the project is moved into ("" for a dry run).
	Target string
	// Overwrite lets the run write into a target folder that has files.
	Overwrite bool
	// WorkDir is where the private workspace is made; the run removes it.
	WorkDir string
	// CheckRemote is asked, dry runs included, before a publish:* step
	// names a remote to push the project to, with the remote's host (as
	// in its URL: github.com, git.example:8443); its error fails the
	// step. Nil lets every host through: the caller does the pushing.
	CheckRemote func(ctx context.Context, host string) error
	// Inspect, when set, is called once every step and the output are
	// done, before the workspace is moved or removed, with the project's
	// files (confined to the workspace) and the result so far; its error
	// fails the run. It is how `scaffold test` reads every byte of a dry
	// run's result, which Result.Files holds only within the UI's budgets.
	Inspect func(project fs.FS, res Result) error
	// Record, on a real run, is written to RecordPath in the project
	// before the first step, so the first commit of publish:* holds it.
	Record []byte
}

// User is who runs the template, as `user` in expressions.
type User struct {
	Ref    string
	Entity any
	// Name and Email sign the first commit of publish:* steps.
	Name, Email string
}

// Status is how a run or a step ended.
type Status string

const (
	Completed Status = "completed"
	Failed    Status = "failed"
	Cancelled Status = "cancelled"
	Skipped   Status = "skipped"
	Running   Status = "running"
	// Pending is a step a live run has not reached yet.
	Pending Status = "pending"
	// Interrupted is a run the app stopped during (closed or killed), found
	// at the next start.
	Interrupted Status = "interrupted"
)

// Event is a run's progress, streamed to the UI: a step starting, a log
// line, a step ending (with its status and duration).
type Event struct {
	Step string `json:"step,omitempty"`
	// Index is the step's place in spec.steps, from 0: ids may repeat.
	Index  int    `json:"index"`
	Kind   string `json:"kind"` // start, log, end
	Status Status `json:"status,omitempty"`
	Line   string `json:"line,omitempty"`
	// DurationMS is how long the step took, in milliseconds.
	DurationMS int64 `json:"durationMs,omitempty"`
}

// StepResult is how one step went.
type StepResult struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Action string `json:"action"`
	Status Status `json:"status"`
	Error  string `json:"error,omitempty"`
	// DurationMS is how long the step took, in milliseconds.
	DurationMS int64    `json:"durationMs"`
	Log        []string `json:"log"`
}

// Link and Text are spec.output's entries, rendered.
type Link struct {
	Title     string `json:"title,omitempty"`
	URL       string `json:"url,omitempty"`
	EntityRef string `json:"entityRef,omitempty"`
	Icon      string `json:"icon,omitempty"`
}

type Text struct {
	Title   string `json:"title,omitempty"`
	Content string `json:"content"`
	Default bool   `json:"default,omitempty"`
}

// Publish is what publish:* left to do once the project is in place: push
// its first commit to Remote (a git URL; "" when local only).
type Publish struct {
	Action string `json:"action"`
	Remote string `json:"remote,omitempty"`
	Branch string `json:"branch"`
	// Dir is the published folder inside the project ("" for all of it).
	Dir string `json:"dir,omitempty"`
}

// Register is a catalog file catalog:register asked to add to the catalog.
type Register struct {
	// Repo is the folder of the repository a publish:* step made that
	// holds the file, inside the project ("" for the project itself);
	// Path is the file, relative to Repo.
	Repo      string `json:"repo,omitempty"`
	Path      string `json:"path"`
	EntityRef string `json:"entityRef,omitempty"`
}

// File is a file of a dry run's result, with its content when it is text.
type File struct {
	Entry
	Content string `json:"content,omitempty"`
}

// Result is how a run ended and what it made.
type Result struct {
	Status Status       `json:"status"`
	Error  string       `json:"error,omitempty"`
	Steps  []StepResult `json:"steps"`
	Links  []Link       `json:"links"`
	Texts  []Text       `json:"texts"`
	// Files is the project's tree (with contents for a dry run).
	Files    []File     `json:"files"`
	Publish  []Publish  `json:"publish,omitempty"`
	Register []Register `json:"register,omitempty"`
	// published are the repositories publish:* steps made, for
	// catalog:register to find a file their URLs name.
	published []published
}

// published is a repository a publish:* step made: the URL prefix of its
// files (its repoContentsUrl) and its folder in the workspace (its
// sourcePath).
type published struct {
	contents, dir string
}

// inPublished maps a URL into a repository a publish:* step made (its
// repoContentsUrl, or a file under it) to that repository's folder and
// the path in it; ok is false for any other URL. The latest such step
// wins, as its outputs are what a template reads.
func (r *Result) inPublished(url string) (dir, file string, ok bool) {
	for i := len(r.published) - 1; i >= 0; i-- {
		p := r.published[i]
		if p.contents == "" {
			continue
		}
		if url == p.contents {
			return p.dir, "", true
		}
		if rest, found := strings.CutPrefix(url, strings.TrimSuffix(p.contents, "/")+"/"); found {
			return p.dir, strings.SplitN(rest, "?", 2)[0], true
		}
	}
	return "", "", false
}

// Runner runs templates with a set of actions.
type Runner struct {
	actions map[string]Action
	filters map[string]nunjucks.Filter
	host    Host
}

// NewRunner returns a Runner with Backstage's built-in actions and template
// filters; integrations are the git hosts parseRepoUrl knows, beside
// Backstage's defaults and the local-only host.
func NewRunner(host Host, integrations []nunjucks.Integration) *Runner {
	all := append(slices.Clone(nunjucks.DefaultIntegrations), nunjucks.Integration{Host: LocalHost, Type: "local"})
	all = append(all, integrations...)
	r := &Runner{actions: map[string]Action{}, host: host, filters: nunjucks.ScaffolderFilters(all)}
	for _, a := range builtins() {
		r.actions[a.ID] = a
	}
	return r
}

// Add adds an action, e.g. a plugin's; it cannot replace one the runner
// has.
func (r *Runner) Add(a Action) error {
	if _, ok := r.actions[a.ID]; ok {
		return fmt.Errorf("the action %s exists already", a.ID)
	}
	r.actions[a.ID] = a
	return nil
}

// Has says whether the runner has the action id: built in, or added.
func (r *Runner) Has(id string) bool {
	_, ok := r.actions[id]
	return ok
}

// Run runs t; emit (may be nil) receives progress. The result is complete
// even on failure: which steps ran, their logs (within the Log budgets),
// the error.
func (r *Runner) Run(ctx context.Context, t Template, req Request, emit func(Event)) Result {
	if emit == nil {
		emit = func(Event) {}
	}
	res := Result{Status: Running, Steps: []StepResult{}, Links: []Link{}, Texts: []Text{}, Files: []File{}}
	log := NewLog()
	redact, longest := redactor(req.Secrets)
	done := func(st Status, err error) Result {
		res.Status = st
		if err != nil {
			res.Error = cutLine(err.Error(), redact, longest)
			if errors.Is(err, context.Canceled) {
				res.Status = Cancelled
			}
		}
		for i, lines := range log.Steps(len(res.Steps)) {
			res.Steps[i].Log = lines
		}
		return res
	}
	fail := func(err error) Result { return done(Failed, err) }
	if !req.DryRun {
		if err := r.Check(t); err != nil {
			return fail(err)
		}
		if req.Target == "" || !filepath.IsAbs(req.Target) {
			return fail(fmt.Errorf("target folder %q: want an absolute path", req.Target))
		}
		if empty, err := emptyOrMissing(req.Target); err != nil {
			return fail(err)
		} else if !empty && !req.Overwrite {
			return fail(fmt.Errorf("%s: %w (confirm to write into it)", req.Target, ErrTargetNotEmpty))
		}
	}
	if err := os.MkdirAll(req.WorkDir, 0o755); err != nil {
		return fail(fmt.Errorf("make the work folder: %w", err))
	}
	dir, err := makeWorkspaceDir(req.WorkDir, req.TaskID)
	if err != nil {
		return fail(err)
	}
	// Gone at the end whatever happened: moved into the target, or not.
	defer os.RemoveAll(dir)
	ws, err := openWorkspace(dir)
	if err != nil {
		return fail(err)
	}
	defer ws.close()
	if len(req.Record) > 0 && !req.DryRun {
		if err := ws.WriteFile(RecordPath, req.Record, 0o644); err != nil {
			return fail(fmt.Errorf("write %s: %w", RecordPath, err))
		}
	}

	run := &state{}
	env, err := nunjucks.New(nunjucks.Options{Filters: r.filters, Globals: map[string]any{
		"always":  nunjucks.Func(func(...any) (any, error) { return true, nil }),
		"failure": nunjucks.Func(func(...any) (any, error) { return run.hasFailed(), nil }),
	}})
	if err != nil {
		return fail(err)
	}
	steps := nunjucks.NewObject()
	data := map[string]any{
		"parameters": orEmpty(req.Values),
		"steps":      steps,
		"user":       userValue(req.User),
		"context":    objectOf("task", objectOf("id", req.TaskID)),
	}
	secrets := nunjucks.NewObject()
	for _, k := range sortedKeys(req.Secrets) {
		secrets.Set(k, req.Secrets[k])
	}
	outputs := &budget{limit: maxRunOutput}
	var stepErr error
	for _, s := range t.Steps {
		if err := ctx.Err(); err != nil {
			stepErr = err
			break
		}
		i := len(res.Steps)
		sr := StepResult{ID: s.ID, Name: s.Name, Action: s.Action, Log: []string{}}
		logf := func(format string, args ...any) {
			line := cutLine(fmt.Sprintf(format, args...), redact, longest)
			log.Add(i, line)
			emit(Event{Step: s.ID, Index: i, Kind: "log", Line: line})
		}
		start := time.Now()
		end := func(st Status, err error) {
			sr.Status, sr.DurationMS = st, time.Since(start).Milliseconds()
			if err != nil {
				sr.Error = cutLine(err.Error(), redact, longest)
				logf("%s", sr.Error)
			}
			log.EndStep(i)
			res.Steps = append(res.Steps, sr)
			emit(Event{Step: s.ID, Index: i, Kind: "end", Status: st, DurationMS: sr.DurationMS})
		}
		emit(Event{Step: s.ID, Index: i, Kind: "start"})
		// After a failure only steps whose if asks for always() or
		// failure() run.
		if run.hasFailed() && !callsStatus(s.If) {
			end(Skipped, nil)
			continue
		}
		if s.If != nil {
			v, err := env.RenderValue(ctx, s.If, data)
			if err != nil {
				run.fail()
				err = fmt.Errorf("%s: if: %w", t.stepAt(i), err)
				stepErr = cmpErr(stepErr, err)
				end(Failed, err)
				continue
			}
			if !truthy(v) {
				logf("Skipping step %s: its if is false", sr.Name)
				end(Skipped, nil)
				continue
			}
		}
		if _, ok := r.actions[s.Action]; !ok {
			// Only a dry run gets here (Check refuses a real one). Later
			// steps read no outputs of it, as of a step Backstage skips
			// in a dry run.
			logf("Skipped: %s", unavailableReason(s.Action))
			steps.Set(s.ID, objectOf("output", nunjucks.NewObject()))
			end(Skipped, nil)
			continue
		}
		if err := r.runStep(ctx, env, t, s, req, ws, data, secrets, steps, logf, outputs, &res); err != nil {
			var skip *skippedLocally
			if errors.As(err, &skip) {
				logf("%s", skip.why)
				end(Skipped, nil)
				continue
			}
			run.fail()
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				end(Cancelled, err)
				stepErr = ctx.Err()
				break
			}
			err = t.stepError(i, err)
			stepErr = cmpErr(stepErr, err)
			end(Failed, err)
			continue
		}
		end(Completed, nil)
	}
	if stepErr != nil {
		return fail(stepErr)
	}
	if err := r.output(ctx, env, t, data, &res); err != nil {
		return fail(err)
	}
	files, err := snapshot(ws, req.DryRun)
	if err != nil {
		return fail(err)
	}
	res.Files = files
	if req.Inspect != nil {
		if err := req.Inspect(ws.root.FS(), res); err != nil {
			return fail(err)
		}
	}
	if !req.DryRun {
		ws.close()
		if err := moveInto(dir, req.Target, req.Overwrite); err != nil {
			return fail(err)
		}
	}
	return done(Completed, nil)
}

// state is what always() and failure() read.
type state struct {
	mu     sync.Mutex
	failed bool
}

func (s *state) fail() {
	s.mu.Lock()
	s.failed = true
	s.mu.Unlock()
}

func (s *state) hasFailed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// callsStatus says whether an if expression calls always() or failure().
func callsStatus(v any) bool {
	s, ok := v.(string)
	return ok && (strings.Contains(s, "always()") || strings.Contains(s, "failure()"))
}

// runStep renders the step's input (per iteration of each) and runs its
// action; outputs of an each step become lists, as Backstage collects them.
func (r *Runner) runStep(ctx context.Context, env *nunjucks.Env, t Template, s Step, req Request, ws *Workspace, data map[string]any, secrets *nunjucks.Object, steps *nunjucks.Object, logf func(string, ...any), runOutputs *budget, res *Result) error {
	action := r.actions[s.Action]
	iterations := []any{nil}
	if s.Each != nil {
		v, err := env.RenderValue(ctx, s.Each, data)
		if err != nil {
			return fmt.Errorf("each: %w", err)
		}
		iterations = entries(v)
	}
	output := nunjucks.NewObject()
	stepOutputs := &budget{limit: maxStepOutput}
	var outErr error
	for _, it := range iterations {
		scope := make(map[string]any, len(data)+2)
		for k, v := range data {
			scope[k] = v
		}
		scope["secrets"] = secrets
		if it != nil {
			scope["each"] = it
		}
		input, err := env.RenderValueReporting(ctx, s.Input, scope, func(at string, err error) {
			logf("input %s is left as written, as Backstage leaves it: %v", at, err)
		})
		if err != nil {
			return fmt.Errorf("input: %w", err)
		}
		if input == nunjucks.Undefined || input == nil {
			input = nunjucks.NewObject()
		}
		c := &Context{
			Input: input, Workspace: ws, Template: &t, User: req.User, TaskID: req.TaskID, DryRun: req.DryRun, Target: req.Target,
			Logf: logf, host: r.host, filters: r.filters, result: res, checkRemote: req.CheckRemote,
			output: func(name string, v any) {
				if outErr != nil {
					return
				}
				n := valueSize(v, maxStepOutput)
				if !stepOutputs.take(n) {
					outErr = fmt.Errorf("output %s: the step's outputs exceed %d MiB", name, maxStepOutput>>20)
					return
				}
				if !runOutputs.take(n) {
					outErr = fmt.Errorf("output %s: the run's outputs exceed %d MiB", name, maxRunOutput>>20)
					return
				}
				if s.Each != nil {
					prev, _ := output.Get(name)
					list, _ := prev.([]any)
					output.Set(name, append(list, v))
					return
				}
				output.Set(name, v)
			},
		}
		err = action.Run(ctx, c)
		if err == nil {
			err = outErr
		}
		if err != nil {
			// As in Backstage, a failed step's outputs are not kept:
			// steps.<id>.output stays what an earlier step set.
			return err
		}
	}
	steps.Set(s.ID, objectOf("output", output))
	return nil
}

// entries is Object.entries over what each names: {key, value} records,
// list indexes as strings.
func entries(v any) []any {
	var out []any
	switch x := v.(type) {
	case []any:
		for i, e := range x {
			out = append(out, objectOf("key", fmt.Sprint(i), "value", e))
		}
	case *nunjucks.Object:
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			out = append(out, objectOf("key", k, "value", e))
		}
	case string:
		for i, r := range []rune(x) {
			out = append(out, objectOf("key", fmt.Sprint(i), "value", string(r)))
		}
	}
	return out
}

// output renders spec.output's links and text, without secrets.
func (r *Runner) output(ctx context.Context, env *nunjucks.Env, t Template, data map[string]any, res *Result) error {
	if t.Output == nil {
		return nil
	}
	v, err := env.RenderValue(ctx, t.Output, data)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	links, _ := get(v, "links")
	list, _ := links.([]any)
	for _, l := range list {
		var link Link
		link.Title, _ = str(l, "title")
		link.URL, _ = str(l, "url")
		link.EntityRef, _ = str(l, "entityRef")
		link.Icon, _ = str(l, "icon")
		if link.URL == "" && link.EntityRef == "" {
			continue
		}
		res.Links = append(res.Links, link)
	}
	texts, _ := get(v, "text")
	tlist, _ := texts.([]any)
	for _, x := range tlist {
		var tx Text
		tx.Title, _ = str(x, "title")
		tx.Content, _ = str(x, "content")
		tx.Default, _ = boolean(x, "default")
		res.Texts = append(res.Texts, tx)
	}
	return nil
}

// A dry run shows the contents of its files up to these many bytes per
// file and in all; past them it lists files without content, as the UI
// shows a file too large to show. The result goes to the UI and into the
// run's record.
const (
	maxShownFile  = 256 << 10
	maxShownFiles = 1 << 20
)

// snapshot lists the project's files, with text contents for a dry run.
// Only a dry run reads the files back: a real run's files are listed, not
// shown (the UI shows a dry run's alone), so whether each is binary is
// left unknown there rather than paid for with a read of every file.
func snapshot(ws *Workspace, contents bool) ([]File, error) {
	shown := &budget{limit: maxShownFiles}
	entries, err := ws.List(".", true)
	if err != nil {
		return nil, err
	}
	out := make([]File, 0, len(entries))
	for _, e := range entries {
		if e.Path == ".git" || strings.HasPrefix(e.Path, ".git/") {
			continue
		}
		f := File{Entry: e}
		// Only regular files: a plugin could leave a FIFO, which would
		// block the read.
		if contents && e.Mode.IsRegular() {
			data, err := ws.readHead(e.Path, maxShownFile+1)
			if err != nil {
				return nil, err
			}
			f.IsBin = isBinary(data)
			if !f.IsBin && len(data) <= maxShownFile && shown.take(len(data)) {
				f.Content = string(data)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func userValue(u User) any {
	o := nunjucks.NewObject()
	if u.Ref != "" {
		o.Set("ref", u.Ref)
	}
	if u.Entity != nil {
		o.Set("entity", u.Entity)
	}
	return o
}

func orEmpty(v any) any {
	if v == nil {
		return nunjucks.NewObject()
	}
	return v
}

// objectOf builds an ordered record from key, value pairs.
func objectOf(kv ...any) *nunjucks.Object {
	o := nunjucks.NewObject()
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// redactor hides secret values in logs and errors; it also returns the
// longest secret's length.
func redactor(secrets map[string]string) (func(string) string, int) {
	var pairs []string
	longest := 0
	for _, k := range sortedKeys(secrets) {
		if v := secrets[k]; len(v) >= 1 {
			pairs = append(pairs, v, "***")
			longest = max(longest, len(v))
		}
	}
	if len(pairs) == 0 {
		return func(s string) string { return s }, 0
	}
	r := strings.NewReplacer(pairs...)
	return r.Replace, longest
}

// Actions lists the runner's actions by id, each with its example steps
// (a made-up one when it gives none).
func (r *Runner) Actions() []Action {
	out := make([]Action, 0, len(r.actions))
	for _, a := range r.actions {
		if len(a.Examples) == 0 {
			a.Examples = []string{ExampleStep(a.ID, a.InputSchema)}
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Action) int { return strings.Compare(a.ID, b.ID) })
	return out
}
