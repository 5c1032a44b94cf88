package syncer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gittest"
)

// discovered sets up a syncer whose location "loc" is a repository an
// organisation listed (cloned shallow), served by git http-backend on
// loopback, with commits commits of alpha's description behind it.
func discovered(t *testing.T, commits int) (*Syncer, *store.DB, *gittest.Repo) {
	t.Helper()
	repo := gittest.New(t)
	for i := range commits {
		repo.Commit(fmt.Sprint("describe alpha ", i), map[string][]byte{"catalog-info.yaml": described("alpha", fmt.Sprint("words ", i))})
	}
	url := gittest.HTTPBackend(t, filepath.Dir(repo.Dir), nil) + "/" + filepath.Base(repo.Dir)
	s, db, _ := setup(t, url)
	loc := store.Location{ID: "loc", URL: url, Path: "catalog-info.yaml",
		Links: store.Links{Derived: true, RepoID: "R_1", Parents: []store.Parent{{ID: "org", Entity: "location:default/org", Roots: []string{"catalog-info.yaml"}}}}}
	if err := db.PutLocation(context.Background(), loc); err != nil {
		t.Fatal(err)
	}
	return s, db, repo
}

// cloneCommits counts the commits git sees in location loc's clone.
func cloneCommits(t *testing.T, s *Syncer) string {
	t.Helper()
	return strings.TrimSpace(gittest.Git(t, cloneOf(s), "rev-list", "--count", "HEAD"))
}

func TestShallowLocation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, repo := discovered(t, 20)
	sync := func(what string) {
		t.Helper()
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	history := func(what string, wantShallow bool, wantVersions int) History {
		t.Helper()
		h, err := s.History(ctx, "loc", "catalog-info.yaml", "component:default/alpha", 50)
		if err != nil {
			t.Fatalf("%s: history: %v", what, err)
		}
		if h.Shallow != wantShallow || len(h.Versions) != wantVersions {
			t.Errorf("%s: history shallow %v with %d versions; want %v with %d", what, h.Shallow, len(h.Versions), wantShallow, wantVersions)
		}
		return h
	}

	sync("first sync")
	if got := cloneCommits(t, s); got != "1" {
		t.Errorf("first sync cloned %s commits, want 1", got)
	}
	h := history("first sync", true, 1)
	if v := h.Versions[0]; !v.Boundary || v.Message != "describe alpha 19" {
		t.Errorf("the one version = %+v; want commit 19 as the boundary", v)
	}

	repo.Commit("describe alpha again", map[string][]byte{"catalog-info.yaml": described("alpha", "new words")})
	sync("sync of a new commit")
	if got := description(t, db, "component:default/alpha"); got != "new words" {
		t.Errorf("after a new commit, description = %q", got)
	}
	if got := cloneCommits(t, s); got != "1" {
		t.Errorf("a sync of a shallow clone left %s commits, want 1", got)
	}
	history("sync of a new commit", true, 1)

	if err := s.Deepen(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := cloneCommits(t, s); got != "21" {
		t.Errorf("deepened clone has %s commits, want 21", got)
	}
	if loc, _, _ := db.Location(ctx, "loc"); !loc.FullHistory || loc.Shallow() {
		t.Errorf("deepened location: FullHistory %v, Shallow %v", loc.FullHistory, loc.Shallow())
	}
	h = history("deepened", false, 21)
	if v := h.Versions[0]; v.Boundary || len(v.Changes) != 1 || v.Changes[0].New != "new words" {
		t.Errorf("newest version after deepening = %+v; want its one change", v)
	}

	repo.Commit("describe alpha once more", map[string][]byte{"catalog-info.yaml": described("alpha", "more words")})
	sync("sync after deepening")
	if got := cloneCommits(t, s); got != "22" {
		t.Errorf("a deepened location's sync left %s commits, want 22", got)
	}
	history("sync after deepening", false, 22)

	// A deepened location cloned again (its clone damaged) is cloned whole.
	damage(t, cloneOf(s))
	repo.Commit("describe alpha at last", map[string][]byte{"catalog-info.yaml": described("alpha", "last words")})
	sync("sync over a damaged clone")
	if got := cloneCommits(t, s); got != "23" {
		t.Errorf("a deepened location cloned again has %s commits, want 23", got)
	}
	if err := s.Deepen(ctx, "loc"); err != nil {
		t.Errorf("deepen a whole clone: %v", err)
	}
}

func TestShallowCloneRepaired(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, repo := discovered(t, 5)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	damage(t, cloneOf(s))
	repo.Commit("describe alpha again", map[string][]byte{"catalog-info.yaml": described("alpha", "new words")})
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatalf("sync over a damaged shallow clone: %v", err)
	}
	if got := description(t, db, "component:default/alpha"); got != "new words" {
		t.Errorf("description = %q", got)
	}
	if got := cloneCommits(t, s); got != "1" {
		t.Errorf("a shallow clone cloned again has %s commits, want 1", got)
	}
}

func TestDeepenBeforeTheFirstSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, _ := discovered(t, 3)
	if err := s.Deepen(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := cloneCommits(t, s); got != "3" {
		t.Errorf("first clone after Deepen has %s commits, want 3", got)
	}
	if err := s.Deepen(ctx, "nope"); err == nil {
		t.Error("deepened a location that does not exist")
	}
}

// damage deletes the objects of the clone at dir.
func damage(t *testing.T, dir string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(dir, "objects")); err != nil {
		t.Fatal(err)
	}
}
