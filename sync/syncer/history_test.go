package syncer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	git2 "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/gittest"
)

func TestHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("add alpha", map[string][]byte{"catalog-info.yaml": []byte(root), "a.yaml": comp("alpha"), "b.yaml": comp("beta")})
	repo.Commit("describe alpha", map[string][]byte{"a.yaml": described("alpha", "first words")})
	repo.Commit("touch beta only", map[string][]byte{"b.yaml": described("beta", "x")})
	repo.Commit("redescribe alpha", map[string][]byte{"a.yaml": described("alpha", "better words")})
	s, _, _ := setup(t, repo.Dir)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, "loc", "a.yaml", "component:default/alpha", 10)
	if err != nil {
		t.Fatal(err)
	}
	if h.Shallow {
		t.Error("a whole clone's history is said to be shallow")
	}
	got := h.Versions
	var msgs []string
	for _, v := range got {
		msgs = append(msgs, v.Message)
	}
	if diff := cmp.Diff([]string{"redescribe alpha", "describe alpha", "add alpha"}, msgs); diff != "" {
		t.Fatalf("commits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]FieldChange{{Path: "metadata.description", Old: "first words", New: "better words"}}, got[0].Changes); diff != "" {
		t.Errorf("newest change (-want +got):\n%s", diff)
	}
	if got[0].Author != "Test Author" || got[0].When.IsZero() {
		t.Errorf("who and when: %+v", got[0])
	}
	if n := len(got[2].Changes); n < 5 {
		t.Errorf("the first version should list every field as new, got %d", n)
	}
	if limited, _ := s.History(ctx, "loc", "a.yaml", "component:default/alpha", 1); len(limited.Versions) != 1 || len(limited.Versions[0].Changes) != 1 {
		t.Errorf("limit 1 = %+v; want the newest with its change against the one before", limited)
	}
	if _, err := s.History(ctx, "loc", "../x", "component:default/alpha", 10); err == nil {
		t.Error("a path outside the repository was read")
	}
}

// TestPathLogAsGitLog compares pathLog with `git log -- path` over a
// history with branches, merges, a removal and a file becoming a folder.
func TestPathLogAsGitLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tick := 0
	git := func(args ...string) string {
		tick++
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@callboard.invalid"}, args...)...)
		when := fmt.Sprintf("@%d +0000", 1767268800+tick*60)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+when, "GIT_COMMITTER_DATE="+when)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(files map[string]string) {
		for name, data := range files {
			p := filepath.Join(dir, name)
			if data == "" {
				git("rm", "-q", "-r", name)
				continue
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			git("add", name)
		}
	}
	commit := func(msg string, files map[string]string) {
		write(files)
		git("commit", "-q", "--allow-empty", "-m", msg)
	}
	git("init", "-q", "--initial-branch=main")
	commit("add", map[string]string{"a/x.yaml": "1", "b.txt": "1", "c/d/e.yaml": "1"})
	commit("b only", map[string]string{"b.txt": "2"})
	git("checkout", "-q", "-b", "feature")
	commit("x on feature", map[string]string{"a/x.yaml": "2"})
	commit("e on feature", map[string]string{"c/d/e.yaml": "2"})
	git("checkout", "-q", "main")
	commit("b on main", map[string]string{"b.txt": "3"})
	git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
	git("checkout", "-q", "-b", "other", "HEAD~1")
	commit("x on other", map[string]string{"a/x.yaml": "3"})
	git("checkout", "-q", "main")
	git("merge", "-q", "--no-ff", "-s", "ours", "-m", "merge other, keep ours", "other")
	commit("x removed", map[string]string{"a/x.yaml": ""})
	commit("x back", map[string]string{"a/x.yaml": "4"})
	commit("c/d becomes a file", map[string]string{"c/d": ""})
	commit("c/d a file", map[string]string{"c/d": "file"})
	commit("empty", nil)

	repo, err := git2.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	head := plumbing.NewHash(git("rev-parse", "HEAD"))
	tests := []struct {
		path string
		// newest is how many of git log's commits pathLog shows, -1 for all:
		// it follows files, and git log also lists a folder's changes.
		newest int
	}{
		{"a/x.yaml", -1}, {"b.txt", -1}, {"c/d/e.yaml", -1}, {"c/d", 1}, {"nope.yaml", -1}, {"a/nope/deeper.yaml", -1},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			path := tt.path
			want := strings.Fields(git("log", "--format=%H", "--", path))
			if tt.newest >= 0 {
				want = want[:tt.newest]
			}
			changes, _, err := pathLog(context.Background(), repo.Storer, head, path, 100, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, c := range changes {
				got = append(got, c.Commit.Hash.String())
			}
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("commits (-git log +pathLog):\n%s", diff)
			}
			if few, _, _ := pathLog(context.Background(), repo.Storer, head, path, 2, nil); len(few) > 2 {
				t.Errorf("asked for 2, got %d", len(few))
			}
		})
	}
}

// TestHistoryReadsOnlyThePath measures the bytes one history request
// allocates on a repository of 4,000 files whose commits each change 500
// of them: go-git's Log with FileName diffed whole trees for it (27 MB),
// a walk along the path (1.3 MB) does not grow with the repository. Not
// parallel: it counts the whole process's allocations.
func TestHistoryReadsOnlyThePath(t *testing.T) {
	ctx := context.Background()
	s, _, _ := setup(t, historyRepo(t, 4000))
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	h, err := s.History(ctx, "loc", historyFile, "component:default/alpha", 1)
	runtime.ReadMemStats(&after)
	if got := h.Versions; err != nil || len(got) != 1 || got[0].Message != "commit 6" {
		t.Fatalf("history = %+v, %v; want commit 6", got, err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
		t.Errorf("one history request allocated %.1f MB; want under 8 MB", float64(n)/(1<<20))
	}
}

func TestHistoryStopsWithTheRequest(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	repo.Commit("add", map[string][]byte{"catalog-info.yaml": []byte(root), "a.yaml": comp("alpha"), "b.yaml": comp("beta")})
	s, _, _ := setup(t, repo.Dir)
	if err := s.Sync(context.Background(), "loc"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.History(ctx, "loc", "a.yaml", "component:default/alpha", 10); !errors.Is(err, context.Canceled) {
		t.Errorf("history after the client left: %v, want context.Canceled", err)
	}
}

// A version of the file that is a byte bomb is read through the catalog's
// budget: it defines nothing, and the versions around it still compare.
func TestHistoryBoundsBombs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("add alpha", map[string][]byte{"catalog-info.yaml": comp("alpha")})
	var bomb strings.Builder
	bomb.WriteString(string(comp("alpha")) + "  big: &big \"" + strings.Repeat("x", 1<<20) + "\"\n  bomb:\n")
	for range 200 {
		bomb.WriteString("    - *big\n")
	}
	repo.Commit("bomb alpha", map[string][]byte{"catalog-info.yaml": []byte(bomb.String())})
	repo.Commit("describe alpha", map[string][]byte{"catalog-info.yaml": described("alpha", "words")})
	s, _, _ := setup(t, repo.Dir)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, "loc", "catalog-info.yaml", "component:default/alpha", 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Versions; len(got) != 3 || len(got[1].Changes) == 0 || !got[1].Removed || got[0].Removed {
		t.Fatalf("history = %+v; want the bomb as a version that defines nothing", got)
	}
}
