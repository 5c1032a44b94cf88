// Package opener opens local files and folders in the user's tools: the
// editor, the file manager and a terminal. Only the desktop's user asks
// for it, for paths the portal has already checked.
package opener

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// Target is what to open a path with.
type Target string

const (
	Editor   Target = "editor"
	Folder   Target = "folder"
	Terminal Target = "terminal"
)

// Opener builds and starts the commands. Editor and TerminalCmd are the
// user's commands from Settings ("code -g", "kitty"); empty ones fall
// back to what the system offers.
type Opener struct {
	Editor      string
	TerminalCmd string
	// LookPath finds a program (exec.LookPath; tests give their own).
	LookPath func(string) (string, error)
	// GOOS picks the system's defaults (runtime.GOOS when empty).
	GOOS string
}

// ErrNoProgram is returned when nothing on this system can open the path.
var ErrNoProgram = errors.New("no program to open it with")

// Command is the command that opens path with target; path must be
// absolute and exist.
func (o Opener) Command(ctx context.Context, target Target, path string) (*exec.Cmd, error) {
	return o.CommandAt(ctx, target, path, 0, 0)
}

// CommandAt is Command with the editor's cursor at line and column (from
// 1; 0 for none), for the editors whose command line says how.
func (o Opener) CommandAt(ctx context.Context, target Target, path string, line, column int) (*exec.Cmd, error) {
	if !filepath.IsAbs(path) {
		return nil, fmt.Errorf("open %s: not an absolute path", path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	dir := path
	if !fi.IsDir() {
		dir = filepath.Dir(path)
	}
	goos := o.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	look := o.LookPath
	if look == nil {
		look = exec.LookPath
	}
	var argv []string
	switch target {
	case Editor:
		if argv = o.editor(goos, look); argv != nil {
			argv = at(argv, path, line, column)
		}
	case Folder:
		argv = append(systemOpen(goos), dir)
	case Terminal:
		argv = o.terminal(goos, look, dir)
	default:
		return nil, fmt.Errorf("open %s with %q: want editor, folder or terminal", path, target)
	}
	if len(argv) == 0 {
		return nil, fmt.Errorf("open %s in a %s: %w (set one in Settings)", path, target, ErrNoProgram)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	return cmd, nil
}

// Start starts cmd and lets it run on its own, reaping it when it ends.
// Build cmd with a context that outlives the request: an editor or a
// terminal stays open after the click that opened it.
func Start(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// editor: the user's command; else VS Code or its open build, then the
// system's default application for the file.
func (o Opener) editor(goos string, look func(string) (string, error)) []string {
	if f := strings.Fields(o.Editor); len(f) > 0 {
		return f
	}
	for _, name := range []string{"code", "codium"} {
		if p, err := look(name); err == nil {
			return []string{p}
		}
	}
	return systemOpen(goos)
}

// at appends path to an editor's argv, with line and column in the form
// that editor reads: VS Code and its builds take -g file:line:column,
// Sublime Text and Zed file:line:column, terminal editors +line file.
// Another editor gets the file alone.
func at(argv []string, path string, line, column int) []string {
	if line <= 0 {
		return append(argv, path)
	}
	pos := fmt.Sprintf("%s:%d", path, line)
	if column > 0 {
		pos += fmt.Sprintf(":%d", column)
	}
	// The user's command may be a Windows path, read on any system.
	name := argv[0][strings.LastIndexAny(argv[0], `/\`)+1:]
	name = strings.TrimSuffix(strings.ToLower(name), ".exe")
	switch name {
	case "code", "codium", "code-insiders", "cursor", "windsurf":
		if !slices.Contains(argv[1:], "-g") && !slices.Contains(argv[1:], "--goto") {
			argv = append(argv, "-g")
		}
		return append(argv, pos)
	case "subl", "sublime_text", "zed":
		return append(argv, pos)
	case "vi", "vim", "nvim", "nano", "emacs", "emacsclient", "micro", "hx", "kak":
		return append(argv, fmt.Sprintf("+%d", line), path)
	}
	return append(argv, path)
}

// terminal: the user's command, else the system's terminal, started in
// the folder.
func (o Opener) terminal(goos string, look func(string) (string, error), dir string) []string {
	if f := strings.Fields(o.TerminalCmd); len(f) > 0 {
		return f
	}
	switch goos {
	case "darwin":
		return []string{"open", "-a", "Terminal", dir}
	case "windows":
		return []string{"cmd", "/c", "start", "cmd", "/k", "cd", "/d", dir}
	}
	for _, name := range []string{"x-terminal-emulator", "gnome-terminal", "konsole", "xfce4-terminal", "xterm"} {
		if p, err := look(name); err == nil {
			return []string{p}
		}
	}
	return nil
}

func systemOpen(goos string) []string {
	switch goos {
	case "darwin":
		return []string{"open"}
	case "windows":
		return []string{"explorer"}
	}
	return []string{"xdg-open"}
}
