package portal_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/portal/portaltest"
)

// evaluations records how many entities each scorecard evaluation
// evaluated and reused, from the area's debug log.
type evaluations struct {
	mu   sync.Mutex
	runs [][2]int64
}

func (e *evaluations) Enabled(context.Context, slog.Level) bool { return true }
func (e *evaluations) WithAttrs([]slog.Attr) slog.Handler       { return e }
func (e *evaluations) WithGroup(string) slog.Handler            { return e }
func (e *evaluations) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "scorecards evaluated" {
		return nil
	}
	var run [2]int64
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "evaluated":
			run[0] = a.Value.Int64()
		case "reused":
			run[1] = a.Value.Int64()
		}
		return true
	})
	e.mu.Lock()
	e.runs = append(e.runs, run)
	e.mu.Unlock()
	return nil
}

// After a restart the stored results are reused: the first evaluation of
// the new process evaluates no entity and answers as the last one did.
func TestScorecardsSurviveARestart(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	ctx := t.Context()
	open := func() (*instance.Local, *evaluations) {
		ev := &evaluations{}
		l, err := instance.Open(ctx, instance.Config{Root: root, Mode: "serve", Version: portaltest.Version, Log: slog.New(ev),
			Getenv: func(string) string { return "" }})
		if err != nil {
			t.Fatal(err)
		}
		return l, ev
	}
	l, ev := open()
	if _, err := l.Service.Sync(ctx, portal.DemoLocationID); err != nil {
		t.Fatal(err)
	}
	before, err := l.Service.Scorecards(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 || len(ev.runs) != 1 || ev.runs[0][0] == 0 {
		t.Fatalf("the first process: %d scorecards, evaluations %v", len(before), ev.runs)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l, ev = open()
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close the instance: %v", err)
		}
	})
	after, err := l.Service.Scorecards(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := gocmp.Diff(before, after); d != "" {
		t.Errorf("scorecards after a restart (-before +after):\n%s", d)
	}
	if len(ev.runs) != 1 || ev.runs[0][0] != 0 || ev.runs[0][1] == 0 {
		t.Errorf("evaluations after a restart (evaluated, reused) = %v, want every entity reused", ev.runs)
	}
}
