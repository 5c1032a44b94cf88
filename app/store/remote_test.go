package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRemoteFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	read := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	x := RemoteFile{FetchURL: "https://raw.example/x", ETag: `"1"`, LastModified: "Sun, 01 Mar 2026 09:00:00 GMT", ReadAt: read, Data: []byte("x\n\nwith newlines\n")}
	y := RemoteFile{FetchURL: "https://raw.example/y", ReadAt: read, Data: []byte{}}
	for u, f := range map[string]RemoteFile{"https://a.example/x": x, "https://a.example/y": y} {
		if err := db.PutRemoteFile(ctx, u, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetRemoteUses(ctx, "location/a", []string{"https://a.example/y", "https://a.example/x", "https://a.example/x"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRemoteUses(ctx, "location/b", []string{"https://a.example/y"}); err != nil {
		t.Fatal(err)
	}
	// Kept across a restart.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(ctx, dir, quiet); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, ok, err := db.RemoteFile(ctx, "https://a.example/x")
	if err != nil || !ok {
		t.Fatalf("RemoteFile = %v, %v", ok, err)
	}
	if diff := cmp.Diff(x, got); diff != "" {
		t.Errorf("kept file (-want +got):\n%s", diff)
	}
	at, ok, err := db.RemoteReadAt(ctx, []string{"https://a.example/x", "https://a.example/y"})
	if err != nil || !ok || !at.Equal(read) {
		t.Errorf("RemoteReadAt = %v, %v, %v; want %v", at, ok, err, read)
	}
	if _, ok, _ := db.RemoteReadAt(ctx, []string{"https://a.example/x", "https://a.example/none"}); ok {
		t.Error("RemoteReadAt of a file not kept is ok")
	}
	uses, err := db.RemoteUses(ctx, "location/a")
	if err != nil || !cmp.Equal(uses, []string{"https://a.example/x", "https://a.example/y"}) {
		t.Errorf("uses of a = %v, %v", uses, err)
	}

	// a stops using both: x goes, y stays for b.
	if err := db.SetRemoteUses(ctx, "location/a", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.RemoteFile(ctx, "https://a.example/x"); ok {
		t.Error("a file no location uses is still kept")
	}
	if _, ok, _ := db.RemoteFile(ctx, "https://a.example/y"); !ok {
		t.Error("a file location b uses was dropped")
	}
	if err := db.SetRemoteUses(ctx, "location/b", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.RemoteFile(ctx, "https://a.example/y"); ok {
		t.Error("a file no location uses is still kept")
	}
	if uses, _ := db.RemoteUses(ctx, "location/b"); len(uses) != 0 {
		t.Errorf("uses of a forgotten owner = %v", uses)
	}
}
