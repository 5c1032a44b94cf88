package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Message is one notification: a title and a line or two of text, and
// the app route it is about, which a notifier that reports clicks opens.
type Message struct {
	Title string
	Body  string
	Link  string
}

// Notifier shows a notification. An error means it was not shown; the
// caller may try another way or log it.
type Notifier interface {
	Notify(ctx context.Context, m Message) error
}

// Bounds on what one notification may take: the bus or a command that
// hangs must not hold up the caller, and a notification is a glance.
const (
	timeout  = 5 * time.Second
	maxTitle = 120
	maxBody  = 500
	appName  = "Callboard"
	ellipsis = "…"
)

// New returns the platform's notifier: on Linux and the BSDs the
// freedesktop D-Bus service, then notify-send when installed; on macOS
// native (the window's, when not nil), then osascript; on Windows native.
// Whatever no service shows is logged.
func New(log *slog.Logger, native Notifier) Notifier {
	log = log.With("component", "notify")
	var chain Fallback
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		chain = append(chain, DBus{})
		if path, err := exec.LookPath("notify-send"); err == nil {
			chain = append(chain, Command{Path: path, Args: notifySendArgs})
		}
	case "darwin":
		if native != nil {
			chain = append(chain, native)
		}
		if path, err := exec.LookPath("osascript"); err == nil {
			chain = append(chain, Command{Path: path, Args: osascriptArgs})
		}
	case "windows":
		if native != nil {
			chain = append(chain, native)
		}
	}
	return append(chain, Log{log})
}

// Fallback tries each notifier in turn until one shows the message; the
// error is every one's when none did.
type Fallback []Notifier

var _ Notifier = Fallback(nil)

// Notify implements Notifier.
func (f Fallback) Notify(ctx context.Context, m Message) error {
	var errs []error
	for _, n := range f {
		err := n.Notify(ctx, m)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return fmt.Errorf("show notification %q: %w", m.Title, errors.Join(errs...))
}

// Log writes the message to the log: what the user sees where no
// notification service answers.
type Log struct{ Log *slog.Logger }

// Notify implements Notifier; it never fails.
func (l Log) Notify(_ context.Context, m Message) error {
	l.Log.Info("notification", "title", m.Title, "body", m.Body)
	return nil
}

// Command runs a program that shows the message, with the arguments
// Args makes of it, within the timeout.
type Command struct {
	Path string
	Args func(Message) []string
}

// Notify implements Notifier.
func (c Command) Notify(ctx context.Context, m Message) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m = bounded(m)
	out, err := exec.CommandContext(ctx, c.Path, c.Args(m)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("run %s: %w: %s", c.Path, err, bytesHead(out))
	}
	return nil
}

// notifySendArgs are libnotify's notify-send arguments; "--" keeps a
// title starting with "-" from being read as an option.
func notifySendArgs(m Message) []string {
	return []string{"--app-name=" + appName, "--", m.Title, m.Body}
}

// osascriptArgs show the message with AppleScript's display
// notification, its strings quoted as AppleScript reads them.
func osascriptArgs(m Message) []string {
	return []string{"-e", "display notification " + appleScriptString(m.Body) + " with title " + appleScriptString(m.Title)}
}

// appleScriptString quotes s as an AppleScript string literal.
func appleScriptString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// bounded cuts the title and body to what a notification shows, and
// drops control characters other than line breaks: the text comes from
// synced files.
func bounded(m Message) Message {
	return Message{Title: clip(oneLine(m.Title), maxTitle), Body: clip(printable(m.Body), maxBody), Link: m.Link}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(printable(s)), " ")
}

func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r >= ' ' && r != 0x7f {
			return r
		}
		return ' '
	}, strings.ToValidUTF8(s, "?"))
}

// clip cuts s to at most n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + ellipsis
}

func bytesHead(b []byte) string {
	return clip(strings.TrimSpace(string(b)), 200)
}
