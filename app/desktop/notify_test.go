package desktop

import "testing"

func TestValidRoute(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		link string
		want bool
	}{
		{"/create/runs/1", true},
		{"/problems?location=demo", true},
		{"/", true},
		{"", false},
		{"//evil.example/x", false},
		{"https://evil.example/", false},
		{"javascript:alert(1)", false},
	} {
		if got := validRoute(c.link); got != c.want {
			t.Errorf("validRoute(%q) = %v, want %v", c.link, got, c.want)
		}
	}
}
