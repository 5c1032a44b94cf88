package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/sync/gitfetch"
)

// Exit codes of the CLI contract.
const (
	ExitOK      = 0
	ExitInvalid = 1 // the thing checked is invalid
	ExitUsage   = 2 // usage or environment error
)

// Window is the desktop window as the CLI drives it.
type Window interface {
	// Run shows the window and blocks until it closes or ctx ends.
	Run(ctx context.Context) error
	// Focus brings the window to the front.
	Focus(ctx context.Context) error
	// Navigate shows a UI route in the window and brings it to the front.
	Navigate(ctx context.Context, route string) error
}

// WindowOptions say where the window opens.
type WindowOptions struct {
	// Route is the UI route it opens on ("" for Home).
	Route string
	// PlaceFile keeps its size and position between starts.
	PlaceFile string
}

// Env is what the CLI needs from the binary it runs in.
type Env struct {
	// Build is the running build: its version, commit, date and toolchain.
	Build buildinfo.Info
	// UI is the built frontend served to the window and to browsers.
	UI fs.FS
	// NewWindow makes the desktop window; nil when the binary has none.
	NewWindow func(api portal.API, log *slog.Logger, opts WindowOptions) Window
	// ExecWindow hands the window over to the window executable, with the
	// window command's arguments (launch.ExecWindow), in an executable
	// without the window; an error wraps fs.ErrNotExist when there is none.
	ExecWindow func(args []string) error
	Stdin      io.Reader
	Stdout     io.Writer
	Stderr     io.Writer
	Getenv     func(string) string
	// Tokens are the git tokens main took out of the environment before
	// anything else ran (gitfetch.TakeTokens); Getenv no longer has them.
	Tokens gitfetch.Tokens
	// Plugins are the built-in plugins inside this executable
	// (plugins/bundled), given to the plugin host.
	Plugins []host.Manifest
	// StartFailed shows why the window could not open, in a window of its
	// own: started from a menu, no one reads stderr. Nil when the binary
	// has no window.
	StartFailed func(message string)
}

// usageError is a mistake on the command line: exit 2 with the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// invalidError reports that the thing checked is invalid: exit 1.
type invalidError struct{ msg string }

func (e invalidError) Error() string { return e.msg }

type command struct {
	name    string
	args    string
	summary string
	run     func(r *runner, ctx context.Context, args []string) error
	// hidden commands are for the packages, not people: --help omits them.
	hidden bool
}

