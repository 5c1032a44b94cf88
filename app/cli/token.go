package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/callboard/callboard/sync/gitfetch"
)

// credentials are the user's git credentials for this process: the
// tokens main took from the environment, the OS keyring, the GitHub and
// GitLab CLIs and git's credential helpers, ssh keys in the home.
func (r *runner) credentials() gitfetch.Credentials {
	home, _ := os.UserHomeDir()
	return gitfetch.Credentials{Tokens: r.env.Tokens, Getenv: r.env.Getenv, Home: home,
		Keyring: &gitfetch.Keyring{Getenv: r.env.Getenv}, Helpers: &gitfetch.Helpers{Getenv: r.env.Getenv}}
}

// tokenStatus shows, for each git host Callboard talks to, where its
// https token comes from, or what to do without one; never the token.
func (r *runner) tokenStatus(ctx context.Context, args []string) error {
	fs := r.flags("token status")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	conn, err := r.connect(ctx, "cli", r.logger(slog.LevelWarn))
	if err != nil {
		return err
	}
	defer conn.Close()
	sources, err := conn.api.CredentialSources(ctx)
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(sources)
	}
	if len(sources) == 0 {
		fmt.Fprintln(r.env.Stdout, "no git host yet: add a location, or list hosts under Trusted git hosts in Settings")
		return nil
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tUSED FOR\tUSING")
	for _, c := range sources {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Host, strings.Join(c.Uses, ", "), c.Source)
		if c.Hint != "" {
			fmt.Fprintf(tw, "\tto give it one: %s\t\n", c.Hint)
		}
		for _, p := range c.Problems {
			fmt.Fprintf(tw, "\tnot asked: %s\t\n", oneLine(p, 200))
		}
	}
	return tw.Flush()
}

// tokenSet reads a token from stdin, so it stays out of the shell's
// history and the process list, and files it in the OS keyring.
func (r *runner) tokenSet(ctx context.Context, args []string) error {
	fs := r.flags("token set")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || strings.ContainsAny(pos[0], "/@ ") {
		return usagef("token set takes one host, as in the repository URL (github.com, or git.example:8443), and reads the token from stdin")
	}
	if r.env.Stdin == nil {
		return usagef("token set reads the token from stdin, and there is none")
	}
	line, err := bufio.NewReader(io.LimitReader(r.env.Stdin, 64<<10)).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read the token from stdin: %w", err)
	}
	token := strings.TrimSpace(line)
	if token == "" {
		return usagef("token set: stdin held no token (e.g. printf %%s \"$TOKEN\" | callboard token set %s)", pos[0])
	}
	ring := gitfetch.Keyring{Getenv: r.env.Getenv}
	if err := ring.SetToken(pos[0], token); err != nil {
		return err
	}
	fmt.Fprintf(r.env.Stdout, "stored a token for %s in the OS keyring; https remotes on %s use it unless %s_HOST is set (`callboard token status` shows which each host uses)\n", pos[0], pos[0], gitfetch.TokenEnv)
	return nil
}

func (r *runner) tokenRemove(ctx context.Context, args []string) error {
	fs := r.flags("token remove")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("token remove takes one host")
	}
	if err := (gitfetch.Keyring{Getenv: r.env.Getenv}).DeleteToken(pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(r.env.Stdout, "removed the token for %s from the OS keyring\n", pos[0])
	return nil
}
