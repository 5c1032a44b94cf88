package winplace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var least = Size{900, 560}

func TestFit(t *testing.T) {
	t.Parallel()
	laptop := Size{1280, 800}
	tests := []struct {
		name   string
		saved  Place
		screen Size
		want   Place
	}{
		{"fits as saved", Place{100, 50, 1000, 700, false}, laptop, Place{100, 50, 1000, 700, false}},
		{"at the origin", Place{0, 0, 1280, 800, false}, laptop, Place{0, 0, 1280, 800, false}},
		{"on a monitor since unplugged, to the right", Place{2400, 100, 1000, 700, false}, laptop, Place{280, 100, 1000, 700, false}},
		{"on a monitor since unplugged, to the left", Place{-1900, -300, 1000, 700, false}, laptop, Place{0, 0, 1000, 700, false}},
		{"half off the bottom", Place{100, 600, 1000, 700, false}, laptop, Place{100, 100, 1000, 700, false}},
		{"larger than the screen", Place{10, 10, 2560, 1440, false}, laptop, Place{0, 0, 1280, 800, false}},
		{"smaller than the least size", Place{10, 10, 200, 100, false}, laptop, Place{10, 10, 900, 560, false}},
		{"a screen smaller than the least size", Place{10, 10, 1000, 700, false}, Size{800, 480}, Place{0, 0, 800, 480, false}},
		{"maximised stays so", Place{3000, 3000, 1000, 700, true}, laptop, Place{280, 100, 1000, 700, true}},
		{"the screen unknown", Place{3000, 3000, 1000, 700, false}, Size{}, Place{3000, 3000, 1000, 700, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Fit(tt.saved, tt.screen, least); got != tt.want {
				t.Errorf("Fit(%+v, %v) = %+v, want %+v", tt.saved, tt.screen, got, tt.want)
			}
		})
	}
}

func TestPick(t *testing.T) {
	t.Parallel()
	a, b, c := Size{1920, 1080}, Size{1280, 800}, Size{2560, 1440}
	tests := []struct {
		name    string
		screens []Screen
		want    Size
		ok      bool
	}{
		{"none", nil, Size{}, false},
		{"the current one", []Screen{{a, false, true}, {b, true, false}}, b, true},
		{"else the primary", []Screen{{a, false, false}, {c, false, true}}, c, true},
		{"else the first", []Screen{{a, false, false}, {c, false, false}}, a, true},
	}
	for _, tt := range tests {
		if got, ok := Pick(tt.screens); got != tt.want || ok != tt.ok {
			t.Errorf("%s: Pick = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "window.json")
	if _, ok, err := Load(path); ok || err != nil {
		t.Fatalf("Load of nothing = %v, %v", ok, err)
	}
	want := Place{-40, 30, 1400, 900, true}
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, want); err != nil {
		t.Fatal(err) // over the first
	}
	got, ok, err := Load(path)
	if err != nil || !ok || got != want {
		t.Fatalf("Load = %+v, %v, %v; want %+v", got, ok, err, want)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want window.json alone", len(entries))
	}
}

func TestLoadRefuses(t *testing.T) {
	t.Parallel()
	for name, content := range map[string]string{
		"not JSON":  "{x",
		"no size":   `{"x": 1, "y": 2}`,
		"oversized": `{"x": 1, "pad": "` + strings.Repeat("a", 5000) + `"}`,
	} {
		path := filepath.Join(t.TempDir(), "window.json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if p, ok, err := Load(path); ok || err == nil {
			t.Errorf("%s: Load = %+v, %v, %v; want an error", name, p, ok, err)
		}
	}
}
