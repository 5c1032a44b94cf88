package servers

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/callboard/callboard/plugins/bundled"
	"github.com/callboard/callboard/plugins/host"
)

// TestMain makes the test binary a callboard executable: started with
// `plugin-serve <name>` it serves that plugin, as main does.
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == bundled.Command {
		if err := Serve(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		return
	}
	os.Exit(m.Run())
}

// Every bundled plugin has a server here: it starts from the callboard
// executable (this test binary), shakes hands and describes itself under
// its manifest's name.
func TestBundledPluginsStart(t *testing.T) {
	t.Parallel()
	exe, err := bundled.Executable()
	if err != nil {
		t.Fatal(err)
	}
	manifests := bundled.Manifests(exe, "test")
	h := host.New(host.Options{Bundled: manifests, Env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()},
		StartTimeout: time.Minute})
	defer h.Close()
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.Start(context.Background())
	infos := h.List(context.Background())
	if len(infos) != len(manifests) {
		t.Fatalf("the host lists %d plugins, want %d", len(infos), len(manifests))
	}
	for _, info := range infos {
		if info.State != host.Running || !info.BuiltIn || info.Described.GetName() != info.Name {
			t.Errorf("%s: state %s, built-in %v, described as %q, last error %q", info.Name, info.State, info.BuiltIn, info.Described.GetName(), info.LastError)
		}
	}
}

func TestServeUnknown(t *testing.T) {
	t.Parallel()
	if err := Serve("nope"); err == nil {
		t.Error("Serve of an unknown plugin returned nil")
	}
}
