package opener

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "README.md")
	if err := os.WriteFile(file, []byte("# hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	has := func(names ...string) func(string) (string, error) {
		return func(n string) (string, error) {
			if slices.Contains(names, n) {
				return "/usr/bin/" + n, nil
			}
			return "", errors.New("not found")
		}
	}
	tests := []struct {
		name   string
		o      Opener
		target Target
		path   string
		want   []string
	}{
		{"the user's editor", Opener{Editor: "subl -n", LookPath: has(), GOOS: "linux"}, Editor, file, []string{"subl", "-n", file}},
		{"VS Code when there", Opener{LookPath: has("code"), GOOS: "linux"}, Editor, file, []string{"/usr/bin/code", file}},
		{"the system's default app", Opener{LookPath: has(), GOOS: "linux"}, Editor, file, []string{"xdg-open", file}},
		{"a file's folder", Opener{LookPath: has(), GOOS: "linux"}, Folder, file, []string{"xdg-open", dir}},
		{"a folder on macOS", Opener{LookPath: has(), GOOS: "darwin"}, Folder, dir, []string{"open", dir}},
		{"the Debian terminal", Opener{LookPath: has("xterm", "x-terminal-emulator"), GOOS: "linux"}, Terminal, file, []string{"/usr/bin/x-terminal-emulator"}},
		{"the user's terminal", Opener{TerminalCmd: "kitty", LookPath: has("xterm"), GOOS: "linux"}, Terminal, dir, []string{"kitty"}},
		{"Terminal.app", Opener{LookPath: has(), GOOS: "darwin"}, Terminal, dir, []string{"open", "-a", "Terminal", dir}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cmd, err := tt.o.Command(context.Background(), tt.target, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := append([]string{cmd.Path}, cmd.Args[1:]...); !slices.Equal(got, tt.want) && !slices.Equal(cmd.Args, tt.want) {
				t.Errorf("command = %q, want %q", cmd.Args, tt.want)
			}
			if cmd.Dir != dir {
				t.Errorf("runs in %s, want %s", cmd.Dir, dir)
			}
		})
	}
	for _, bad := range []struct {
		target Target
		path   string
		want   string
	}{
		{Editor, "relative.md", "not an absolute path"},
		{Editor, filepath.Join(dir, "gone.md"), "no such file"},
		{"browser", file, "want editor, folder or terminal"},
	} {
		if _, err := (Opener{}).Command(context.Background(), bad.target, bad.path); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s %s: err = %v, want %q", bad.target, bad.path, err, bad.want)
		}
	}
	if _, err := (Opener{LookPath: has(), GOOS: "linux"}).Command(context.Background(), Terminal, dir); !errors.Is(err, ErrNoProgram) {
		t.Errorf("no terminal: err = %v", err)
	}
}

// An editor's cursor goes to the line in the form each editor reads.
func TestCommandAt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "catalog-info.yaml")
	if err := os.WriteFile(file, []byte("kind: Component\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	none := func(string) (string, error) { return "", errors.New("not found") }
	code := func(n string) (string, error) {
		if n == "code" {
			return "/usr/bin/code", nil
		}
		return "", errors.New("not found")
	}
	for _, tt := range []struct {
		name         string
		o            Opener
		line, column int
		want         []string
	}{
		{"VS Code found", Opener{LookPath: code, GOOS: "linux"}, 12, 3, []string{"/usr/bin/code", "-g", file + ":12:3"}},
		{"VS Code told -g already", Opener{Editor: "code -g", LookPath: none}, 12, 0, []string{"code", "-g", file + ":12"}},
		{"VS Code without a line", Opener{Editor: "code", LookPath: none}, 0, 0, []string{"code", file}},
		{"Cursor on Windows", Opener{Editor: `C:\Tools\Cursor.exe`, LookPath: none}, 4, 1, []string{`C:\Tools\Cursor.exe`, "-g", file + ":4:1"}},
		{"Sublime Text", Opener{Editor: "subl -n", LookPath: none}, 7, 2, []string{"subl", "-n", file + ":7:2"}},
		{"Neovim in a terminal", Opener{Editor: "kitty nvim", LookPath: none}, 7, 2, []string{"kitty", "nvim", file}},
		{"Vim", Opener{Editor: "vim", LookPath: none}, 7, 2, []string{"vim", "+7", file}},
		{"an editor that cannot be told", Opener{Editor: "gedit", LookPath: none}, 7, 2, []string{"gedit", file}},
		{"the system's default app", Opener{LookPath: none, GOOS: "linux"}, 7, 2, []string{"xdg-open", file}},
	} {
		cmd, err := tt.o.CommandAt(context.Background(), Editor, file, tt.line, tt.column)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !slices.Equal(cmd.Args, tt.want) {
			t.Errorf("%s: command = %q, want %q", tt.name, cmd.Args, tt.want)
		}
	}
}
