package launch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/gitfetch"
)

// The executables find each other beside themselves or in the layout the
// packages install: /usr/bin/callboard and /usr/lib/callboard/callboard-window.
func TestFind(t *testing.T) {
	t.Parallel()
	exe := func(name string) string {
		if runtime.GOOS == "windows" {
			return name + ".exe"
		}
		return name
	}
	tests := []struct {
		name     string
		files    []string // made under the test's root
		dir      string   // the running executable's folder
		want     string   // name, fallback: as find is called
		fallback string
		found    string // "" when none is
	}{
		{"window beside the CLI", []string{"bin/callboard", "bin/callboard-window"}, "bin", WindowName, "../lib/callboard", "bin/callboard-window"},
		{"window where the packages put it", []string{"usr/bin/callboard", "usr/lib/callboard/callboard-window"}, "usr/bin", WindowName, "../lib/callboard", "usr/lib/callboard/callboard-window"},
		{"beside wins", []string{"usr/bin/callboard-window", "usr/lib/callboard/callboard-window"}, "usr/bin", WindowName, "../lib/callboard", "usr/bin/callboard-window"},
		{"no window", []string{"usr/bin/callboard"}, "usr/bin", WindowName, "../lib/callboard", ""},
		{"a folder is not the window", []string{"usr/bin/callboard-window/x"}, "usr/bin", WindowName, "../lib/callboard", ""},
		{"CLI beside the window", []string{"bin/callboard", "bin/callboard-window"}, "bin", CLIName, "../../bin", "bin/callboard"},
		{"CLI where the packages put it", []string{"usr/bin/callboard", "usr/lib/callboard/callboard-window"}, "usr/lib/callboard", CLIName, "../../bin", "usr/bin/callboard"},
		{"no CLI", []string{"usr/lib/callboard/callboard-window"}, "usr/lib/callboard", CLIName, "../../bin", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			for _, f := range tt.files {
				path := filepath.Join(root, filepath.FromSlash(exe(f)))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, nil, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			got, err := find(filepath.Join(root, tt.dir), tt.want, filepath.FromSlash(tt.fallback))
			if tt.found == "" {
				if !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("found %q, %v; want fs.ErrNotExist", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(root, filepath.FromSlash(exe(tt.found))); filepath.Clean(got) != want {
				t.Errorf("found %s, want %s", got, want)
			}
		})
	}
}

// The window gets the tokens the CLI took out of its environment, and
// nothing else of the variables' names.
func TestWithTokens(t *testing.T) {
	t.Parallel()
	environ := []string{"HOME=/home/u", gitfetch.TokenEnv + "_OLD=stale", "PATH=/usr/bin", gitfetch.TokenEnv + "="}
	tokens := gitfetch.Tokens{All: "all", ByHost: map[string]string{gitfetch.TokenEnv + "_GITHUB_COM": "gh"}}
	got := withTokens(environ, tokens)
	slices.Sort(got)
	want := []string{gitfetch.TokenEnv + "=all", gitfetch.TokenEnv + "_GITHUB_COM=gh", "HOME=/home/u", "PATH=/usr/bin"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("environ (-want +got):\n%s", d)
	}
	if got := withTokens([]string{"HOME=/h"}, gitfetch.Tokens{}); !slices.Equal(got, []string{"HOME=/h"}) {
		t.Errorf("no tokens: %q", got)
	}
}
