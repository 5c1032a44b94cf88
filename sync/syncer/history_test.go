package syncer

import (
	"context"
	"strings"
	"testing"

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
	got, err := s.History(ctx, "loc", "a.yaml", "component:default/alpha", 10)
	if err != nil {
		t.Fatal(err)
	}
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
	if limited, _ := s.History(ctx, "loc", "a.yaml", "component:default/alpha", 1); len(limited) != 1 || len(limited[0].Changes) != 1 {
		t.Errorf("limit 1 = %+v; want the newest with its change against the one before", limited)
	}
	if _, err := s.History(ctx, "loc", "../x", "component:default/alpha", 10); err == nil {
		t.Error("a path outside the repository was read")
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
	got, err := s.History(ctx, "loc", "catalog-info.yaml", "component:default/alpha", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(got[1].Changes) == 0 || !got[1].Removed || got[0].Removed {
		t.Fatalf("history = %+v; want the bomb as a version that defines nothing", got)
	}
}
