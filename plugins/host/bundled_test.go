package host

import (
	"context"
	"os"
	"testing"
	"time"
)

// A bundled plugin starts from the app's executable with its arguments,
// without folder or checksum, and wins over an installed plugin of its name.
func TestBundledPlugin(t *testing.T) {
	t.Parallel()
	program := build(t, "./testdata/misbehave")
	installed := t.TempDir()
	install(t, installed, "ok", program, []string{"crash-at-start"}, "")
	h := New(Options{Installed: installed, Bundled: []Manifest{{Name: "ok", Version: "1.0.0", Command: program, Args: []string{"ok"}, ExtensionPoints: []string{PointEntityContent}}},
		Env: []string{"PATH=" + os.Getenv("PATH")}, StartTimeout: time.Minute})
	defer h.Close()
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := byPlugin(h.EntityContent(context.Background(), component(t)))
	if c := got["ok"]; c.Err != nil || len(c.Views) != 1 {
		t.Fatalf("the bundled plugin: %+v", c)
	}
	info, err := h.Info(context.Background(), "ok")
	if err != nil {
		t.Fatal(err)
	}
	if !info.BuiltIn || info.Dir != "" || info.State != Running {
		t.Errorf("info: built-in %v, dir %q, state %s; want a running built-in plugin without folder", info.BuiltIn, info.Dir, info.State)
	}
}
