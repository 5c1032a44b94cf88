package outbox

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

var (
	me   = Author{Name: "Local User", Email: "me@callboard.invalid"}
	when = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
)

// fixture is a shared remote and a clone of it as the syncer keeps one.
type fixture struct {
	*gittest.Shared
	t     *testing.T
	clone *git.Repository
	dir   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, Shared: gittest.NewShared(t, map[string][]byte{"catalog-info.yaml": []byte("a: 1\n"), "team/other.yaml": []byte("b: 1\n")})}
	f.dir = filepath.Join(t.TempDir(), "clone")
	f.fetch()
	return f
}

// fetch fetches the remote into the clone and takes the clone's handle,
// as the syncer does: a handle opened before a fetch does not see its pack.
func (f *fixture) fetch() {
	f.t.Helper()
	head, err := gitfetch.Fetch(context.Background(), gitfetch.Options{URL: f.URL, Branch: "main", Dir: f.dir})
	if err != nil {
		f.t.Fatal(err)
	}
	f.clone = head.Repository()
}

func (f *fixture) commit(msg string, changes ...Change) plumbing.Hash {
	f.t.Helper()
	h, err := Commit(f.clone, "main", changes, msg, me, when)
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

func (f *fixture) pending() int {
	f.t.Helper()
	p, err := Pending(f.clone, "main")
	if err != nil {
		f.t.Fatal(err)
	}
	return len(p)
}

func TestPushFastForward(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.commit("edit", Change{Path: "catalog-info.yaml", Content: []byte("a: 2\n")})
	f.commit("add", Change{Path: "new/dir/catalog-info.yaml", Content: []byte("c: 1\n")})
	if got := f.pending(); got != 2 {
		t.Fatalf("pending = %d, want 2", got)
	}
	res, err := Push(context.Background(), f.clone, f.URL, "main", nil, when)
	if err != nil || res.Clean != 2 || res.Conflict != nil {
		t.Fatalf("Push = %+v, %v; want 2 clean", res, err)
	}
	if got := f.File("catalog-info.yaml") + f.File("new/dir/catalog-info.yaml"); got != "a: 2\nc: 1\n" {
		t.Errorf("remote files = %q", got)
	}
	if got := f.pending(); got != 0 {
		t.Errorf("pending after push = %d", got)
	}
	if got := gittest.Git(t, f.Bare, "log", "-1", "--format=%an <%ae> %s", "main"); got != "Local User <me@callboard.invalid> add\n" {
		t.Errorf("remote head = %q", got)
	}
}

func TestPushOfflineKeepsTheOutbox(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.commit("edit", Change{Path: "catalog-info.yaml", Content: []byte("a: 2\n")})
	f.Offline.Store(true)
	if _, err := Push(context.Background(), f.clone, f.URL, "main", nil, when); err == nil {
		t.Fatal("push to an unreachable remote succeeded")
	}
	if got := f.pending(); got != 1 {
		t.Fatalf("pending after a failed push = %d, want 1", got)
	}
	f.Offline.Store(false)
	if res, err := Push(context.Background(), f.clone, f.URL, "main", nil, when); err != nil || res.Clean != 1 {
		t.Fatalf("push once back online = %+v, %v", res, err)
	}
	if got := f.File("catalog-info.yaml"); got != "a: 2\n" {
		t.Errorf("remote file = %q", got)
	}
}

func TestPushRebasesOntoARemoteThatMovedOn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.commit("mine", Change{Path: "catalog-info.yaml", Content: []byte("a: 2\n")})
	f.Colleague("theirs", map[string][]byte{"team/other.yaml": []byte("b: 2\n")})
	f.fetch()
	res, err := Push(context.Background(), f.clone, f.URL, "main", nil, when)
	if err != nil || res.Clean != 1 || res.Conflict != nil {
		t.Fatalf("Push = %+v, %v; want 1 clean", res, err)
	}
	if got := f.File("catalog-info.yaml") + f.File("team/other.yaml"); got != "a: 2\nb: 2\n" {
		t.Errorf("remote files = %q, want both changes", got)
	}
	if got := gittest.Git(t, f.Bare, "log", "--format=%s", "main"); got != "mine\ntheirs\nfirst\n" {
		t.Errorf("remote history = %q, want mine on top of theirs", got)
	}
}

