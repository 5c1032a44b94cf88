package launch

import (
	"os"
	"strings"

	"github.com/callboard/callboard/sync/gitfetch"
)

// ExecWindow hands the window over to the window executable
// (WindowProgram), passing it args and this process's standard streams:
// on Unix this process becomes it, on Windows it starts it and returns
// nil for the caller to exit. The window gets the environment this
// process started with, git tokens included, and takes them itself. An
// error wraps fs.ErrNotExist when there is no window executable.
func ExecWindow(args []string, tokens gitfetch.Tokens) error {
	path, err := WindowProgram()
	if err != nil {
		return err
	}
	return execWindow(path, args, withTokens(os.Environ(), tokens))
}

// withTokens is environ with the tokens TakeTokens took out of it put back.
func withTokens(environ []string, t gitfetch.Tokens) []string {
	out := make([]string, 0, len(environ)+1+len(t.ByHost))
	for _, kv := range environ {
		if k, _, _ := strings.Cut(kv, "="); k != gitfetch.TokenEnv && !strings.HasPrefix(k, gitfetch.TokenEnv+"_") {
			out = append(out, kv)
		}
	}
	if t.All != "" {
		out = append(out, gitfetch.TokenEnv+"="+t.All)
	}
	for k, v := range t.ByHost {
		out = append(out, k+"="+v)
	}
	return out
}
