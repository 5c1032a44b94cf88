package scaffold

import (
	"crypto/sha1"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// A skeleton on disk is read through its folders' handles: files in
// nested and templated folders rendered with their modes, and links in it
// (to a file outside, to a folder outside, out by ..) never followed:
// nothing of what they lead to reaches the workspace.
func TestFetchTemplateFromDiskKeepsInside(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"template.yaml":                      "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec:\n  owner: a\n  type: service\n  steps:\n    - {id: fetch, action: fetch:template, input: {url: ./skeleton, values: {name: x}}}\n",
		"skeleton/README.md":                 "# ${{ values.name }}\n",
		"skeleton/a/b/${{ values.name }}.go": "package ${{ values.name }}\n",
		"skeleton/bin/run.sh":                "#!/bin/sh\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "skeleton", "bin", "run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"skeleton/secret.txt": filepath.Join(outside, "secret"),
		"skeleton/a/up.txt":   "../../../" + filepath.Base(outside) + "/secret",
		"skeleton/outdir":     outside,
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	files, err := catalog.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	res, _ := run(t, files, "template.yaml", Request{DryRun: true})
	if res.Status != Completed {
		t.Fatalf("status %s: %s", res.Status, res.Error)
	}
	got := map[string]File{}
	for _, f := range res.Files {
		if strings.Contains(f.Content, "SECRET") {
			t.Errorf("%s holds what a link outside leads to", f.Path)
		}
		if !f.Dir {
			got[f.Path] = f
		}
	}
	want := map[string]string{"README.md": "# x\n", "a/b/x.go": "package x\n", "bin/run.sh": "#!/bin/sh\n"}
	if len(got) != len(want) {
		t.Errorf("files %v, want %v", got, want)
	}
	for p, content := range want {
		if got[p].Content != content {
			t.Errorf("%s: %q, want %q", p, got[p].Content, content)
		}
	}
	if got["bin/run.sh"].Mode.Perm()&0o100 == 0 || got["README.md"].Mode.Perm()&0o111 != 0 {
		t.Errorf("modes: run.sh %v, README.md %v", got["bin/run.sh"].Mode, got["README.md"].Mode)
	}
}

// A skeleton file over maxSkeletonFile is refused by name and size, by
// the steps that read a skeleton's folder (through its folders' handles)
// and those that read one file (from the root), before it is read.
func TestFetchRefusesAnOversizedSkeletonFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "skeleton", "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Sparse: its size is over the bound without 64 MiB on the disk.
	if err := os.WriteFile(filepath.Join(dir, "skeleton", "assets", "big.bin"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(dir, "skeleton", "assets", "big.bin"), maxSkeletonFile+1); err != nil {
		t.Fatal(err)
	}
	files, err := catalog.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	const refused = "skeleton/assets/big.bin is 64 MiB: skeleton files over 64 MiB are refused"
	for _, step := range []string{
		"{id: fetch, action: fetch:template, input: {url: ./skeleton, values: {name: x}}}",
		"{id: fetch, action: fetch:plain, input: {url: ./skeleton}}",
		"{id: fetch, action: fetch:template:file, input: {url: ./skeleton/assets/big.bin, targetPath: big.bin, values: {name: x}}}",
		"{id: fetch, action: fetch:plain:file, input: {url: ./skeleton/assets/big.bin, targetPath: big.bin}}",
	} {
		name := fmt.Sprintf("template-%x.yaml", sha1.Sum([]byte(step)))
		body := "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec:\n  owner: a\n  type: service\n  steps:\n    - " + step + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		res, _ := run(t, files, name, Request{DryRun: true})
		if res.Status != Failed || !strings.Contains(res.Error, refused) {
			t.Errorf("%s: status %s, error %q; want it to say %q", step, res.Status, res.Error, refused)
		}
	}
}
