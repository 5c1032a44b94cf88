package updates

import "testing"

func TestNewer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		current, latest string
		want            bool
	}{
		{"1.2.0", "1.3.0", true},
		{"1.2.0", "v1.2.1", true},
		{"v1.2.0", "2.0.0", true},
		{"1.2.0", "1.2.0", false},
		{"1.2.0", "v1.2.0", false},
		{"1.2.0", "1.1.9", false},
		{"1.10.0", "1.9.0", false},
		{"1.2.0-rc.1", "1.2.0", true},
		{"1.2.0", "1.2.0-rc.1", false},
		{"1.2.0-rc.2", "1.2.0-rc.10", true},
		{"1.2.0-alpha", "1.2.0-beta", true},
		{"1.2.0-rc.1", "1.2.0-rc.1.1", true},
		{"1.2.0+build.5", "1.2.0", false},
		{"dev", "9.9.9", false},
		{"1.2.0-dirty", "1.3.0", false},
		{"1.2.0", "latest", false},
		{"1.2", "1.3.0", false},
		{"1.2.0", "1.02.0", false},
		{"1.2.0", "1.2.0-", false},
		{"", "1.0.0", false},
	}
	for _, tt := range tests {
		if got := Newer(tt.current, tt.latest); got != tt.want {
			t.Errorf("Newer(%q, %q) = %v, want %v", tt.current, tt.latest, got, tt.want)
		}
	}
}

func TestIsRelease(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{"1.0.0": true, "v2.3.4-rc.1": true, "dev": false, "1.0.0-dirty": false, "abc1234": false} {
		if got := IsRelease(v); got != want {
			t.Errorf("IsRelease(%q) = %v, want %v", v, got, want)
		}
	}
}
