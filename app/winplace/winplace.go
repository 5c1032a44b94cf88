package winplace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Place is where the window was: its position and size when not
// maximised, and whether it was.
type Place struct {
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised"`
}

// Size is a screen's or a window's size, in the logical pixels the
// window system places windows in.
type Size struct {
	Width, Height int
}

// maxFile bounds what Load reads: a place is a few dozen bytes.
const maxFile = 4 << 10

// Load reads the place saved at path. ok is false when none was saved;
// a file that cannot be read or makes no sense is an error, and the
// window then opens where it would the first time.
func Load(path string) (p Place, ok bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Place{}, false, nil
	}
	if err != nil {
		return Place{}, false, fmt.Errorf("read the window's place: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return Place{}, false, fmt.Errorf("read the window's place %s: %w", path, err)
	}
	if len(data) > maxFile {
		return Place{}, false, fmt.Errorf("the window's place %s is over %d bytes", path, maxFile)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return Place{}, false, fmt.Errorf("the window's place %s: %w", path, err)
	}
	if p.Width <= 0 || p.Height <= 0 {
		return Place{}, false, fmt.Errorf("the window's place %s has no size", path)
	}
	return p, true, nil
}

// Save writes p to path, replacing what was there in one step, so a
// crash while saving leaves the place before.
func Save(path string, p Place) error {
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode the window's place: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".window-*.json")
	if err != nil {
		return fmt.Errorf("save the window's place: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save the window's place %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save the window's place %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save the window's place: %w", err)
	}
	return nil
}

// Fit returns p as it fits on screen, the screen the window opens on: no
// larger than the screen nor smaller than min, and moved so that all of
// it is on the screen. A window last on a monitor since unplugged, or on
// a larger one, so opens where it can be seen and reached.
func Fit(p Place, screen, min Size) Place {
	if screen.Width <= 0 || screen.Height <= 0 {
		return p // the screen is not known: as saved
	}
	p.Width = clamp(p.Width, min.Width, screen.Width)
	p.Height = clamp(p.Height, min.Height, screen.Height)
	p.X = clamp(p.X, 0, screen.Width-p.Width)
	p.Y = clamp(p.Y, 0, screen.Height-p.Height)
	return p
}

// clamp returns v within [lo, hi]; hi wins when they cross (a screen
// smaller than the window's least size).
func clamp(v, lo, hi int) int {
	return min(max(v, lo), hi)
}

// Screen is one of the system's screens as the window system lists it.
type Screen struct {
	Size             Size
	Current, Primary bool
}

// Pick returns the size of the screen a window opens on: the current
// one, else the primary, else the first; ok is false when there is none.
func Pick(screens []Screen) (size Size, ok bool) {
	for _, want := range []func(Screen) bool{
		func(s Screen) bool { return s.Current },
		func(s Screen) bool { return s.Primary },
		func(Screen) bool { return true },
	} {
		for _, s := range screens {
			if want(s) {
				return s.Size, true
			}
		}
	}
	return Size{}, false
}
