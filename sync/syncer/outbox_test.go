package syncer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/outbox"
)

func described(name, desc string) []byte {
	return []byte(strings.Replace(string(comp(name)), "spec:", "  description: "+desc+"\nspec:", 1))
}

func description(t *testing.T, db *store.DB, ref string) string {
	t.Helper()
	e, ok, err := db.Entity(context.Background(), ref)
	if err != nil || !ok {
		t.Fatalf("entity %s: %v, %v", ref, ok, err)
	}
	return e.Entity.Metadata.Description
}

func outboxOf(t *testing.T, db *store.DB) []store.OutboxEntry {
	t.Helper()
	entries, err := db.Outbox(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

var catalogFiles = map[string][]byte{"catalog-info.yaml": []byte(root), "a.yaml": comp("alpha"), "b.yaml": comp("beta")}

func edit(path string, data []byte, msg string) Write {
	return Write{Changes: []outbox.Change{{Path: path, Content: data}}, Message: msg, Author: outbox.Author{Name: "Me", Email: "me@callboard.invalid"}}
}

// A change written offline shows at once, marked in the outbox, leaves the
// location stale, and is pushed by the first sync that reaches the remote.
func TestWriteOfflineThenPush(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := gittest.NewShared(t, catalogFiles)
	s, db, _ := setup(t, r.URL)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	r.Offline.Store(true)
	if err := s.Sync(ctx, "loc"); err == nil {
		t.Fatal("sync with the network cut succeeded")
	}
	entry, err := s.Write(ctx, "loc", edit("a.yaml", described("alpha", "written offline"), "Describe alpha"))
	if err != nil {
		t.Fatal(err)
	}
	if got := description(t, db, "component:default/alpha"); got != "written offline" {
		t.Errorf("description right after the write = %q", got)
	}
	loc, _, _ := db.Location(ctx, "loc")
	if loc.StaleSince.IsZero() || loc.LastError == "" {
		t.Errorf("a local write made the offline location look fresh: %+v", loc)
	}
	if got := outboxOf(t, db); len(got) != 1 || got[0].ID != entry.ID || got[0].State != store.StatePending || got[0].Paths[0] != "a.yaml" {
		t.Fatalf("outbox = %+v", got)
	}
	if err := s.Sync(ctx, "loc"); err == nil {
		t.Fatal("sync with the network cut succeeded")
	}
	if got := description(t, db, "component:default/alpha"); got != "written offline" {
		t.Errorf("description after a failed sync = %q: the local change was lost", got)
	}
	r.Offline.Store(false)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := outboxOf(t, db); len(got) != 0 {
		t.Errorf("outbox after the push = %+v", got)
	}
	if got := r.File("a.yaml"); got != string(described("alpha", "written offline")) {
		t.Errorf("remote a.yaml = %q", got)
	}
	if got := gittest.Git(t, r.Bare, "log", "-1", "--format=%an %s", "main"); got != "Me Describe alpha\n" {
		t.Errorf("remote head = %q", got)
	}
}

// The remote changed the same file: the user's change is kept on a branch
// and reported with both versions; keeping it commits it again on top.
func TestWriteConflictKeptAndResolved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := gittest.NewShared(t, catalogFiles)
	s, db, _ := setup(t, r.URL)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	r.Offline.Store(true)
	if _, err := s.Write(ctx, "loc", edit("a.yaml", described("alpha", "mine"), "Mine")); err != nil {
		t.Fatal(err)
	}
	r.Colleague("colleague's change", map[string][]byte{"a.yaml": described("alpha", "theirs")})
	r.Offline.Store(false)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	entries := outboxOf(t, db)
	if len(entries) != 1 || entries[0].State != store.StateConflict || entries[0].Conflict == nil || entries[0].Branch == "" {
		t.Fatalf("outbox after a conflicting push = %+v", entries)
	}
	f := entries[0].Conflict.Files[0]
	if f.Path != "a.yaml" || !strings.Contains(*f.Mine, "mine") || !strings.Contains(*f.Theirs, "theirs") {
		t.Errorf("conflict = %+v", f)
	}
	if got := description(t, db, "component:default/alpha"); got != "theirs" {
		t.Errorf("catalog during the conflict shows %q, want the remote's version", got)
	}
	if err := s.Resolve(ctx, entries[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if got := description(t, db, "component:default/alpha"); got != "mine" {
		t.Errorf("catalog after keeping mine shows %q", got)
	}
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := r.File("a.yaml"); !strings.Contains(got, "mine") {
		t.Errorf("remote a.yaml after keeping mine = %q", got)
	}
	if got := outboxOf(t, db); len(got) != 0 {
		t.Errorf("outbox after resolving and pushing = %+v", got)
	}
}

// A write the catalog would refuse is not committed, and says why.
func TestWriteRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := gittest.NewShared(t, catalogFiles)
	s, db, _ := setup(t, r.URL)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	before, _, _ := db.Location(ctx, "loc")
	for _, tc := range []struct {
		name string
		w    Write
		want string
	}{
		{"broken YAML", edit("a.yaml", []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [alpha\n"), "x"), "a.yaml:"},
		{"invalid entity", edit("a.yaml", []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: alpha\nspec:\n  type: service\n"), "x"), "spec.owner"},
		{"not reached", edit("c.yaml", comp("gamma"), "x"), "no catalog file of this location reaches it"},
		{"outside the repository", edit("../c.yaml", comp("gamma"), "x"), "not a relative path"},
		{"git's folder", edit(".git/config", []byte("x"), "x"), "git's own folder"},
		{"no message", edit("a.yaml", described("alpha", "x"), " "), "commit message"},
	} {
		_, err := s.Write(ctx, "loc", tc.w)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want ErrRefused naming %q", tc.name, err, tc.want)
		}
	}
	if got := outboxOf(t, db); len(got) != 0 {
		t.Errorf("outbox after refused writes = %+v", got)
	}
	after, _, _ := db.Location(ctx, "loc")
	if after.HeadCommit != before.HeadCommit {
		t.Errorf("head moved from %s to %s after refused writes", before.HeadCommit, after.HeadCommit)
	}
	if data, _, _, err := s.ReadFile(ctx, "loc", "a.yaml"); err != nil || string(data) != string(comp("alpha")) {
		t.Errorf("a.yaml after refused writes = %q, %v", data, err)
	}
}

// A damaged clone is cloned again; the outbox commits it held are made
// again from the store and still pushed.
func TestRecloneKeepsTheOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := gittest.NewShared(t, catalogFiles)
	s, _, _ := setup(t, r.URL)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, "loc", edit("b.yaml", described("beta", "survives"), "Describe beta")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(cloneOf(s), "objects")); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := r.File("b.yaml"); !strings.Contains(got, "survives") {
		t.Errorf("remote b.yaml = %q: the outbox commit was lost with the clone", got)
	}
}

// Question and answer files are not catalog files: no catalog file needs
// to reach them for a write to be taken, and the sync pushes them.
func TestWriteQuestionFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := gittest.NewShared(t, catalogFiles)
	s, db, _ := setup(t, r.URL)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	q := []byte("---\ntitle: Why?\nauthor: Jane\ndate: 2026-05-01\n---\nBecause.\n")
	if _, err := s.Write(ctx, "loc", edit("questions/why/question.md", q, "Ask: Why?")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, "loc", edit("questions/why/notes.md", q, "x")); !errors.Is(err, ErrRefused) {
		t.Errorf("a Markdown file that is no question nor answer: err = %v, want ErrRefused", err)
	}
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := r.File("questions/why/question.md"); got != string(q) {
		t.Errorf("remote question.md = %q", got)
	}
	if got := outboxOf(t, db); len(got) != 0 {
		t.Errorf("outbox after the push = %+v", got)
	}
}
