package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store/storetest"
)

// TestEveryFormatMigrates fails when format is bumped without a migration
// from the format before it, or without a fixture that format wrote (see
// docs/architecture.md, "Store").
func TestEveryFormatMigrates(t *testing.T) {
	t.Parallel()
	from := map[int]bool{}
	for _, m := range migrations() {
		if from[m.from] || m.from < 1 || m.from >= format {
			t.Errorf("migration from %d: a duplicate, or outside formats 1 to %d", m.from, format-1)
		}
		from[m.from] = true
	}
	for f := 1; f < format; f++ {
		if !from[f] {
			t.Errorf("no migration from format %d to %d", f, f+1)
		}
	}
	prev := fmt.Sprintf("testdata/format%d.tar.gz", format-1)
	if _, err := os.Stat(prev); err != nil {
		t.Errorf("no fixture of the format before this one: %v", err)
	}
}

// format2Outbox is the pending edit testdata/format2/gen.go.txt stored.
func format2Outbox() OutboxEntry {
	content := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ledger\n  description: edited in the app\nspec:\n  type: service\n  lifecycle: production\n  owner: team-b\n"
	created := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	return OutboxEntry{
		ID: NewOutboxID("team-b", created), LocationID: "team-b", Commit: "0123456789abcdef0123456789abcdef01234567",
		Message: "Describe the ledger", Author: "Ada <ada@example.com>", Paths: []string{"catalog-info.yaml"},
		Changes:   []FileChange{{Path: "catalog-info.yaml", Content: &content}},
		CreatedAt: created, State: StatePending, LastError: "remote unreachable", LastTry: created.Add(time.Minute),
	}
}

func TestOpenMigratesFormat2(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := unpackFormat(t, 2)
	if n := countRaw(t, dir, pGen); n == 0 {
		t.Fatal("the fixture holds no synced entities")
	}
	db, err := OpenAs(ctx, dir, "1.2.0", quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	locs, err := db.Locations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Location{
		{ID: "demo", URL: "/tmp/callboard-fixture/demo-org", Path: "catalog-info.yaml", Version: 1},
		{ID: "team-b", URL: "/tmp/callboard-fixture/team-b", Path: "catalog-info.yaml", Version: 1},
	}
	if diff := cmp.Diff(want, locs); diff != "" {
		t.Errorf("locations, never synced (-want +got):\n%s", diff)
	}
	s, err := db.Settings(ctx)
	if err != nil || s.SyncIntervalMinutes != 17 {
		t.Errorf("settings = %+v, %v; want the sync interval 17 kept", s, err)
	}
	out, err := db.Outbox(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]OutboxEntry{format2Outbox()}, out); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	for _, p := range []string{pGen, pClaim} {
		if n := countKeys(t, db, p); n != 0 {
			t.Errorf("%d keys of format 2's derived data under %s left", n, p)
		}
	}
	var m Meta
	db.db.View(func(txn *badger.Txn) error { m, _, err = readMeta(txn); return err })
	if want := (Meta{Format: format, Writer: "1.2.0"}); m != want || err != nil {
		t.Errorf("meta after the migration = %+v, %v; want %+v", m, err, want)
	}

	t.Run("backup holds the records alone", func(t *testing.T) {
		f, err := os.Open(filepath.Join(filepath.Dir(dir), BackupName))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		mem, err := badger.Open(badger.DefaultOptions("").WithInMemory(true).WithLogger(nil))
		if err != nil {
			t.Fatal(err)
		}
		defer mem.Close()
		if err := mem.Load(f, 16); err != nil {
			t.Fatal(err)
		}
		var keys []string
		mem.View(func(txn *badger.Txn) error {
			return scanKeys(txn, "", func(k []byte) error { keys = append(keys, string(k)); return nil })
		})
		want := []string{"l/demo", "l/team-b", formatKey, settingsKey, pOutbox + format2Outbox().ID}
		if diff := cmp.Diff(want, keys); diff != "" {
			t.Errorf("backup's keys (-want +got):\n%s", diff)
		}
	})
}

