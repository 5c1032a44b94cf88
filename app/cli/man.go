package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// man prints callboard(1) in roff, made from the command table and each
// command's flags, dated by the build so the same build gives the same page.
func (r *runner) man(_ context.Context, args []string) error {
	fs := r.flags("man")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	b := r.env.Build
	date, _, _ := strings.Cut(b.Date, "T")
	w := r.env.Stdout
	fmt.Fprintf(w, ".TH CALLBOARD 1 %s %s \"User Commands\"\n", roffQuote(date), roffQuote("callboard "+b.Version))
	fmt.Fprint(w, `.SH NAME
callboard \- a local\-first developer portal
.SH SYNOPSIS
.B callboard
.RB [ \-\-data\-dir
.IR DIR ]
.br
.B callboard
.I command
.RI [ arguments ]
.RB [ \-\-data\-dir
.IR DIR ]
.RB [ \-\-json ]
.SH DESCRIPTION
Callboard is a developer portal that reads Backstage catalogs from git
repositories and keeps them on this machine.
With no command it opens the desktop window, or brings the one already open
on the data directory to the front; with a command it is the command line.
A command talks to the instance running on the data directory, or opens the
data directory itself when none runs.
.SH OPTIONS
These options are taken by every command.
`)
	for _, f := range globalFlags() {
		manFlag(w, f)
	}
	fmt.Fprint(w, `.TP
.BR \-\-help
Print the usage and flags of a command, or the list of commands.
.TP
.BR \-\-version
Print the version; with
.B \-\-json
also the commit, build date, Go, Wails and store format.
.SH COMMANDS
`)
	for _, c := range shown() {
		fmt.Fprintf(w, ".TP\n.B %s\n", roff(strings.TrimSpace("callboard "+c.name+" "+c.args)))
		fmt.Fprintln(w, roff(strings.ToUpper(c.summary[:1])+c.summary[1:]+"."))
		flags := ownFlags(c)
		if len(flags) == 0 {
			continue
		}
		fmt.Fprintln(w, ".RS")
		for _, f := range flags {
			manFlag(w, f)
		}
		fmt.Fprintln(w, ".RE")
	}
	fmt.Fprint(w, `.SH ENVIRONMENT
.TP
.B CALLBOARD_HOME
The data directory, unless
.B \-\-data\-dir
names one.
.TP
.B XDG_DATA_HOME
The data directory is
.I $XDG_DATA_HOME/callboard
when neither names one (by default
.IR ~/.local/share/callboard ).
.TP
.B CALLBOARD_LOG
The log level: debug, info, warn or error.
.SH FILES
.TP
.I <data directory>
The store, the clones of the catalog repositories, the search index and the
plugins the user installed.
Uninstalling Callboard leaves it in place;
.B callboard data\-dir
prints where it is.
.SH "EXIT STATUS"
0 when all went well, 1 when the thing checked is invalid, 2 on a usage or
environment error.
`)
	return nil
}

// manFlag writes one flag as a tagged paragraph, its value's name as
// flag.PrintDefaults finds it.
func manFlag(w io.Writer, f *flag.Flag) {
	name, usage := flag.UnquoteUsage(f)
	fmt.Fprintf(w, ".TP\n.BR %s", roff("--"+f.Name))
	if name != "" {
		fmt.Fprintf(w, " \" \" %s", roffQuote(name))
	}
	fmt.Fprintln(w)
	if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && !strings.ContainsAny(f.DefValue, "[]") {
		usage += " (default " + f.DefValue + ")"
	}
	fmt.Fprintln(w, roff(strings.ToUpper(usage[:1])+usage[1:]+"."))
}

// roff escapes text for a roff line: backslashes, hyphens (as minus signs,
// which is what flags and paths mean), and a leading control character.
func roff(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// roffQuote is roff(s) as one quoted macro argument.
func roffQuote(s string) string {
	return `"` + strings.ReplaceAll(roff(s), `"`, `""`) + `"`
}
