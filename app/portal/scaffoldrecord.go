package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
)

// A run is kept as a store.Run record and sent as a ScaffoldRun: the
// conversions between them, and between them and what the runner
// returns, are here and nowhere else.

// runDTO is a stored run as front ends are sent it.
func runDTO(r store.Run) ScaffoldRun {
	out := ScaffoldRun{ID: r.ID, Template: r.Template, Title: r.Title, Target: r.Target, DryRun: r.DryRun, Status: r.Status, Error: r.Error,
		Started: rfc3339(r.Started), Finished: rfc3339(r.Finished), Steps: stepsDTO(r.Steps),
		Links: make([]OutputLink, len(r.Links)), Texts: make([]OutputText, len(r.Texts)), Files: make([]ScaffoldFile, len(r.Files)),
		Registered: slices.Clone(r.Registered), Values: r.Values}
	for i, l := range r.Links {
		out.Links[i] = OutputLink(l)
	}
	for i, t := range r.Texts {
		out.Texts[i] = OutputText(t)
	}
	for i, f := range r.Files {
		out.Files[i] = ScaffoldFile{Path: f.Path, Dir: f.Dir, Size: f.Size, Mode: uint32(f.Mode), Link: f.Link, Binary: f.Binary, Content: f.Content}
	}
	for _, p := range r.Publish {
		out.Publish = append(out.Publish, PublishState(p))
	}
	return out
}

func stepsDTO(steps []store.RunStep) []StepResult {
	out := make([]StepResult, len(steps))
	for i, st := range steps {
		out[i] = StepResult(st)
		out[i].Log = slices.Clone(st.Log)
		if out[i].Log == nil {
			out[i].Log = []string{}
		}
	}
	return out
}

// rfc3339 is t as the wire has times, "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// recordOf is the record of a run that ended with res; a real run keeps
// the project's tree, not its contents (which are in the project).
func recordOf(res scaffold.Result, dryRun bool) store.Run {
	r := store.Run{Status: string(res.Status), Error: res.Error, Steps: recordSteps(res.Steps),
		Links: make([]store.RunLink, len(res.Links)), Texts: make([]store.RunText, len(res.Texts)), Files: make([]store.RunFile, len(res.Files))}
	for i, l := range res.Links {
		r.Links[i] = store.RunLink(l)
	}
	for i, t := range res.Texts {
		r.Texts[i] = store.RunText(t)
	}
	for i, f := range res.Files {
		r.Files[i] = store.RunFile{Path: f.Path, Dir: f.Dir, Size: f.Size, Mode: f.Mode, Link: f.Link, Binary: f.IsBin}
		if dryRun {
			r.Files[i].Content = f.Content
		}
	}
	return r
}

func recordSteps(steps []scaffold.StepResult) []store.RunStep {
	out := make([]store.RunStep, len(steps))
	for i, st := range steps {
		out[i] = store.RunStep{ID: st.ID, Name: st.Name, Action: st.Action, Status: string(st.Status), Error: st.Error, DurationMS: st.DurationMS, Log: st.Log}
	}
	return out
}

// ResultRun is a run that ended with res, as front ends are sent it, for
// runs made without a store (the CLI's templates read from a folder).
func ResultRun(res scaffold.Result, dryRun bool) ScaffoldRun {
	return runDTO(recordOf(res, dryRun))
}

func unfinished(status string) bool {
	return status == string(scaffold.Running) || status == string(scaffold.Pending)
}

// interrupted is r ended by its app stopping.
func interrupted(r store.Run) store.Run {
	r.Status = string(scaffold.Interrupted)
	r.Error = "Callboard stopped during this run (it was closed or killed); the steps after that point did not run"
	r.Steps = slices.Clone(r.Steps)
	for i := range r.Steps {
		if unfinished(r.Steps[i].Status) {
			r.Steps[i].Status = string(scaffold.Interrupted)
		}
	}
	return r
}

// saveRun stores r. A record over store.MaxRunRecord, or one the store
// refuses, is stored trimmed (without logs, files and output texts),
// saying why, so a run always ends in a state the history shows.
func (s *templateRuns) saveRun(ctx context.Context, r store.Run) error {
	err := s.db.PutRun(ctx, r)
	if err == nil {
		return nil
	}
	why := err.Error()
	if errors.Is(err, store.ErrTooLarge) {
		why = fmt.Sprintf("it is over %d MiB", store.MaxRunRecord>>20)
	}
	if err := s.db.PutRun(ctx, trimmed(r, why)); err != nil {
		return fmt.Errorf("store run %s trimmed (%s): %w", r.ID, why, err)
	}
	s.log.Warn("template run stored trimmed", "run", r.ID, "why", why)
	return nil
}

// trimmed is r without what can make a record large: logs, files, output
// texts and links; steps keep their status and error (at most 16 KiB, cut
// by the runner), and at most maxTrimmedSteps of them are kept, so the
// record stays under store.MaxRunRecord.
func trimmed(r store.Run, why string) store.Run {
	const maxTrimmedSteps = 200
	note := "the run's record was too large to keep whole (" + why + "): its logs, files and output are left out"
	r.Error = strings.TrimPrefix(r.Error+"; "+note, "; ")
	steps := r.Steps[:min(len(r.Steps), maxTrimmedSteps)]
	r.Steps = make([]store.RunStep, len(steps))
	for i, st := range steps {
		st.Log = []string{}
		r.Steps[i] = st
	}
	r.Files, r.Texts, r.Links = []store.RunFile{}, []store.RunText{}, []store.RunLink{}
	r.Values = nil
	return r
}

// maxKeptValues bounds the form values a run's record keeps for starting
// over: a form's answers are small, a pasted file is not worth keeping.
const maxKeptValues = 64 << 10

// keptValues are the values a record keeps: none when null or too large.
func keptValues(v json.RawMessage) json.RawMessage {
	if len(v) == 0 || len(v) > maxKeptValues || string(v) == "null" {
		return nil
	}
	return slices.Clone(v)
}
