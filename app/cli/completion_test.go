package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Completion and the man page read each command's flags by running it
// with --help: every command must hand back its flag set and do nothing
// else.
func TestFlagsOfEveryCommand(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		fs := flagsOf(c)
		if fs == nil {
			t.Errorf("%s: run with --help, it did not return its flags", c.name)
			continue
		}
		if fs.Name() != c.name {
			t.Errorf("%s: its flag set is named %q", c.name, fs.Name())
		}
		if fs.Lookup("data-dir") == nil {
			t.Errorf("%s: no --data-dir", c.name)
		}
	}
}

func TestBashCompletion(t *testing.T) {
	t.Parallel()
	script := filepath.Join(t.TempDir(), "callboard.bash")
	out := run(t.Context(), nil, nil, "completion", "bash")
	if out.code != 0 {
		t.Fatalf("completion bash: %d %s", out.code, out.stderr)
	}
	if err := os.WriteFile(script, []byte(out.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line string // what is typed; the cursor is at its end
		want string // COMPREPLY
	}{
		{"callboard cat", "catalog"},
		{"callboard catalog va", "validate"},
		{"callboard catalog validate --of", "--offline"},
		{"callboard serve --a", "--addr"},
		{"callboard outbox re", "resolve"},
		{"callboard outbox --k", ""},
		{"callboard outbox resolve --k", "--keep"},
		{"callboard --data-dir /tmp/x location list --js", "--json"},
		{"callboard --ver", "--version"},
		{"callboard comp", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			words := strings.Fields(tt.line)
			if strings.HasSuffix(tt.line, " ") {
				words = append(words, "")
			}
			cmd := exec.Command("bash", "--norc", "--noprofile", "-c",
				`source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _callboard; echo "${COMPREPLY[*]}"`, "bash", script)
			cmd.Args = append(cmd.Args, words...)
			got, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("bash: %v: %s", err, got)
			}
			if strings.TrimSpace(string(got)) != tt.want {
				t.Errorf("completing %q: got %q, want %q", tt.line, strings.TrimSpace(string(got)), tt.want)
			}
		})
	}
}

func TestZshAndFishCompletion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		shell string
		want  []string
	}{
		{"zsh", []string{"#compdef callboard\n", `("catalog validate") subs=(); flags=('--offline:read no files by URL`, `("") subs=('serve:the same UI`}},
		{"fish", []string{"complete -c callboard -n '__fish_use_subcommand' -f -a catalog -d 'catalog commands'\n",
			"complete -c callboard -n '__fish_seen_subcommand_from outbox; and not __fish_seen_subcommand_from resolve' -l json -d 'machine-readable output'\n",
			"complete -c callboard -n '__fish_seen_subcommand_from catalog; and __fish_seen_subcommand_from validate' -l offline"}},
	}
	for _, tt := range tests {
		out := run(t.Context(), nil, nil, "completion", tt.shell)
		if out.code != 0 {
			t.Fatalf("completion %s: %d %s", tt.shell, out.code, out.stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(out.stdout, w) {
				t.Errorf("completion %s: no %q in\n%s", tt.shell, w, out.stdout)
			}
		}
		if strings.Contains(out.stdout, "completion") && strings.Contains(out.stdout, "-a completion") {
			t.Errorf("completion %s offers the hidden completion command", tt.shell)
		}
	}
	if out := run(t.Context(), nil, nil, "completion", "tcsh"); out.code != ExitUsage {
		t.Errorf("completion tcsh: exit %d, want %d", out.code, ExitUsage)
	}
}

// The man page is valid roff (groff warns of nothing) and names every
// command and its flags.
func TestManPage(t *testing.T) {
	t.Parallel()
	out := run(t.Context(), nil, nil, "man")
	if out.code != 0 {
		t.Fatalf("man: %d %s", out.code, out.stderr)
	}
	for _, c := range shown() {
		if !strings.Contains(out.stdout, ".B "+roff("callboard "+c.name)) {
			t.Errorf("the man page has no %q", c.name)
		}
	}
	if strings.Contains(out.stdout, "callboard man") {
		t.Error("the man page lists the hidden man command")
	}
	cmd := exec.Command("groff", "-man", "-ww", "-z")
	cmd.Stdin = strings.NewReader(out.stdout)
	if msg, err := cmd.CombinedOutput(); err != nil || len(msg) > 0 {
		t.Errorf("groff: %v: %s", err, msg)
	}
	if !strings.Contains(out.stdout, `.TH CALLBOARD 1 "" "callboard test"`) {
		t.Errorf("the man page's title line: %q", strings.SplitN(out.stdout, "\n", 2)[0])
	}
}