func TestPushKeepsAConflictOnABranch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.commit("clean one", Change{Path: "team/new.yaml", Content: []byte("n: 1\n")})
	mine := f.commit("conflicting one", Change{Path: "catalog-info.yaml", Content: []byte("a: mine\n")})
	after := f.commit("after it", Change{Path: "team/other.yaml", Content: []byte("b: mine\n")})
	f.Colleague("theirs", map[string][]byte{"catalog-info.yaml": []byte("a: theirs\n")})
	f.fetch()
	res, err := Push(context.Background(), f.clone, f.URL, "main", nil, when)
	if err != nil {
		t.Fatal(err)
	}
	if res.Clean != 1 || res.Conflict == nil || res.Conflict.Commit != mine {
		t.Fatalf("Push = %+v; want the first clean and the second in conflict", res)
	}
	files := res.Conflict.Files
	if len(files) != 1 || files[0].Path != "catalog-info.yaml" || string(files[0].Mine) != "a: mine\n" ||
		string(files[0].Theirs) != "a: theirs\n" || string(files[0].Base) != "a: 1\n" {
		t.Errorf("conflict files = %+v", files)
	}
	// The clean commit is pushed; the remote's version of the conflicting
	// file stands; nothing of ours is lost: the branch holds all of it.
	if got := f.File("catalog-info.yaml") + f.File("team/new.yaml"); got != "a: theirs\nn: 1\n" {
		t.Errorf("remote files = %q", got)
	}
	ref, err := f.clone.Reference(plumbing.NewBranchReferenceName(res.Conflict.Branch), true)
	if err != nil || ref.Hash() != after {
		t.Fatalf("conflict branch %s = %v, %v; want the newest local commit %s", res.Conflict.Branch, ref, err, after)
	}
	if !strings.HasPrefix(res.Conflict.Branch, "callboard/conflict/main/") {
		t.Errorf("conflict branch = %q", res.Conflict.Branch)
	}
	if got := f.pending(); got != 0 {
		t.Errorf("pending after the conflict = %d, want 0", got)
	}
	if tip, pending, _ := Tip(f.clone, "main"); pending || tip.IsZero() {
		t.Errorf("Tip = %s, %v; want the branch", tip, pending)
	}
}

func TestCommitAndUncommit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	first := f.commit("one", Change{Path: "team/other.yaml", Delete: true})
	if _, err := Commit(f.clone, "main", []Change{{Path: "team/other.yaml", Delete: true}}, "again", me, when); err != ErrNoChange {
		t.Errorf("a commit changing nothing: err = %v, want ErrNoChange", err)
	}
	if _, ok, err := File(f.clone, first, "team/other.yaml"); ok || err != nil {
		t.Errorf("deleted file still there: %v, %v", ok, err)
	}
	c, _ := f.clone.CommitObject(first)
	tree, _ := c.Tree()
	if _, err := tree.FindEntry("team"); err == nil {
		t.Error("a folder left empty is still in the tree")
	}
	second := f.commit("two", Change{Path: "x.yaml", Content: []byte("x\n")})
	if err := Uncommit(f.clone, "main", first); err == nil {
		t.Error("took back a commit that is not the newest")
	}
	if err := Uncommit(f.clone, "main", second); err != nil {
		t.Fatal(err)
	}
	if tip, _, _ := Tip(f.clone, "main"); tip != first {
		t.Errorf("tip after taking back = %s, want %s", tip, first)
	}
	if err := Uncommit(f.clone, "main", first); err != nil {
		t.Fatal(err)
	}
	if got := f.pending(); got != 0 {
		t.Errorf("pending = %d after taking every commit back", got)
	}
}

// Build moves no ref, so a crash before Advance leaves the outbox as it
// was; Advance refuses a commit built on an outbox that moved since;
// Truncate takes back the newest commits.
func TestBuildAdvanceTruncate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	branch, _, _ := Tip(f.clone, "main")
	s1, err := Build(f.clone, "main", []Change{{Path: "x.yaml", Content: []byte("x: 1\n")}}, "one", me, when)
	if err != nil {
		t.Fatal(err)
	}
	if tip, pending, _ := Tip(f.clone, "main"); pending || tip != branch || !s1.First || s1.Parent != branch {
		t.Fatalf("after Build: tip %s pending %v, staged %+v: want the outbox untouched", tip, pending, s1)
	}
	again, err := Build(f.clone, "main", []Change{{Path: "x.yaml", Content: []byte("x: 1\n")}}, "one", me, when)
	if err != nil || again != s1 {
		t.Errorf("building the same change again = %+v, %v: want the same commit %s", again, err, s1.Commit)
	}
	if err := Advance(f.clone, "main", s1); err != nil {
		t.Fatal(err)
	}
	if err := Advance(f.clone, "main", s1); err == nil {
		t.Error("advanced twice onto the same parent")
	}
	s2 := f.commit("two", Change{Path: "y.yaml", Content: []byte("y: 1\n")})
	s3 := f.commit("three", Change{Path: "z.yaml", Content: []byte("z: 1\n")})
	for _, tc := range []struct {
		keep    int
		tip     plumbing.Hash
		pending int
	}{{5, s3, 3}, {2, s2, 2}, {1, s1.Commit, 1}, {0, branch, 0}} {
		if err := Truncate(f.clone, "main", tc.keep); err != nil {
			t.Fatal(err)
		}
		if tip, _, _ := Tip(f.clone, "main"); tip != tc.tip || f.pending() != tc.pending {
			t.Errorf("Truncate(%d): tip %s, %d pending; want %s, %d", tc.keep, tip, f.pending(), tc.tip, tc.pending)
		}
	}
}

func TestCheckPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"catalog-info.yaml", true},
		{"services/pay/catalog-info.yaml", true},
		{"", false},
		{"/etc/passwd", false},
		{"../outside.yaml", false},
		{"a/../../b.yaml", false},
		{"a//b.yaml", false},
		{"./a.yaml", false},
		{".git/config", false},
		{"sub/.git/hooks/pre-commit", false},
		{`a\b.yaml`, false},
	} {
		if err := CheckPath(tc.path); (err == nil) != tc.ok {
			t.Errorf("CheckPath(%q) = %v, want ok %v", tc.path, err, tc.ok)
		}
	}
}
