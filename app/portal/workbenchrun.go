package portal

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aymanbagabas/go-udiff"

	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/scaffold"
)

// WorkbenchRunRequest is the form's values a workbench dry-runs its
// template with.
type WorkbenchRunRequest struct {
	Values json.RawMessage `json:"values,omitempty"`
	// Secrets are the form's Secret fields, as for Scaffold.
	Secrets map[string]string `json:"secrets,omitempty"`
}

// WorkbenchRun is a workbench's dry run: the run (steps, logs, outputs,
// the files with their contents) and what changed since the one before.
type WorkbenchRun struct {
	Run ScaffoldRun `json:"run"`
	// First says there was no dry run before to compare with: Changes is
	// empty.
	First   bool         `json:"first"`
	Changes []FileChange `json:"changes"`
	// Same says this run made exactly the files of the one before (a save
	// that changed nothing, two reads of one edit): Changes are then those
	// of the last run that made a difference, so a no-op save does not
	// wipe the diff the author is reading.
	Same bool `json:"same,omitempty"`
}

// FileChange is a file a dry run made differently from the one before.
type FileChange struct {
	Path string `json:"path"`
	// Change is added, removed or changed.
	Change string `json:"change"`
	// Diff is the unified diff of a changed text file ("" for a binary
	// one, or one too large to show); Cut says it was cut at maxFileDiff.
	Diff   string `json:"diff,omitempty"`
	Binary bool   `json:"binary,omitempty"`
	Cut    bool   `json:"cut,omitempty"`
}

// A dry run is bounded as a run is (scaffold's workspace and output
// caps); these bound what it shows beyond that.
const (
	// benchRunTimeout is how long a dry run may take: the author is
	// waiting for it as they type.
	benchRunTimeout = 30 * time.Second
	// maxFileDiff and maxDiffs bound the diff text of one file and of all.
	maxFileDiff = 64 << 10
	maxDiffs    = 1 << 20
)

// WorkbenchDryRun answers API.WorkbenchDryRun.
func (w *workbenches) WorkbenchDryRun(ctx context.Context, id string, req WorkbenchRunRequest) (WorkbenchRun, error) {
	s, err := w.session(id)
	if err != nil {
		return WorkbenchRun{}, err
	}
	values := any(nunjucks.NewObject())
	if len(req.Values) > 0 && string(req.Values) != "null" {
		if values, err = nunjucks.DecodeJSON(req.Values); err != nil {
			return WorkbenchRun{}, fmt.Errorf("values: %v: %w", err, ErrInvalid)
		}
	}
	t, files, err := s.template()
	if err != nil {
		return WorkbenchRun{}, err
	}
	defer files.Close()
	// A newer dry run makes an older one pointless: it is cancelled, and
	// this one waits for it to end so the diff is against what it saw.
	runCtx, cancel := context.WithTimeout(ctx, benchRunTimeout)
	defer cancel()
	s.cancelMu.Lock()
	if s.cancelRun != nil {
		s.cancelRun()
	}
	s.cancelRun = cancel
	s.cancelMu.Unlock()
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if err := runCtx.Err(); err != nil {
		return WorkbenchRun{}, fmt.Errorf("dry run of %s: a newer one started, or the caller went away: %w", s.file, err)
	}
	runID := "workbench-" + s.id
	started := time.Now().UTC()
	res := w.templates.runner(runCtx).Run(runCtx, t, scaffold.Request{
		Values: values, Secrets: req.Secrets, User: w.templates.runUser(runCtx), TaskID: runID, DryRun: true,
		WorkDir: filepath.Join(w.dataDir, "scaffold"),
	}, nil)
	run := ResultRun(res, true)
	run.ID, run.Template, run.Title, run.DryRun = runID, t.Ref, cmp.Or(t.Title, t.Name), true
	run.Started, run.Finished = rfc3339(started), rfc3339(time.Now())
	out := WorkbenchRun{Run: run, Changes: []FileChange{}}
	cur := make(map[string]scaffold.File, len(res.Files))
	for _, f := range res.Files {
		cur[f.Path] = f
	}
	if s.prev == nil {
		out.First = true
	} else {
		out.Changes = diffRuns(s.prev, cur)
	}
	// A cancelled run saw only part of the template: the next one is
	// compared with the last that ran to its end.
	if res.Status != scaffold.Cancelled {
		if !out.First && len(out.Changes) == 0 && s.lastChanges != nil {
			out.Changes, out.Same = s.lastChanges, true
		} else if len(out.Changes) > 0 {
			s.lastChanges = out.Changes
		}
		s.prev = cur
	}
	return out, nil
}

// diffRuns lists the files added, removed and changed from before to
// after, by path. A file without content (binary, or too large to show)
// counts as changed when its size, mode or link changed.
func diffRuns(before, after map[string]scaffold.File) []FileChange {
	paths := make([]string, 0, len(before)+len(after))
	for p := range before {
		paths = append(paths, p)
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	out := []FileChange{}
	budget := maxDiffs
	for _, p := range paths {
		a, hadA := before[p]
		b, hasB := after[p]
		switch {
		case !hadA:
			if !b.Dir {
				out = append(out, FileChange{Path: p, Change: "added", Binary: b.IsBin})
			}
			continue
		case !hasB:
			if !a.Dir {
				out = append(out, FileChange{Path: p, Change: "removed", Binary: a.IsBin})
			}
			continue
		case a.Dir && b.Dir:
			continue
		}
		if a.Content == b.Content && a.Size == b.Size && a.Mode == b.Mode && a.Link == b.Link && a.IsBin == b.IsBin {
			continue
		}
		c := FileChange{Path: p, Change: "changed", Binary: b.IsBin}
		if !a.IsBin && !b.IsBin && (a.Content != "" || a.Size == 0) && (b.Content != "" || b.Size == 0) {
			d := udiff.Unified("a/"+p, "b/"+p, a.Content, b.Content)
			if limit := min(maxFileDiff, budget); len(d) > limit {
				// Whole lines only: the head of the diff, cut where a line ends.
				d, c.Cut = d[:strings.LastIndexByte(d[:limit], '\n')+1], true
			}
			budget -= len(d)
			c.Diff = d
		}
		out = append(out, c)
	}
	return out
}
