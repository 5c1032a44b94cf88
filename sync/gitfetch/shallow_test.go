package gitfetch

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/callboard/callboard/sync/gittest"
)

// A folder fetched by URL: the ref a URL names (branch, annotated tag,
// HEAD, a commit by id, whole or abbreviated) is fetched alone, its files
// read offline afterwards.
func TestFetchShallow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := gittest.New(t)
	first := src.Commit("first", map[string][]byte{"skeleton/a.txt": []byte("one\n")})
	second := src.Commit("second", map[string][]byte{"skeleton/a.txt": []byte("two\n")})
	gittest.Git(t, src.Dir, "tag", "-a", "v1", "-m", "release one", first)
	gittest.Git(t, src.Dir, "branch", "dev", first)
	bare := src.Bare()
	withIDs := filepath.Join(t.TempDir(), "ids.git")
	gittest.Git(t, filepath.Dir(withIDs), "clone", "-q", "--bare", bare, withIDs)
	gittest.Git(t, withIDs, "config", "uploadpack.allowReachableSHA1InWant", "true")
	root := filepath.Dir(bare)
	url := gittest.HTTPBackend(t, root, nil) + "/" + filepath.Base(bare)
	idsURL := gittest.HTTPBackend(t, filepath.Dir(withIDs), nil) + "/ids.git"

	tests := []struct {
		name, url, ref       string
		wantName, wantCommit string
		content              string
		shallow              bool
	}{
		{"branch", url, "main", "refs/heads/main", second, "two\n", true},
		{"another branch", url, "dev", "refs/heads/dev", first, "one\n", true},
		{"annotated tag", url, "v1", "refs/tags/v1", first, "one\n", true},
		{"default branch", url, "", "HEAD", second, "two\n", true},
		{"commit by id, refused by the server", url, first, "", first, "one\n", false},
		{"commit by id", idsURL, first, "", first, "one\n", true},
		{"abbreviated commit", url, first[:10], "", first, "one\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ref, err := RemoteCommit(ctx, tc.url, tc.ref, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ref.Name != tc.wantName || !strings.HasPrefix(tc.wantCommit, ref.Commit) {
				t.Fatalf("RemoteCommit = %+v, want %s at %s", ref, tc.wantName, tc.wantCommit)
			}
			dir := filepath.Join(t.TempDir(), "copy")
			h, err := FetchShallow(ctx, tc.url, ref, nil, dir)
			if err != nil {
				t.Fatal(err)
			}
			if h.Commit.String() != tc.wantCommit {
				t.Errorf("fetched %s, want %s", h.Commit, tc.wantCommit)
			}
			again, err := OpenShallow(dir)
			if err != nil || again.Commit != h.Commit {
				t.Fatalf("OpenShallow = %v, %v", again.Commit, err)
			}
			files, err := again.Files(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if data, err := files.ReadFile("skeleton/a.txt"); err != nil || string(data) != tc.content {
				t.Errorf("skeleton/a.txt = %q, %v; want %q", data, err, tc.content)
			}
			c, err := again.Repository().CommitObject(again.Commit)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Parent(0); tc.shallow && c.NumParents() > 0 && !errors.Is(err, plumbing.ErrObjectNotFound) {
				t.Errorf("the copy holds the parent of %s (%v): not a shallow fetch", c.Hash, err)
			}
		})
	}
}

func TestRemoteCommitRefusesUnknownRefs(t *testing.T) {
	t.Parallel()
	src := gittest.New(t)
	src.Commit("first", map[string][]byte{"a.txt": []byte("a\n")})
	url := gittest.HTTPBackend(t, filepath.Dir(src.Bare()), nil) + "/remote.git"
	if _, err := RemoteCommit(context.Background(), url, "no-such-branch", nil); !errors.Is(err, ErrNoRef) {
		t.Errorf("RemoteCommit(no-such-branch) = %v, want ErrNoRef", err)
	}
	dir := filepath.Join(t.TempDir(), "copy")
	if _, err := FetchShallow(context.Background(), url, RemoteRef{Commit: strings.Repeat("ab", 20)}, nil, dir); err == nil {
		t.Error("FetchShallow of a commit the remote lacks succeeded")
	}
	if _, err := OpenShallow(dir); err == nil {
		t.Error("a failed FetchShallow left a copy behind")
	}
}