func commands() []command {
	return []command{
		{name: "serve", args: "[--addr 127.0.0.1:7007] [--token T]", summary: "the same UI and a JSON API in a browser", run: (*runner).serve},
		{name: "open", args: "LINK", summary: "show a callboard:// link's page: in the running window, else in a new one (callboard LINK does the same)", run: (*runner).openLink},
		{name: "catalog validate", args: "PATH... [--offline]", summary: "lint catalog files as Backstage would; per-entity verdicts with file:line", run: (*runner).catalogValidate},
		{name: "catalog list", args: "[--kind K] [--filter key=value]... [--limit N] [--offset N] [--all]", summary: "list catalog entities, 100 at a time unless told (stderr says how many of how many)", run: (*runner).catalogList},
		{name: "catalog get", args: "REF", summary: "show one entity, e.g. component:default/payments", run: (*runner).catalogGet},
		{name: "catalog unregister", args: "REF [--dry-run]", summary: "take an entity registered from Callboard out of the catalog as it came in (its location, or its file through the outbox), or say how it got there", run: (*runner).catalogUnregister},
		{name: "catalog export", args: "--git DIR [--org ID]", summary: "write the discovered organisations' catalog files, annotated with their source, into one git repository to register as a location", run: (*runner).catalogExport},
		{name: "catalog write", args: "LOCATION PATH --file F --message M", summary: "commit a catalog file locally; the next sync pushes it", run: (*runner).catalogWrite},
		{name: "location add", args: "URL [--branch B] [--path P] | ORG-URL --discover [--catalog-path P] [--branch B] [--repo-regex R] [--topic T]... [--exclude-topic T]... [--visibility V]... [--forks=false] [--archived] [--teams] [--forge github|gitlab]", summary: "register a catalog repository, or every catalog repository of an organisation, and sync it", run: (*runner).locationAdd},
		{name: "location list", summary: "list registered catalog repositories and their sync state", run: (*runner).locationList},
		{name: "location remove", args: "ID", summary: "unregister a catalog repository and drop its entities", run: (*runner).locationRemove},
		{name: "sync", args: "[--location ID]", summary: "one sync pass, then exit", run: (*runner).sync},
		{name: "problems", args: "[--owner me] [--location ID] [--kind K] [--text T]", summary: "list refused files and entities, failed syncs and pushes; exit 1 when there are any", run: (*runner).problems},
		{name: "location review", args: "ID --mode direct|pr|detect [--forge github|gitlab|gitea]", summary: "choose how edits made here reach a location's branch: pushed, by pull request, or detected (a discovered organisation's repositories take its choice)", run: (*runner).locationReview},
		{name: "outbox resolve", args: "ID --keep mine|theirs|discard|reopen", summary: "settle a conflict between a local commit and the remote, or a closed pull request (discard the change or reopen it)", run: (*runner).outboxResolve},
		{name: "outbox", summary: "list commits made here that the remotes do not have yet", run: (*runner).outboxList},
		{name: "token set", args: "HOST", summary: "store an https token for HOST in the OS keyring, read from stdin", run: (*runner).tokenSet},
		{name: "token status", summary: "show where each git host's https token comes from (never the token)", run: (*runner).tokenStatus},
		{name: "token remove", args: "HOST", summary: "remove the token for HOST from the OS keyring", run: (*runner).tokenRemove},
		{name: "search", args: "QUERY... [--kind K] [--type T] [--in entity|docs|template] [--limit N]", summary: "search entities, docs and templates", run: (*runner).search},
		{name: "docs build", args: "DIR --out OUT [--strict]", summary: "render a TechDocs site to static HTML", run: (*runner).docsBuild},
		{name: "docs serve", args: "DIR [--http ADDR]", summary: "preview a docs folder as you write it, in the window or a browser", run: (*runner).docsServe},
		{name: "scaffold test", args: "DIR --golden EXPECTED [--values FILE] [--update]", summary: "render a template folder as a dry run and compare the project with a golden folder; exit 1 with a diff on any difference", run: (*runner).scaffoldTest},
		{name: "scaffold actions", args: "[--json]", summary: "list the actions templates can use here: built in, from plugins, skipped or not runnable here (--json: with their schemas and examples)", run: (*runner).scaffoldActions},
		{name: "scaffold update", args: "DIR [--to COMMIT] [--set NAME=VALUE]... [--secret NAME=VALUE]... [--dry-run] [--push | --pull-request [--base BRANCH] [--forge KIND]]", summary: "merge the template's changes since a project was made into it, as one commit on a new branch, and push it or open a pull request; exit 1 on conflicts or a failed push", run: (*runner).scaffoldUpdate},
		{name: "scaffold edit", args: "DIR", summary: "open a template folder in the window's workbench: the form and a dry run follow the folder as you save", run: (*runner).scaffoldEdit},
		{name: "scaffold", args: "TEMPLATE --values FILE --out DIR [--dry-run] [--overwrite]", summary: "run a software template (a catalog ref, a template file, or a folder holding one)", run: (*runner).scaffold},
		{name: "template lint", args: "DIR... [--strict]", summary: "report unknown actions and ui:fields, references to missing parameters and steps, unused parameters and schema errors in templates, with file:line:col; exit 1 on errors", run: (*runner).templateLint},
		{name: "scorecard", args: "[PATH...] [--scorecard NAME] [--owner REF] [--min-level LEVEL]", summary: "evaluate the Scorecard entities of a checkout over its entities and files, offline; exit 1 when an entity is below --min-level", run: (*runner).scorecardRun},
		{name: "plugins list", summary: "list the plugins: version, state, last error", run: (*runner).pluginsList},
		{name: "version", summary: "print the version; with --json also the commit, build date, Go, Wails and store format", run: (*runner).version},
		{name: "data-dir", summary: "print the data directory this command would use", run: (*runner).printDataDir},
		{name: "completion", args: "bash|zsh|fish", summary: "print the shell's completion script", run: (*runner).completion, hidden: true},
		{name: "man", summary: "print the man page (roff)", run: (*runner).man, hidden: true},
	}
}

