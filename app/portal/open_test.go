package portal

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A docs page of a repository on this machine names its file in the
// user's checkout, and Open runs the user's editor on it; nothing outside
// the local repositories opens.
func TestOpenLocalFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var started [][]string
	s := demoService(t, func(c *Config) {
		c.Start = func(cmd *exec.Cmd) error {
			started = append(started, cmd.Args)
			return nil
		}
	})
	page, err := s.DocsPage(ctx, "component:booking-service", "index.md")
	if err != nil {
		t.Fatal(err)
	}
	if page.LocalFile == "" || !strings.HasSuffix(page.LocalFile, "index.md") {
		t.Fatalf("LocalFile = %q", page.LocalFile)
	}
	if _, err := os.Stat(page.LocalFile); err != nil {
		t.Fatal(err)
	}
	set, _ := s.Settings(ctx)
	set.Editor = "my-editor --wait"
	if _, err := s.UpdateSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	if err := s.Open(ctx, OpenRequest{Path: page.LocalFile, With: "editor"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Open(ctx, OpenRequest{Path: filepath.Dir(page.LocalFile), With: "folder"}); err != nil {
		t.Fatal(err)
	}
	if len(started) != 2 || !slices.Equal(started[0], []string{"my-editor", "--wait", page.LocalFile}) {
		t.Errorf("started %q", started)
	}
	outside := filepath.Join(t.TempDir(), "x.md")
	os.WriteFile(outside, []byte("x"), 0o644)
	link := filepath.Join(filepath.Dir(page.LocalFile), "escape.md")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	for _, req := range []OpenRequest{
		{Path: "/etc/passwd", With: "editor"},
		{Path: outside, With: "editor"},
		{Path: link, With: "editor"},
		{Path: filepath.Dir(page.LocalFile) + "/../../../..", With: "folder"},
		{Path: "docs/index.md", With: "editor"},
		{Path: page.LocalFile, With: "browser"},
	} {
		if err := s.Open(ctx, req); !errors.Is(err, ErrInvalid) {
			t.Errorf("Open(%+v) = %v, want ErrInvalid", req, err)
		}
	}
	if len(started) != 2 {
		t.Errorf("refused requests started %q", started[2:])
	}
	set.Editor = "vi\nrm -rf"
	if _, err := s.UpdateSettings(ctx, set); !errors.Is(err, ErrInvalid) {
		t.Errorf("a two-line editor command: %v", err)
	}
}
