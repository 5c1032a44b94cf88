package store

import (
	"context"
	"errors"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// The outbox entries a snapshot carries are written with it, by an
// in-place update and by a new generation alike, and not at all when the
// snapshot is not taken.
func TestSnapshotWritesItsOutboxEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	entry := func(seq string) OutboxEntry {
		return OutboxEntry{ID: "loc/" + seq, LocationID: "loc", Commit: seq, State: StatePending}
	}
	backends(t, func(t *testing.T, db *DB) {
		if err := db.PutLocation(ctx, Location{ID: "loc"}); err != nil {
			t.Fatal(err)
		}
		if err := db.PutOutbox(ctx, OutboxEntry{ID: "loc/1", LocationID: "loc", State: StateWriting}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			snap Snapshot
			want []string // states of loc/1, loc/2 …
		}{
			{"new generation", Snapshot{Commit: "1", Entities: bigSnapshot("1", 3).Entities, Local: true, Outbox: []OutboxEntry{entry("1")}}, []string{StatePending}},
			{"in place", Snapshot{Commit: "2", Entities: bigSnapshot("2", 4).Entities, Local: true, Outbox: []OutboxEntry{entry("2")}}, []string{StatePending, StatePending}},
			{"not taken", Snapshot{Commit: "3", Entities: []catalog.Processed{reusedMissing()}, Local: true, Outbox: []OutboxEntry{entry("3")}}, []string{StatePending, StatePending}},
		} {
			err := db.ReplaceLocation(ctx, "loc", tc.snap, t0)
			if (err != nil) != (tc.name == "not taken") || err != nil && !errors.Is(err, ErrStale) {
				t.Errorf("%s: err = %v", tc.name, err)
			}
			entries, err := db.Outbox(ctx, "loc")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.State)
			}
			if len(got) != len(tc.want) || got[0] != tc.want[0] || got[len(got)-1] != tc.want[len(tc.want)-1] {
				t.Errorf("%s: outbox states = %v, want %v", tc.name, got, tc.want)
			}
		}
	})
}

// reusedMissing is an entity a file cache says is unchanged but the store
// does not hold: the snapshot is refused with ErrStale.
func reusedMissing() catalog.Processed {
	p := entity("Component", "never-stored", nil)
	p.Entity.Raw, p.Reused = nil, true
	return p
}

// A location's review mode is changed in place and kept with the
// location; an unknown location says so.
func TestSetReview(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backends(t, func(t *testing.T, db *DB) {
		if err := db.PutLocation(ctx, Location{ID: "loc", URL: "https://example.com/r.git"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			id     string
			fn     func(*Review)
			wantOK bool
			want   Review
		}{
			{"loc", func(r *Review) { r.Detected = ReviewPR }, true, Review{Detected: ReviewPR}},
			{"loc", func(r *Review) { r.Mode = ReviewDirect }, true, Review{Mode: ReviewDirect, Detected: ReviewPR}},
			{"nope", func(r *Review) { r.Mode = ReviewPR }, false, Review{}},
		} {
			ok, err := db.SetReview(ctx, tc.id, tc.fn)
			if err != nil || ok != tc.wantOK {
				t.Fatalf("SetReview(%s) = %v, %v", tc.id, ok, err)
			}
			if !ok {
				continue
			}
			loc, _, err := db.Location(ctx, tc.id)
			if err != nil || loc.Review != tc.want || loc.URL == "" {
				t.Errorf("location after SetReview = %+v, %v; want review %+v", loc, err, tc.want)
			}
		}
	})
}
