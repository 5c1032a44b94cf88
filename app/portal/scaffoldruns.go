package portal

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
)

// ScaffoldRun is a template run, live or in the history. Times are RFC
// 3339; Finished is "" until the run ends.
type ScaffoldRun struct {
	ID         string         `json:"id"`
	Template   string         `json:"template"`
	Title      string         `json:"title"`
	Target     string         `json:"target,omitempty"`
	DryRun     bool           `json:"dryRun,omitempty"`
	Status     string         `json:"status"`
	Error      string         `json:"error,omitempty"`
	Started    string         `json:"started"`
	Finished   string         `json:"finished,omitempty"`
	Steps      []StepResult   `json:"steps"`
	Links      []OutputLink   `json:"links"`
	Texts      []OutputText   `json:"texts"`
	Files      []ScaffoldFile `json:"files"`
	Publish    []PublishState `json:"publish,omitempty"`
	Registered []string       `json:"registered,omitempty"`
	// Values are the form's values the run started with (not its
	// secrets), to start over with; absent when too large to keep.
	Values json.RawMessage `json:"values,omitempty"`
}

// StepResult is how one step of a run went, or where a live run's step
// stands (pending, running).
type StepResult struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Action string `json:"action"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// DurationMS is how long the step took, in milliseconds.
	DurationMS int64    `json:"durationMs"`
	Log        []string `json:"log"`
}

// OutputLink and OutputText are the template's spec.output, rendered.
type OutputLink struct {
	Title     string `json:"title,omitempty"`
	URL       string `json:"url,omitempty"`
	EntityRef string `json:"entityRef,omitempty"`
	Icon      string `json:"icon,omitempty"`
}

type OutputText struct {
	Title   string `json:"title,omitempty"`
	Content string `json:"content"`
	Default bool   `json:"default,omitempty"`
}

// ScaffoldFile is a file or folder of the project a run made, with its
// content (when it is text) for a dry run. Mode is the Go fs.FileMode.
type ScaffoldFile struct {
	Path    string `json:"path"`
	Dir     bool   `json:"dir,omitempty"`
	Size    int64  `json:"size"`
	Mode    uint32 `json:"mode"`
	Link    string `json:"link,omitempty"`
	Binary  bool   `json:"binary,omitempty"`
	Content string `json:"content,omitempty"`
}

// PublishState is where a published project's first push stands.
type PublishState struct {
	Remote string `json:"remote,omitempty"`
	Branch string `json:"branch"`
	// Status is pushed, pending (retried at each sync) or local.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// ScaffoldRuns answers API.ScaffoldRuns: the history, newest first.
func (s *templateRuns) ScaffoldRuns(ctx context.Context) ([]ScaffoldRun, error) {
	out := []ScaffoldRun{}
	err := s.db.Runs(ctx, func(r store.Run) error {
		out = append(out, runDTO(r))
		return nil
	})
	return out, err
}

// ScaffoldRun answers API.ScaffoldRun.
func (s *templateRuns) ScaffoldRun(ctx context.Context, id string) (ScaffoldRun, error) {
	if err := requireID("id", id); err != nil {
		return ScaffoldRun{}, err
	}
	return s.scaffoldRun(ctx, id)
}

func (s *templateRuns) scaffoldRun(ctx context.Context, id string) (ScaffoldRun, error) {
	r, ok, err := s.db.Run(ctx, id)
	if err != nil {
		return ScaffoldRun{}, err
	}
	if !ok {
		return ScaffoldRun{}, fmt.Errorf("run %s: %w", id, ErrNotFound)
	}
	out := runDTO(r)
	s.runs.mu.Lock()
	if live := s.runs.live[id]; live != nil && r.Status == string(scaffold.Running) {
		out.Steps = live.view()
	}
	s.runs.mu.Unlock()
	return out, nil
}

// CancelScaffold answers API.CancelScaffold: a live run is stopped and waited for; a
// run that has ended stays as it ended; a run stored as running that no
// process runs (its app stopped) is marked interrupted.
func (s *templateRuns) CancelScaffold(ctx context.Context, id string) error {
	if err := requireID("id", id); err != nil {
		return err
	}
	s.runs.mu.Lock()
	live := s.runs.live[id]
	s.runs.mu.Unlock()
	if live != nil {
		live.cancel()
		<-live.done
		return nil
	}
	r, ok, err := s.db.Run(ctx, id)
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
// or pending become interrupted, the copy of a project such a run was
// moving into its target folder from another disk is removed (the
// target itself appears only by the rename that ends the move), and
// workspaces no live run owns are deleted. The instance calls it at
// open, before any run starts.
func (s *templateRuns) RecoverRuns(ctx context.Context) error {
	left, err := s.db.RunsWithStatus(ctx, string(scaffold.Running), string(scaffold.Pending))
	if err != nil {
		return fmt.Errorf("recover template runs: %w", err)
	}
	var errs []error
	for _, r := range left {
		if s.isLive(r.ID) {
			continue
		}
		if r.Target != "" && !r.DryRun {
			if err := s.removePartial(scaffold.PartialDir(r.Target)); err != nil {
				errs = append(errs, fmt.Errorf("run %s: %w", r.ID, err))
			}
		}
		if err := s.saveRun(ctx, interrupted(r)); err != nil {
			errs = append(errs, err)
			continue
		}
		s.log.Info("template run interrupted", "run", r.ID)
	}
	return errors.Join(append(errs, s.removeOrphanWorkspaces())...)
}

// removePartial deletes a partial copy of a project, if there is one.
func (s *templateRuns) removePartial(dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove the partial copy %s: %w", dir, err)
	}
	s.log.Info("partial project copy removed", "path", dir)
	return nil
}

// removeOrphanWorkspaces deletes the run workspaces in the data dir that
// no live run owns (a killed process cannot remove its own).
func (s *templateRuns) removeOrphanWorkspaces() error {
	dir := filepath.Join(s.dataDir, "scaffold")
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

func (s *templateRuns) isLive(id string) bool {
	s.runs.mu.Lock()
	defer s.runs.mu.Unlock()
	return s.runs.live[id] != nil
}

// RunQuery asks for a page of the run history: Limit runs (50 when 0, at
// most 200) after the first Offset, newest first.
type RunQuery struct {
	Offset int `json:"offset,omitempty"`
	Limit  int `json:"limit,omitempty"`
}

// RunPage is a page of the run history: each run's summary (no steps,
// files or output), and how many runs the history holds.
type RunPage struct {
	Items []RunSummary `json:"items"`
	Total int          `json:"total"`
}

// RunSummary is a run as the history lists it.
type RunSummary struct {
	ID       string `json:"id"`
	Template string `json:"template"`
	Title    string `json:"title"`
	Target   string `json:"target,omitempty"`
	DryRun   bool   `json:"dryRun,omitempty"`
	Status   string `json:"status"`
	Error    string `json:"error,omitempty"`
	Started  string `json:"started"`
	Finished string `json:"finished,omitempty"`
}

const (
	defaultRunPage = 50
	maxRunPage     = 200
)

// RunHistory answers API.RunHistory.
func (s *templateRuns) RunHistory(ctx context.Context, q RunQuery) (RunPage, error) {
	if q.Offset < 0 || q.Limit < 0 {
		return RunPage{}, fmt.Errorf("offset %d, limit %d: want neither negative: %w", q.Offset, q.Limit, ErrInvalid)
	}
	limit := min(cmp.Or(q.Limit, defaultRunPage), maxRunPage)
	page := RunPage{Items: []RunSummary{}}
	err := s.db.Runs(ctx, func(r store.Run) error {
		if page.Total >= q.Offset && len(page.Items) < limit {
			page.Items = append(page.Items, RunSummary{ID: r.ID, Template: r.Template, Title: r.Title, Target: r.Target, DryRun: r.DryRun,
				Status: r.Status, Error: r.Error, Started: rfc3339(r.Started), Finished: rfc3339(r.Finished)})
		}
		page.Total++
		return nil
	})
	if err != nil {
		return RunPage{}, fmt.Errorf("list runs: %w", err)
	}
	return page, nil
}