// Main runs the CLI with args (without the program name) and returns the exit code.
func Main(ctx context.Context, args []string, env Env) int {
	r := &runner{env: env}
	err := r.dispatch(ctx, args)
	if err == nil {
		return ExitOK
	}
	var help helpError
	if errors.As(err, &help) {
		r.commandUsage(env.Stdout, help.fs)
		return ExitOK
	}
	fmt.Fprintln(env.Stderr, "callboard: "+err.Error())
	var inv invalidError
	if errors.As(err, &inv) {
		return ExitInvalid
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

type runner struct {
	env     Env
	dataDir string
	json    bool
}

func (r *runner) dispatch(ctx context.Context, args []string) error {
	if len(args) > 0 && isVersion(args[0]) {
		return r.version(ctx, args[1:])
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0]) || isLink(args[0]) {
		return r.window(ctx, args)
	}
	if isHelp(args[0]) || args[0] == "help" {
		r.usage(r.env.Stdout)
		return nil
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) < len(words) || !equalWords(args[:len(words)], words) {
			continue
		}
		return c.run(r, ctx, args[len(words):])
	}
	if group := subcommands(args[0]); len(group) > 0 {
		if len(args) > 1 && isHelp(args[1]) {
			r.groupUsage(r.env.Stdout, group)
			return nil
		}
		if len(args) == 1 {
			return usagef("%s needs a subcommand: %s; run callboard %s --help", args[0], strings.Join(lastWords(group), ", "), args[0])
		}
	}
	return usagef("unknown command %q; run callboard --help for the list", strings.Join(args, " "))
}

// subcommands are the commands of a group such as "catalog".
func subcommands(group string) []command {
	var out []command
	for _, c := range commands() {
		if first, _, ok := strings.Cut(c.name, " "); ok && first == group {
			out = append(out, c)
		}
	}
	return out
}

func lastWords(cs []command) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		_, out[i], _ = strings.Cut(c.name, " ")
	}
	return out
}

// helpError is a command's --help: Main prints that command's usage.
type helpError struct{ fs *flag.FlagSet }

func (helpError) Error() string { return "help requested" }

// commandUsage prints one command's usage line, what it does and its flags.
func (r *runner) commandUsage(w io.Writer, fs *flag.FlagSet) {
	for _, c := range commands() {
		if c.name == fs.Name() {
			fmt.Fprintf(w, "Usage: callboard %s\n\n%s.\n", strings.TrimSpace(c.name+" "+c.args), strings.ToUpper(c.summary[:1])+c.summary[1:])
		}
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func (r *runner) groupUsage(w io.Writer, group []command) {
	fmt.Fprintln(w, "Usage:")
	for _, c := range group {
		fmt.Fprintf(w, "  callboard %-48s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
}

func isHelp(s string) bool { return s == "-h" || s == "--help" || s == "-help" }

func isVersion(s string) bool { return s == "--version" || s == "-version" }

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (r *runner) usage(w io.Writer) {
	fmt.Fprintf(w, "Callboard %s: a local-first developer portal.\n\nUsage:\n  callboard [--data-dir DIR]%-22s open the desktop window\n", r.env.Build.Version, "")
	for _, c := range shown() {
		line := c.name
		if c.args != "" {
			line += " " + c.args
		}
		fmt.Fprintf(w, "  callboard %-48s %s\n", line, c.summary)
	}
	fmt.Fprint(w, `
Every command takes --data-dir DIR (default $CALLBOARD_HOME, else $XDG_DATA_HOME/callboard)
and --json for machine-readable output.
Exit codes: 0 ok, 1 the thing checked is invalid, 2 usage or environment error.
`)
}

// flags returns a flag set with the flags every command takes.
func (r *runner) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by Main
	fs.StringVar(&r.dataDir, "data-dir", "", "data directory")
	fs.BoolVar(&r.json, "json", false, "machine-readable output")
	return fs
}

// parse parses args, flags and positional arguments in any order, turns
// flag errors into usage errors, and returns the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, helpError{fs}
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseNoArgs is parse for a command that takes flags only.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	pos, err := parse(fs, args)
	if err == nil && len(pos) > 0 {
		err = usagef("%s takes no arguments, got %q", fs.Name(), pos)
	}
	return err
}

// logger logs to stderr; CALLBOARD_LOG=debug|info|warn|error sets the level.
func (r *runner) logger(def slog.Level) *slog.Logger {
	level := def
	if v := r.env.Getenv("CALLBOARD_LOG"); v != "" {
		_ = level.UnmarshalText([]byte(v))
	}
	return slog.New(slog.NewTextHandler(r.env.Stderr, &slog.HandlerOptions{Level: level}))
}