// TestMigrationResumes stops a migration after its marker (as a killed
// process would) and checks the next open finishes it, and that an open
// for reading alone refuses the store meanwhile.
func TestMigrationResumes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := storetest.Unpack(t, "testdata/format2.tar.gz", t.TempDir())
	raw, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Update(func(txn *badger.Txn) error {
		if err := putJSON(txn, migratingKey, 2); err != nil {
			return err
		}
		return putJSON(txn, formatKey, 3)
	}); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := OpenReadOnly(ctx, dir, quiet); !errors.Is(err, ErrNotReadable) {
		t.Errorf("OpenReadOnly during a migration = %v, want ErrNotReadable", err)
	}
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := countKeys(t, db, pGen); n != 0 {
		t.Errorf("%d generation keys left after resuming", n)
	}
	if out, _ := db.Outbox(ctx, ""); len(out) != 1 {
		t.Errorf("outbox after resuming = %v", out)
	}
	if n := countKeys(t, db, migratingKey); n != 0 {
		t.Error("the migration marker is left")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), BackupName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a resumed migration made a backup of a half-migrated store: %v", err)
	}
}

// TestNewerStoreRefused checks a store claiming the next format is refused
// by name and version, by every way in, and is left byte for byte.
func TestNewerStoreRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := storetest.Unpack(t, "testdata/format2.tar.gz", t.TempDir())
	storetest.ClaimFormat(t, dir, format+1, "9.1.0")
	before := hashTree(t, dir)

	want := fmt.Sprintf("the store in %s was written by Callboard 9.1.0 in format %d, newer than this Callboard (1.2.0) reads (format %d and older): install Callboard 9.1.0 or newer, or use another data dir", dir, format+1, format)
	_, err := OpenAs(ctx, dir, "1.2.0", quiet)
	if err == nil || err.Error() != want {
		t.Errorf("OpenAs = %v\nwant %s", err, want)
	}
	var newer *NewerError
	if !errors.As(err, &newer) || !errors.Is(err, ErrNewerStore) || newer.Writer != "9.1.0" || newer.Format != format+1 {
		t.Errorf("OpenAs's error = %#v, want a *NewerError matching ErrNewerStore", err)
	}
	if _, err := OpenReadOnly(ctx, dir, quiet); !errors.Is(err, ErrNewerStore) {
		t.Errorf("OpenReadOnly = %v, want ErrNewerStore", err)
	}
	if diff := cmp.Diff(before, hashTree(t, dir)); diff != "" {
		t.Errorf("the refused store changed (-before +after):\n%s", diff)
	}
}

