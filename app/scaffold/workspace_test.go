package scaffold

import (
	"os"
	"path/filepath"
	"testing"
)

// The project's top folder follows the umask like the folders in it
// (0755 under umask 022), not os.MkdirTemp's 0700.
func TestProjectFolderMode(t *testing.T) {
	t.Parallel()
	target := filepath.Join(t.TempDir(), "out")
	res, _ := run(t, tmpl(fetchStep), "t/template.yaml", Request{Values: values(t, `{"name":"svc"}`), Target: target})
	if res.Status != Completed {
		t.Fatalf("%s: %s", res.Status, res.Error)
	}
	top, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := os.Stat(filepath.Join(target, "svc"))
	if err != nil {
		t.Fatal(err)
	}
	if top.Mode().Perm() != sub.Mode().Perm() {
		t.Errorf("top folder %v, the folder in it %v", top.Mode().Perm(), sub.Mode().Perm())
	}
}
