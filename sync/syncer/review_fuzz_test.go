package syncer

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/callboard/callboard/app/store"
)

// FuzzEditBranch checks that whatever a written file holds and whatever
// its path, the edit branch named for it is a valid git branch under
// callboard/edit/.
func FuzzEditBranch(f *testing.F) {
	f.Add("services/a.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: alpha\n", "0123456789abcdef")
	f.Add("x.yml", "kind: Component\nmetadata: {name: \"..//@{lock\"}\n", "")
	f.Add("", "", "abc")
	f.Fuzz(func(t *testing.T, path, content, commit string) {
		e := store.OutboxEntry{Commit: commit, Paths: []string{path}, Message: content,
			Changes: []store.FileChange{{Path: path, Content: &content}}}
		b := editBranch(e)
		if !strings.HasPrefix(b, "callboard/edit/") {
			t.Fatalf("editBranch = %q", b)
		}
		if err := plumbing.NewBranchReferenceName(b).Validate(); err != nil {
			t.Errorf("editBranch = %q: %v", b, err)
		}
	})
}
