package gitfetch

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/gittest"
)

// Objects larger than largeObject are streamed from the pack rather than
// buffered: a folder whose tree is over it (as components/ at 100,000
// entities) and a file over it read the same, whether the clone holds
// them loose or packed, and a change below the folder is found and
// patched into the index as for any other.
func TestObjectsOverLargeObject(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	up := filepath.Join(root, "upstream")
	gittest.Git(t, root, "init", "-q", "-b", "main", up)
	hash := func(data []byte) string {
		cmd := exec.Command("git", "-C", up, "hash-object", "-w", "--stdin")
		cmd.Stdin = bytes.NewReader(data)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git hash-object: %v", err)
		}
		return strings.TrimSpace(string(out))
	}
	// 20,000 entries of 60 bytes: a 1.2 MB tree, built without a worktree.
	small := hash([]byte("kind: Component\n"))
	var list strings.Builder
	for i := range 20_000 {
		fmt.Fprintf(&list, "100644 blob %s\tbig/component-with-a-long-name-%05d.yaml\n", small, i)
	}
	large := bytes.Repeat([]byte("description: a file over the threshold\n"), 2*largeObject/39)
	fmt.Fprintf(&list, "100644 blob %s\tlarge.yaml\n", hash(large))
	update := exec.Command("git", "-C", up, "update-index", "--add", "--index-info")
	update.Stdin = strings.NewReader(list.String())
	if out, err := update.CombinedOutput(); err != nil {
		t.Fatalf("git update-index: %v\n%s", err, out)
	}
	commit := func(msg string) string {
		gittest.Git(t, up, "commit", "-q", "-m", msg)
		return strings.TrimSpace(gittest.Git(t, up, "rev-parse", "HEAD"))
	}
	old := commit("base")
	ctx := context.Background()
	clone := filepath.Join(root, "clone")
	if _, err := Fetch(ctx, Options{URL: up, Dir: clone}); err != nil {
		t.Fatal(err)
	}
	saved := indexOf(t, clone)
	const edited = "big/component-with-a-long-name-00007.yaml"
	gittest.Git(t, up, "update-index", "--cacheinfo", "100644,"+hash([]byte("kind: Group\n"))+","+edited)
	commit("edit")
	if _, err := Fetch(ctx, Options{URL: up, Dir: clone}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, dir string }{{"loose", up}, {"packed", clone}} {
		t.Run(tc.name, func(t *testing.T) {
			head, err := Open(tc.dir, "main")
			if err != nil {
				t.Fatal(err)
			}
			files, err := head.Files(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, err := files.ReadFile("large.yaml"); err != nil || !bytes.Equal(got, large) {
				t.Errorf("large.yaml read %d bytes, %v; want %d", len(got), err, len(large))
			}
			idx := readIndex(t, saved)
			changes, err := head.ChangedSince(ctx, old, idx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(Changes{Modified: []string{edited}}, changes, ignoreIndex); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			patched, ok := idx.Patched(changes)
			if !ok || !bytes.Equal(patched, files.MarshalIndex()) {
				t.Error("the patched index is not the one the whole tree gives")
			}
		})
	}
}
