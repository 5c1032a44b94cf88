package portal

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

func TestADRDir(t *testing.T) {
	t.Parallel()
	loc := store.Location{URL: "https://github.com/acme/fares.git"}
	tests := []struct {
		file, value, want string
		ok                bool
	}{
		{"catalog-info.yaml", "docs/adr", "docs/adr", true},
		{"services/fares/catalog-info.yaml", "./docs/adr/", "services/fares/docs/adr", true},
		{"services/fares/catalog-info.yaml", "../shared/adr", "services/shared/adr", true},
		{"catalog-info.yaml", ".", "", true},
		{"services/x.yaml", "/docs/adr", "docs/adr", true},
		{"catalog-info.yaml", "https://github.com/acme/fares/tree/main/docs/adr", "docs/adr", true},
		{"catalog-info.yaml", "https://github.com/acme/other/tree/main/docs/adr", "", false},
		{"catalog-info.yaml", "../adr", "", false},
		{"catalog-info.yaml", "ftp://example.com/adr", "", false},
	}
	for _, tt := range tests {
		got, err := adrDir(loc, tt.file, tt.value)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("adrDir(%q, %q) = %q, %v; want %q, ok %v", tt.file, tt.value, got, err, tt.want, tt.ok)
		}
	}
}

// countingFiles counts the files read through a location's Files, by
// path; it keeps the blob ids, as the syncer's files do.
type countingFiles struct {
	questionFiles
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingFiles) Files(ctx context.Context, id string) (catalog.Files, string, error) {
	f, commit, err := c.questionFiles.Files(ctx, id)
	if err != nil {
		return nil, "", err
	}
	return &countedFiles{Files: f, hash: f.(hasher), c: c}, commit, nil
}

type countedFiles struct {
	catalog.Files
	hash hasher
	c    *countingFiles
}

func (f *countedFiles) ReadFile(name string) ([]byte, error) {
	f.c.mu.Lock()
	f.c.reads[name]++
	f.c.mu.Unlock()
	return f.Files.ReadFile(name)
}

func (f *countedFiles) Hash(name string) string { return f.hash.Hash(name) }

// When a location's commit moves, only the decision records whose blob
// moved are read again; the others, refused ones included, come from
// the store, and successors are linked again over the folder.
func TestDecisionsReadOnlyChangedFiles(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, quiet := memStore(t)
	const dir = "docs/adr/"
	repo := gittest.New(t)
	repo.Commit("Decide", map[string][]byte{
		"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: fares\n  annotations:\n" +
			"    backstage.io/adr-location: docs/adr\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"),
		dir + "0001-keep.md":   []byte("# Keep\n\n* Status: accepted\n"),
		dir + "0002-change.md": []byte("# Change\n\n* Status: proposed\n"),
		dir + "0003-broken.md": []byte("---\nstatus: [x\n---\n# Broken\n"),
	})
	if err := db.PutLocation(ctx, store.Location{ID: "fares", URL: repo.Dir, Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	sy := syncer.New(db, t.TempDir(), gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
	if err := sy.Sync(ctx, "fares"); err != nil {
		t.Fatal(err)
	}
	files := &countingFiles{questionFiles: sy, reads: map[string]int{}}
	a := &decisionsArea{db: db, files: files, log: quiet}
	if err := a.refresh(ctx, "fares"); err != nil {
		t.Fatal(err)
	}
	first := map[string]int{dir + "0001-keep.md": 1, dir + "0002-change.md": 1, dir + "0003-broken.md": 1}
	if !maps.Equal(files.reads, first) {
		t.Fatalf("first read: %v, want %v", files.reads, first)
	}
	repo.Commit("Supersede", map[string][]byte{
		dir + "0002-change.md": []byte("# Change\n\n* Status: superseded by [ADR-0004](0004-new.md)\n"),
		dir + "0004-new.md":    []byte("# New\n\n* Status: accepted\n"),
	})
	if err := sy.Sync(ctx, "fares"); err != nil {
		t.Fatal(err)
	}
	clear(files.reads)
	if err := a.refresh(ctx, "fares"); err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{dir + "0002-change.md": 1, dir + "0004-new.md": 1}; !maps.Equal(files.reads, want) {
		t.Errorf("read after a commit: %v, want only the changed and new files %v", files.reads, want)
	}
	a.byLoc = nil // the list as a restarted service reads it
	l, err := a.List(ctx, "component:fares")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range l.Items {
		got = append(got, d.File+" "+d.Status+" "+d.Successor)
	}
	want := []string{"0001-keep.md accepted ", "0002-change.md superseded 0004-new.md", "0004-new.md accepted "}
	if !slices.Equal(got, want) || len(l.Problems) != 1 || l.Problems[0].File != "0003-broken.md" || l.Problems[0].Line == 0 {
		t.Errorf("list = %q, problems %+v; want %q and 0003-broken.md refused at its line", got, l.Problems, want)
	}
}
