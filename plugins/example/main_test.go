package main

import (
	"context"
	"testing"

	"github.com/callboard/callboard/plugins/sdk"
)

// A plugin's render is a plain function: test it without Callboard.
func TestRender(t *testing.T) {
	req := sdk.EntityRequest{Entity: sdk.Entity{Kind: "Component", Metadata: sdk.Metadata{Name: "payments"}, Spec: map[string]any{"owner": "team-a"}}}
	views, err := render(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := views[0].GetBlocks()[1].GetLinks().GetItems()[0].GetUrl(); got != "/catalog/group/default/team-a" {
		t.Errorf("owner's page %q", got)
	}
	for ref, want := range map[string]string{"user:ada": "/catalog/user/default/ada", "group:ops/SRE": "/catalog/group/ops/sre"} {
		if got := ownerPage(ref, ""); got != want {
			t.Errorf("ownerPage(%q) = %q, want %q", ref, got, want)
		}
	}
}
