package apitest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
)

// The suite's instances have no plugin serving pages (the portal's own
// tests run the Tech Radar plugin): these cases pin down the empty
// answers and the refusals on every transport.

func testPluginPages(t *testing.T, s *suite) {
	for _, f := range []Fixture{s.shared.Fixture, s.withPlugin(t)} {
		got, err := f.API.PluginPages(t.Context())
		must(t, "PluginPages", err)
		if len(got) != 0 {
			t.Errorf("PluginPages with no plugin serving pages = %+v", got)
		}
		lists(t, f, "PluginPages", got)
	}
}

func testPluginPage(t *testing.T, s *suite) {
	f := s.withPlugin(t)
	ctx := t.Context()
	for _, c := range []struct{ plugin, page string }{{"", "radar"}, {"techradar", ""}} {
		_, err := f.API.PluginPage(ctx, c.plugin, c.page, nil)
		wantErr(t, fmt.Sprintf("PluginPage(%q, %q)", c.plugin, c.page), err, portal.ErrInvalid)
	}
	many := map[string]string{}
	for i := range 21 {
		many[fmt.Sprint("p", i)] = "x"
	}
	for _, params := range []map[string]string{many, {"q": strings.Repeat("x", 1001)}} {
		_, err := f.API.PluginPage(ctx, "techradar", "radar", params)
		wantErr(t, fmt.Sprintf("PluginPage with %d params", len(params)), err, portal.ErrInvalid)
	}
	for _, c := range []struct{ plugin, page string }{{"techradar", "radar"}, {brokenPlugin, "radar"}, {"a b/c?d", "e%2Ff"}} {
		_, err := f.API.PluginPage(ctx, c.plugin, c.page, map[string]string{"entity": "component:default/payments", "a b": "c&d=e"})
		wantErr(t, fmt.Sprintf("PluginPage(%q, %q)", c.plugin, c.page), err, portal.ErrNotFound)
	}
}

func testHomeCards(t *testing.T, s *suite) {
	for _, f := range []Fixture{s.shared.Fixture, s.withPlugin(t)} {
		got, err := f.API.HomeCards(t.Context())
		must(t, "HomeCards", err)
		if len(got) != 0 {
			t.Errorf("HomeCards with no plugin serving them = %+v", got)
		}
		lists(t, f, "HomeCards", got)
	}
}

func testEntityActions(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	got, err := o.API.EntityActions(ctx, paymentsRef)
	must(t, "EntityActions", err)
	if len(got) != 0 {
		t.Errorf("EntityActions with no plugin = %+v", got)
	}
	lists(t, o.Fixture, "EntityActions", got)
	for _, ref := range notFoundRefs {
		_, err := o.API.EntityActions(ctx, ref)
		wantErr(t, fmt.Sprintf("EntityActions(%.40q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.EntityActions(ctx, ref)
		wantErr(t, fmt.Sprintf("EntityActions(%q)", ref), err, portal.ErrInvalid)
	}
}

func testRunEntityAction(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	call := portal.EntityActionCall{Plugin: "techradar", Action: "show-on-radar"}
	_, err := o.API.RunEntityAction(ctx, paymentsRef, call)
	wantErr(t, "RunEntityAction with no plugin", err, portal.ErrNotFound)
	for _, c := range []portal.EntityActionCall{{Plugin: "techradar"}, {Action: "show-on-radar"}} {
		_, err := o.API.RunEntityAction(ctx, paymentsRef, c)
		wantErr(t, fmt.Sprintf("RunEntityAction(%+v)", c), err, portal.ErrInvalid)
	}
	for _, ref := range notFoundRefs {
		_, err := o.API.RunEntityAction(ctx, ref, call)
		wantErr(t, fmt.Sprintf("RunEntityAction(%.40q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.RunEntityAction(ctx, ref, call)
		wantErr(t, fmt.Sprintf("RunEntityAction(%q)", ref), err, portal.ErrInvalid)
	}
}
