package portal

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestReportFrontendError(t *testing.T) {
	var buf bytes.Buffer
	s := &frontendErrors{log: slog.New(slog.NewTextHandler(&buf, nil))}
	ctx := context.Background()
	err := s.ReportFrontendError(ctx, FrontendError{Kind: "boundary", Route: "/catalog/component/default/a", Where: "plugin view bad-chart/chart",
		Message: "RangeError: invalid language tag: C", Stack: "at format"})
	if err != nil {
		t.Fatal(err)
	}
	line := buf.String()
	for _, want := range []string{`level=ERROR`, `msg="frontend error"`, `kind=boundary`, `route=/catalog/component/default/a`,
		`where="plugin view bad-chart/chart"`, `message="RangeError: invalid language tag: C"`, `stack="at format"`} {
		if !strings.Contains(line, want) {
			t.Errorf("the log line lacks %s:\n%s", want, line)
		}
	}
	if err := s.ReportFrontendError(ctx, FrontendError{Kind: "alert", Message: "x"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an unknown kind: err = %v, want ErrInvalid", err)
	}
	buf.Reset()
	long := strings.Repeat("é", maxFrontendMessage)
	if err := s.ReportFrontendError(ctx, FrontendError{Kind: "error", Message: long}); err != nil {
		t.Fatal(err)
	}
	if n := len(buf.String()); n > maxFrontendMessage+200 {
		t.Errorf("a %d-byte message made a %d-byte log line", len(long), n)
	}
	if got := s.count.Load(); got != 2 {
		t.Errorf("count = %d, want 2 (the refused one is not counted)", got)
	}
}

func TestFrontendErrorsFlood(t *testing.T) {
	var f frontendErrors
	start := time.Now()
	logged := 0
	for range frontendBurst * 3 {
		if ok, _ := f.admit(start); ok {
			logged++
		}
	}
	if logged != frontendBurst {
		t.Errorf("%d of a flood logged in one window, want %d", logged, frontendBurst)
	}
	ok, dropped := f.admit(start.Add(frontendWindow))
	if !ok || dropped != frontendBurst*2 {
		t.Errorf("the next window: ok %v, dropped %d; want true, %d", ok, dropped, frontendBurst*2)
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc…"},
		{"aéb", 2, "a…"}, // é is two bytes: not cut in half
		{"", 0, ""},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
