// Command example is the smallest useful Callboard plugin: on every
// Component's page, a card with the component's name, its owner and a
// link to the owner's page. docs/plugins.md walks through it.
//
// Build it with
//
//	go build -o example ./plugins/example
package main

import (
	"cmp"
	"context"
	"strings"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

func main() {
	// Serve answers Callboard's calls until Callboard stops the plugin.
	sdk.Serve(sdk.Plugin{
		Name:        "example", // as in the manifest, plugin.json
		Version:     "1.0.0",
		Description: "Shows who owns a component.",
		EntityContent: &sdk.EntityContent{
			Applies: []*pluginv1.Selector{{Kind: "Component"}}, // which entities get the card
			Render:  render,
		},
	})
}

// render is called when a Component's page opens and returns its card.
func render(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.View, error) {
	owner, _ := req.Entity.Spec["owner"].(string)
	if owner == "" {
		return []*pluginv1.View{sdk.Card("owner", "Owner",
			sdk.Notice("This component names no owner.", pluginv1.Status_STATUS_WARNING))}, nil
	}
	return []*pluginv1.View{sdk.Card("owner", "Owner",
		sdk.KeyValues(sdk.KV("Component", req.Entity.Metadata.Name), sdk.KV("Owner", owner)),
		sdk.Links(&pluginv1.Link{Title: "The owner's page", Url: ownerPage(owner, req.Entity.Metadata.Namespace)}),
	)}, nil
}

// ownerPage is the app's route to the owner: a reference without a kind
// is a group's, one without a namespace is in the component's namespace.
func ownerPage(ref, namespace string) string {
	kind, rest, ok := strings.Cut(ref, ":")
	if !ok {
		kind, rest = "group", ref
	}
	ns, name, ok := strings.Cut(rest, "/")
	if !ok {
		ns, name = cmp.Or(namespace, "default"), rest
	}
	return strings.ToLower("/catalog/" + kind + "/" + ns + "/" + name)
}
