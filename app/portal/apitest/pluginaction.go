package apitest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

// testRunViewAction: nothing runs that no view offered, whatever the
// window sends; unknown entities and plugins are not found. (Actions a
// real plugin offers are run in portal's and the host's own tests.)
func testRunViewAction(t *testing.T, s *suite) {
	ctx := t.Context()
	o := s.shared
	call := portal.PluginActionCall{Plugin: brokenPlugin, Action: "logs", Parameters: map[string]string{"pod": "web-1"}}
	_, err := o.API.RunViewAction(ctx, paymentsRef, call)
	wantErr(t, "RunViewAction with no plugins", err, portal.ErrNotFound)
	for _, ref := range notFoundRefs {
		_, err := o.API.RunViewAction(ctx, ref, call)
		wantErr(t, fmt.Sprintf("RunViewAction(%.40q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.RunViewAction(ctx, ref, call)
		wantErr(t, fmt.Sprintf("RunViewAction(%q)", ref), err, portal.ErrInvalid)
	}
	for name, bad := range map[string]portal.PluginActionCall{
		"no plugin":      {Action: "logs"},
		"no action":      {Plugin: brokenPlugin},
		"a long action":  {Plugin: brokenPlugin, Action: strings.Repeat("x", 201)},
		"huge parameter": {Plugin: brokenPlugin, Action: "logs", Parameters: map[string]string{"pod": strings.Repeat("x", 5000)}},
	} {
		_, err := o.API.RunViewAction(ctx, paymentsRef, bad)
		wantErr(t, "RunViewAction with "+name, err, portal.ErrInvalid)
	}

	// The plugin is installed, but its view never offered the action: a
	// forged call is refused before the plugin is asked.
	repo := gittest.New(t)
	repo.Commit("Add the organisation", orgFiles())
	f := seed(t, s.withPlugin(t), repo)
	_, err = f.API.RunViewAction(ctx, paymentsRef, call)
	wantErr(t, "RunViewAction of an action no view offered", err, portal.ErrInvalid)
	_, err = f.API.RunViewAction(ctx, paymentsRef, portal.PluginActionCall{Plugin: "nope", Action: "logs"})
	wantErr(t, "RunViewAction of an unknown plugin", err, portal.ErrNotFound)
}
