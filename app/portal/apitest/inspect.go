package apitest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
)

func testInspectEntity(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	in, err := o.API.InspectEntity(ctx, "Component:Payments")
	must(t, "InspectEntity", err)
	if in.Ref != paymentsRef {
		t.Errorf("InspectEntity ref = %q, want %q", in.Ref, paymentsRef)
	}
	a := in.Ancestry
	if len(a) != 3 || a[0].Kind != portal.AncestryLocation || a[0].File != "catalog-info.yaml" ||
		a[1].Kind != portal.AncestryLocationEntity || a[1].EntityRef != "location:default/apitest-org" || a[1].Target != "./services.yaml" ||
		a[2].Kind != portal.AncestryFile || a[2].File != "services.yaml" {
		t.Errorf("ancestry = %+v, want the location, its Location entity and services.yaml", a)
	}
	if f := in.Colocated.File; !slices.ContainsFunc(f, func(e portal.EntitySummary) bool { return e.Ref == "system:default/checkout" }) ||
		slices.ContainsFunc(f, func(e portal.EntitySummary) bool { return e.Ref == paymentsRef }) {
		t.Errorf("colocated in the file = %+v, want the checkout system and not payments itself", f)
	}
	if in.Colocated.LocationTotal != entities-1 || len(in.Colocated.Location) == 0 || len(in.Colocated.Location) > in.Colocated.LocationTotal {
		t.Errorf("colocated in the location: %d listed of %d, want some of %d", len(in.Colocated.Location), in.Colocated.LocationTotal, entities-1)
	}
	p := in.Processed
	if p.Commit != o.loc.HeadCommit || p.Annotations["backstage.io/managed-by-location"] == "" || p.Entity["relations"] == nil {
		t.Errorf("processed = commit %q, annotations %v; want %s with managed-by-location and relations", p.Commit, p.Annotations, o.loc.HeadCommit)
	}
	if r := in.Raw; r.Commit != o.loc.HeadCommit || r.Line != 8 || !strings.HasPrefix(r.YAML, "apiVersion: backstage.io/v1alpha1\nkind: Component\n") ||
		!strings.Contains(r.YAML, "Takes card payments and refunds.") || r.Missing != "" {
		t.Errorf("raw = %+v, want the payments document at the head", r)
	}
	lists(t, o.Fixture, "InspectEntity", in)
	for _, ref := range notFoundRefs {
		_, err := o.API.InspectEntity(ctx, ref)
		wantErr(t, fmt.Sprintf("InspectEntity(%.40q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.InspectEntity(ctx, ref)
		wantErr(t, fmt.Sprintf("InspectEntity(%q)", ref), err, portal.ErrInvalid)
	}
}
