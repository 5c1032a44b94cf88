package locale

import (
	"testing"
	"time"
)

func TestAge(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Second, "less than a minute"},
		{5 * time.Minute, "5 min"},
		{3*time.Hour + 59*time.Minute, "3 h"},
		{47 * time.Hour, "47 h"},
		{90 * 24 * time.Hour, "90 days"},
	} {
		if got := Age(tt.d); got != tt.want {
			t.Errorf("Age(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
