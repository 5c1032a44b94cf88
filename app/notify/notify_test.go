package notify

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"os/exec"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/google/go-cmp/cmp"
)

func TestBounded(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", maxBody+10)
	tests := []struct {
		name string
		in   Message
		want Message
	}{
		{"plain", Message{"Callboard: 1 new problem", "catalog-info.yaml:3", ""}, Message{"Callboard: 1 new problem", "catalog-info.yaml:3", ""}},
		{"title on one line", Message{"a\nb\t c", "x\ny", ""}, Message{"a b c", "x\ny", ""}},
		{"control characters", Message{"t\x1b[31m", "b\x00\x07c", ""}, Message{"t [31m", "b  c", ""}},
		{"invalid UTF-8", Message{"t\xff", "b", ""}, Message{"t?", "b", ""}},
		{"link kept", Message{"t", "b", "/create/runs/1"}, Message{"t", "b", "/create/runs/1"}},
		{"long body", Message{"t", long, ""}, Message{"t", strings.Repeat("é", maxBody-1) + ellipsis, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, bounded(tt.in)); diff != "" {
				t.Errorf("bounded (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCommandArgs(t *testing.T) {
	t.Parallel()
	m := Message{Title: `-a "quoted" \ title`, Body: "body"}
	if got, want := notifySendArgs(m), []string{"--app-name=Callboard", "--", m.Title, "body"}; !cmp.Equal(got, want) {
		t.Errorf("notify-send args = %q, want %q", got, want)
	}
	want := `display notification "body" with title "-a \"quoted\" \\ title"`
	if got := osascriptArgs(m); len(got) != 2 || got[1] != want {
		t.Errorf("osascript args = %q, want -e %q", got, want)
	}
}

// failing never shows a message.
type failing struct{}

func (failing) Notify(context.Context, Message) error { return errors.New("no service") }

// recorder keeps what it is asked to show.
type recorder struct{ got []Message }

func (r *recorder) Notify(_ context.Context, m Message) error {
	r.got = append(r.got, m)
	return nil
}

func TestFallback(t *testing.T) {
	t.Parallel()
	r := &recorder{}
	if err := (Fallback{failing{}, r}).Notify(context.Background(), Message{Title: "t"}); err != nil || len(r.got) != 1 {
		t.Errorf("Notify = %v, shown %d times; want the second to show it", err, len(r.got))
	}
	if err := (Fallback{failing{}, failing{}}).Notify(context.Background(), Message{Title: "t"}); err == nil || !strings.Contains(err.Error(), "no service") {
		t.Errorf("Notify with none that shows = %v, want their errors", err)
	}
	if err := (Fallback{Log{slog.New(slog.DiscardHandler)}}).Notify(context.Background(), Message{}); err != nil {
		t.Errorf("Log.Notify = %v", err)
	}
}

func TestCommand(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	fail := Command{Path: sh, Args: func(Message) []string { return []string{"-c", "echo refused >&2; exit 3"} }}
	if err := fail.Notify(context.Background(), Message{}); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("Notify of a failing command = %v, want its output", err)
	}
	ok := Command{Path: sh, Args: func(m Message) []string { return []string{"-c", `test "$0" = "t"`, m.Title} }}
	if err := ok.Notify(context.Background(), Message{Title: "t"}); err != nil {
		t.Errorf("Notify = %v", err)
	}
}

// notifications is a fake org.freedesktop.Notifications service.
type notifications struct{ got chan []any }

func (n notifications) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, expire int32) (uint32, *dbus.Error) {
	n.got <- []any{app, replaces, icon, summary, body, actions, len(hints), expire}
	return 1, nil
}

// A message reaches the notification service of a private session bus
// (Debian's dbus-daemon) as the specification's Notify call.
func TestDBusNotification(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon not installed (Debian's dbus-daemon)")
	}
	addr := sessionBus(t)
	server, err := dbus.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	if err := server.Auth(nil); err != nil {
		t.Fatal(err)
	}
	if err := server.Hello(); err != nil {
		t.Fatal(err)
	}
	fake := notifications{got: make(chan []any, 1)}
	if err := server.Export(fake, notificationsPath, notificationsName); err != nil {
		t.Fatal(err)
	}
	if reply, err := server.RequestName(notificationsName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v, %v", notificationsName, reply, err)
	}
	if err := (DBus{Address: addr}).Notify(context.Background(), Message{Title: "catalog: 1 new problem", Body: "catalog-info.yaml:4"}); err != nil {
		t.Fatal(err)
	}
	want := []any{"Callboard", uint32(0), "", "catalog: 1 new problem", "catalog-info.yaml:4", []string{}, 0, int32(-1)}
	if diff := cmp.Diff(want, <-fake.got); diff != "" {
		t.Errorf("Notify call (-want +got):\n%s", diff)
	}
	if err := (DBus{Address: "unix:path=" + t.TempDir() + "/none"}).Notify(context.Background(), Message{}); err == nil {
		t.Error("Notify to a bus that is not there: no error")
	}
}

// sessionBus starts a private session bus on a unix socket for the test
// and returns its address.
func sessionBus(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address", "--address=unix:dir="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read the bus address: %v", err)
	}
	return strings.TrimSpace(addr)
}
