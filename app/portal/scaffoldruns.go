package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/scaffold"
)

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