// hashTree is every file under dir with its contents' hash.
func hashTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		out[path] = fmt.Sprintf("%x", sha256.Sum256(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// countRaw counts the keys under prefix in the store in dir, as it is.
func countRaw(t *testing.T, dir, prefix string) int {
	t.Helper()
	raw, err := badger.Open(readOnlyOptions(dir, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	n := 0
	raw.View(func(txn *badger.Txn) error {
		return scanKeys(txn, prefix, func([]byte) error { n++; return nil })
	})
	return n
}

// BenchmarkReadMeta is what Open pays before writing, to leave a newer
// store untouched: a read-only open of the store and three keys.
func BenchmarkReadMeta(b *testing.B) {
	ctx := context.Background()
	dir := storetest.Unpack(b, "testdata/format2.tar.gz", b.TempDir())
	for b.Loop() {
		if _, ok, err := ReadMeta(ctx, dir); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// TestOpenMigratesFormat3 opens the fixture a format-3 build wrote
// (testdata/format3/gen.go.txt): every record a user made must read back
// as it was written, and the synced entities stay, under their new keys,
// so nothing waits for a sync.
func TestOpenMigratesFormat3(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := unpackFormat(t, 3)
	entities := countRaw(t, dir, pGen+"team-b/")
	db, err := OpenAs(ctx, dir, "1.2.0", quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	locs, err := db.Locations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]Location{}
	for _, l := range locs {
		ids[l.ID] = l
	}
	if l := ids["team-b"]; l.URL != "/tmp/callboard-fixture/team-b" || l.Entities == 0 {
		t.Errorf("team-b = %+v; want its URL and its synced entities", l)
	}
	if l := ids["acme"]; l.Org == nil || !l.Org.Teams || string(l.Org.Source) != `{"forge":"github","host":"github.example.com","owner":"acme"}` {
		t.Errorf("acme = %+v; want the organisation with its source and teams", l)
	}
	if s, err := db.Settings(ctx); err != nil || s.SyncIntervalMinutes != 17 {
		t.Errorf("settings = %+v, %v; want the sync interval 17", s, err)
	}
	if stars, err := db.Stars(ctx); err != nil || !slices.Equal(stars, []string{"component:default/ledger"}) {
		t.Errorf("stars = %v, %v; want the ledger", stars, err)
	}
	if r, ok, err := db.Run(ctx, "run-1"); err != nil || !ok || r.Status != "completed" || r.Target != "/home/ada/src/ledger-api" {
		t.Errorf("run-1 = %+v, %v, %v; want the completed run", r, ok, err)
	}
	out, err := db.Outbox(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]OutboxEntry{format2Outbox()}, out); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	e, ok, err := db.Entity(ctx, "component:default/ledger")
	if err != nil || !ok || e.LocationID != "team-b" || e.Entity.Metadata.Name != "ledger" {
		t.Errorf("ledger = %+v, %v, %v; want the synced entity", e, ok, err)
	}
	db.Close()
	if n := countRaw(t, dir, pGen+"team-b/"); n != entities {
		t.Errorf("team-b's generation holds %d keys, had %d", n, entities)
	}
	raw, err := badger.Open(readOnlyOptions(dir, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.View(func(txn *badger.Txn) error {
		return scanKeys(txn, pGen, func(k []byte) error {
			if _, _, old := format3EntityKey(string(k)); old {
				t.Errorf("key %q left in format 3", k)
			}
			return nil
		})
	})
}

// TestFormat3EntityKey: only an entity's key of format 3 is moved.
func TestFormat3EntityKey(t *testing.T) {
	t.Parallel()
	ref := "component:default/ledger"
	for _, tc := range []struct {
		key, prefix, ref string
	}{
		{"g/team-b/0000000000000002/e/" + ref, "g/team-b/0000000000000002/", ref},
		{"g/team-b/0000000000000002/e/" + UID(ref) + "/" + ref, "", ""},
		{"g/team-b/0000000000000002/r/" + ref + "\x00\x00\x00\x00\x00\x00\x00\x00\x00", "", ""},
		{"g/team-b/2/e/" + ref, "", ""},
	} {
		p, r, ok := format3EntityKey(tc.key)
		if p != tc.prefix || r != tc.ref || ok != (tc.prefix != "") {
			t.Errorf("format3EntityKey(%q) = %q, %q, %v; want %q, %q", tc.key, p, r, ok, tc.prefix, tc.ref)
		}
	}
}

// TestUID: a uid is what earlier builds gave the same ref, so clients
// that kept one still find the entity.
func TestUID(t *testing.T) {
	t.Parallel()
	for ref, want := range map[string]string{
		"component:default/booking-service": "11e3a54c-86a9-5697-98d4-69b87672e67c",
		"":                                  "9dd9528e-eb31-545e-aa1d-336f9c3e9eed",
	} {
		if got := UID(ref); got != want {
			t.Errorf("UID(%q) = %s, want %s", ref, got, want)
		}
	}
}

// unpackFormat unpacks testdata/format<f>.tar.gz into a temporary dir and
// checks the store there says it is of format f.
func unpackFormat(t *testing.T, f int) string {
	t.Helper()
	dir := storetest.Unpack(t, fmt.Sprintf("testdata/format%d.tar.gz", f), t.TempDir())
	if m, ok, err := ReadMeta(context.Background(), dir); err != nil || !ok || m.Format != f {
		t.Fatalf("fixture's meta = %+v, %v, %v; want format %d", m, ok, err, f)
	}
	return dir
}
