package apitest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
)

func testSetReviewMode(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	for _, tc := range []struct {
		in   portal.ReviewMode
		want portal.Location
	}{
		{portal.ReviewMode{Mode: "pr", Forge: "gitea"}, portal.Location{ReviewMode: "pr", ReviewForge: "gitea"}},
		{portal.ReviewMode{Mode: "direct"}, portal.Location{ReviewMode: "direct", ReviewForge: "gitea"}},
		{portal.ReviewMode{Mode: "detect", Forge: "github"}, portal.Location{ReviewMode: "detect", ReviewForge: "github"}},
	} {
		loc, err := o.API.SetReviewMode(ctx, o.loc.ID, tc.in)
		must(t, "SetReviewMode", err)
		lists(t, o.Fixture, "SetReviewMode", loc)
		if loc.ID != o.loc.ID || loc.ReviewMode != tc.want.ReviewMode || loc.ReviewForge != tc.want.ReviewForge || loc.ReviewDetected != "" {
			t.Errorf("SetReviewMode(%+v) = %+v", tc.in, loc)
		}
		locs, err := o.API.ListLocations(ctx)
		must(t, "ListLocations", err)
		if l := locationOf(t, locs, o.loc.ID); l.ReviewMode != tc.want.ReviewMode || l.ReviewForge != tc.want.ReviewForge {
			t.Errorf("listed after SetReviewMode(%+v): %+v", tc.in, l)
		}
	}
	for _, in := range []portal.ReviewMode{{Mode: ""}, {Mode: "push"}, {Mode: "pr", Forge: "bitbucket"}} {
		_, err := o.API.SetReviewMode(ctx, o.loc.ID, in)
		wantErr(t, fmt.Sprintf("SetReviewMode(%+v)", in), err, portal.ErrInvalid)
	}
	_, err := o.API.SetReviewMode(ctx, "", portal.ReviewMode{Mode: "pr"})
	wantErr(t, `SetReviewMode("")`, err, portal.ErrInvalid)
	for _, id := range notFoundIDs {
		_, err := o.API.SetReviewMode(ctx, id, portal.ReviewMode{Mode: "pr"})
		wantErr(t, fmt.Sprintf("SetReviewMode(%.40q)", id), err, portal.ErrNotFound)
	}
}

// A location in pr mode whose repository has no forge API (a folder)
// keeps its change local, saying why, and never pushes it to the
// branch; the entry has no pull request to settle. The whole journey
// through a forge is sync/syncer's TestEditToProtectedBranchBecomesAPullRequest.
func testSettleReview(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	_, err := o.API.SetReviewMode(ctx, o.loc.ID, portal.ReviewMode{Mode: "pr"})
	must(t, "SetReviewMode", err)
	e, err := o.API.WriteFile(ctx, portal.FileWrite{LocationID: o.loc.ID, Path: "services.yaml", Content: retitled("Reviewed"), Message: "Retitle"})
	must(t, "WriteFile", err)
	_, err = o.API.Sync(ctx, o.loc.ID)
	must(t, "Sync", err)
	out, err := o.API.Outbox(ctx)
	must(t, "Outbox", err)
	if len(out) != 1 || out[0].State != "pending" || !strings.Contains(out[0].LastError, "pull request") {
		t.Errorf("the outbox of a pr location without a forge = %+v", out)
	}
	if d, err := o.API.GetEntity(ctx, gatewayRef); err != nil || d.Title != "Reviewed" || !d.Pending || d.Review != nil {
		t.Errorf("the gateway: %+v, %v; want the user's version, pending, in no pull request", d.EntitySummary, err)
	}
	for _, action := range []string{"discard", "reopen"} {
		wantErr(t, "SettleReview("+action+") of an entry without a pull request", o.API.SettleReview(ctx, e.ID, action), portal.ErrInvalid)
	}
	wantErr(t, "SettleReview(merge)", o.API.SettleReview(ctx, e.ID, "merge"), portal.ErrInvalid)
	wantErr(t, `SettleReview("")`, o.API.SettleReview(ctx, "", "discard"), portal.ErrInvalid)
	for _, id := range append([]string{o.loc.ID + "/999"}, notFoundIDs...) {
		wantErr(t, fmt.Sprintf("SettleReview(%.40q)", id), o.API.SettleReview(ctx, id, "discard"), portal.ErrNotFound)
	}
}
