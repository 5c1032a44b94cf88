package portal

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

func TestErrorOf(t *testing.T) {
	t.Parallel()
	remote := &Error{Code: CodeNotFound, Message: "entity x: not found"}
	tests := []struct {
		err  error
		want Error
	}{
		{fmt.Errorf("entity x: %w", ErrNotFound), Error{Code: CodeNotFound, Message: "entity x: not found"}},
		{fmt.Errorf("limit: %w", ErrInvalid), Error{Code: CodeInvalid, Message: "limit: invalid request"}},
		{fmt.Errorf("taken: %w", ErrConflict), Error{Code: CodeConflict, Message: "taken: conflict"}},
		{fmt.Errorf("history: %w", ErrBusy), Error{Code: CodeUnavailable, Message: "history: busy: try again in a few seconds"}},
		{fmt.Errorf("sync: %w", context.DeadlineExceeded), Error{Code: CodeUnavailable, Message: "sync: context deadline exceeded"}},
		{fmt.Errorf("sync: %w", context.Canceled), Error{Code: CodeCanceled, Message: "sync: context canceled"}},
		{errors.New("disk on fire"), Error{Code: CodeInternal, Message: "disk on fire"}},
		{fmt.Errorf("%w: %w", ErrInvalid, catalog.Error{File: "a.yaml", Line: 3, Column: 2, Field: "spec.owner", Message: "required"}),
			Error{Code: CodeInvalid, Message: "invalid request: a.yaml:3:2: spec.owner: required", File: "a.yaml", Line: 3, Field: "spec.owner"}},
		{fmt.Errorf("call instance: %w", remote), Error{Code: CodeNotFound, Message: "call instance: entity x: not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			t.Parallel()
			if got := ErrorOf(tt.err); *got != tt.want {
				t.Errorf("ErrorOf = %+v, want %+v", *got, tt.want)
			}
		})
	}
	if ErrorOf(nil) != nil {
		t.Error("ErrorOf(nil) is not nil")
	}
}

// TestErrorUnwrap checks that an error decoded from the wire still
// matches the sentinel it was classified by.
func TestErrorUnwrap(t *testing.T) {
	t.Parallel()
	for code, want := range map[ErrorCode]error{CodeNotFound: ErrNotFound, CodeInvalid: ErrInvalid, CodeConflict: ErrConflict,
		CodeUnavailable: ErrBusy, CodeCanceled: context.Canceled} {
		if err := error(&Error{Code: code}); !errors.Is(err, want) {
			t.Errorf("%s does not unwrap to %v", code, want)
		}
	}
	if err := error(&Error{Code: CodeInternal}); errors.Unwrap(err) != nil {
		t.Errorf("internal unwraps to %v", errors.Unwrap(err))
	}
}
