package store

import (
	"context"
	"testing"
	"time"
)

// A Backstage's TechDocs files are kept by location, entity and file, and
// go with the location when it is removed; another location's stay.
func TestBackstageDocs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range []string{"bs", "bs2"} {
		if err := db.PutLocation(ctx, Location{ID: id, URL: "https://" + id + ".example", Backstage: &Backstage{BaseURL: "https://" + id + ".example"}}); err != nil {
			t.Fatal(err)
		}
	}
	read := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, id := range []string{"bs", "bs2"} {
		if err := db.PutBackstageDoc(ctx, id, "component:default/radar", "index.html", []byte("<h1>"+id+"</h1>"), read); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		id, ref, file string
		want          string
		ok            bool
	}{
		{"bs", "component:default/radar", "index.html", "<h1>bs</h1>", true},
		{"bs2", "component:default/radar", "index.html", "<h1>bs2</h1>", true},
		{"bs", "component:default/radar", "other.html", "", false},
		{"bs", "component:default/rada", "r\x00index.html", "", false},
	} {
		data, at, ok, err := db.BackstageDoc(ctx, tc.id, tc.ref, tc.file)
		if err != nil || ok != tc.ok || string(data) != tc.want || ok && !at.Equal(read) {
			t.Errorf("BackstageDoc(%s, %s, %q) = %q, %v, %v, %v", tc.id, tc.ref, tc.file, data, at, ok, err)
		}
	}
	if err := db.RemoveLocation(ctx, "bs"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := db.BackstageDoc(ctx, "bs", "component:default/radar", "index.html"); ok {
		t.Error("a removed location's docs are still kept")
	}
	if _, _, ok, _ := db.BackstageDoc(ctx, "bs2", "component:default/radar", "index.html"); !ok {
		t.Error("another location's docs went with it")
	}
}
