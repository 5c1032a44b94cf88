package gitfetch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
)

// commits counts the commits git sees on main in the clone at dir: a
// shallow clone's history ends at its shallow commits.
func commits(t *testing.T, dir string) string {
	t.Helper()
	return strings.TrimSpace(gittest.Git(t, dir, "rev-list", "--count", "refs/heads/main"))
}

func TestShallowFetchOverRealServers(t *testing.T) {
	t.Parallel()
	remotes := map[string]func(*testing.T, *gittest.Repo) string{
		"file":         func(_ *testing.T, r *gittest.Repo) string { return r.Dir },
		"http-backend": httpRemote,
		"git-daemon":   daemonRemote,
	}
	for name, remote := range remotes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			repo := gittest.New(t)
			for i := range 5 {
				repo.Commit(fmt.Sprint("commit ", i), map[string][]byte{"catalog-info.yaml": fmt.Appendf(nil, "v%d", i)})
			}
			opts := Options{URL: remote(t, repo), Dir: filepath.Join(t.TempDir(), "clone"), Shallow: true}
			step := func(what string, wantCommit string, wantCount string, wantShallow bool) {
				t.Helper()
				head, err := Fetch(ctx, opts)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if head.Commit.String() != wantCommit {
					t.Errorf("%s: head = %s, want %s", what, head.Commit, wantCommit)
				}
				if got := commits(t, opts.Dir); got != wantCount {
					t.Errorf("%s: %s commits, want %s", what, got, wantCount)
				}
				if shallow, err := IsShallow(opts.Dir); err != nil || shallow != wantShallow {
					t.Errorf("%s: IsShallow = %v, %v; want %v", what, shallow, err, wantShallow)
				}
				gittest.Git(t, opts.Dir, "fsck", "--no-progress")
				files, err := head.Files(context.Background())
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if _, err := files.ReadFile("catalog-info.yaml"); err != nil {
					t.Errorf("%s: %v", what, err)
				}
			}

			tip := repo.Commit("commit 5", map[string][]byte{"catalog-info.yaml": []byte("v5")})
			step("first clone", tip, "1", true)
			step("fetch, nothing new", tip, "1", true)
			tip = repo.Commit("commit 6", map[string][]byte{"catalog-info.yaml": []byte("v6")})
			step("fetch of a new commit", tip, "1", true)

			opts.Shallow = false
			step("deepen", tip, "7", false)
			if _, err := os.Stat(filepath.Join(opts.Dir, "shallow")); !os.IsNotExist(err) {
				t.Errorf("a deepened clone keeps its list of shallow commits: %v", err)
			}
			tip = repo.Commit("commit 7", map[string][]byte{"catalog-info.yaml": []byte("v7")})
			step("deepened, then a new commit", tip, "8", false)

			opts.Shallow = true
			tip = repo.Commit("commit 8", map[string][]byte{"catalog-info.yaml": []byte("v8")})
			step("a whole clone asked to be shallow stays whole", tip, "9", false)
		})
	}
}
