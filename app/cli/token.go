package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/callboard/callboard/sync/gitfetch"
)

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
	fmt.Fprintf(r.env.Stdout, "stored a token for %s in the OS keyring; https remotes on %s use it unless %s_HOST is set, or %s and %s is a trusted git host\n", pos[0], pos[0], gitfetch.TokenEnv, gitfetch.TokenEnv, pos[0])
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
