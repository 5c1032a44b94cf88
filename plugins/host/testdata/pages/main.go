// Command pages is a plugin for the host's tests of pages, Home cards and
// entity actions; its first argument says how it behaves: "ok", "old" (it
// announces them but its server predates them), "bad" (a radar Callboard
// cannot draw) or "crash" (it exits on a Home-cards call).
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/go-plugin"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// old is a plugin built before pages: the new calls are Unimplemented.
type old struct {
	pluginv1.UnimplementedPluginServer
}

func (old) Describe(context.Context, *pluginv1.DescribeRequest) (*pluginv1.Manifest, error) {
	return &pluginv1.Manifest{Name: "old", Version: "0.0.1", HomeCards: true,
		Pages:         []*pluginv1.PageSpec{{Id: "p", Title: "P"}},
		EntityActions: []*pluginv1.EntityActionSpec{{Id: "a", Title: "A", Ask: true}}}, nil
}

func main() {
	mode := os.Args[1]
	if mode == "old" {
		plugin.Serve(&plugin.ServeConfig{HandshakeConfig: sdk.Handshake, Plugins: plugin.PluginSet{sdk.PluginKey: &sdk.GRPCPlugin{Impl: old{}}},
			GRPCServer: plugin.DefaultGRPCServer})
		return
	}
	quadrants := 4
	if mode == "bad" {
		quadrants = 3
	}
	r := &pluginv1.Radar{Rings: []*pluginv1.RadarRing{{Id: "adopt", Name: "Adopt"}}}
	for i := range quadrants {
		r.Quadrants = append(r.Quadrants, &pluginv1.RadarQuadrant{Id: fmt.Sprint("q", i), Name: fmt.Sprint("Q", i)})
	}
	r.Entries = []*pluginv1.RadarEntry{{Id: "go", Number: 1, Title: "Go", QuadrantId: "q0", RingId: "adopt"}}
	sdk.Serve(sdk.Plugin{
		Name: mode, Version: "0.0.1", ReadsClones: mode == "ok",
		Pages: []sdk.Page{
			{ID: "second", Title: "Second", NavOrder: 2, Render: func(ctx context.Context, req sdk.PageRequest) (*pluginv1.PageResponse, error) {
				return &pluginv1.PageResponse{Blocks: []*pluginv1.Block{sdk.Heading("second")}}, nil
			}},
			{ID: "radar", Title: "Radar", Icon: "radar", NavOrder: 1, Render: func(ctx context.Context, req sdk.PageRequest) (*pluginv1.PageResponse, error) {
				var clones []string
				for _, c := range req.Clones {
					clones = append(clones, c.GetLocationId()+"="+c.GetPath())
				}
				return &pluginv1.PageResponse{Subtitle: req.Params["q"] + "|" + strings.Join(clones, ",") + "|" + req.User.GetEntityRef(),
					Blocks: []*pluginv1.Block{sdk.RadarBlock(r)}}, nil
			}},
		},
		HomeCards: func(ctx context.Context, req sdk.UIRequest) ([]*pluginv1.View, error) {
			if mode == "crash" {
				panic("no cards today")
			}
			return []*pluginv1.View{sdk.HomeCard("changes", "Changes for "+req.User.GetEntityRef(), sdk.RadarBlock(r))}, nil
		},
		EntityActions: []sdk.EntityAction{
			{ID: "everyone", Title: "For every component", Entities: []*pluginv1.Selector{{Kind: "Component"}},
				Run: func(ctx context.Context, req sdk.EntityActionRequest) (*pluginv1.RunEntityActionResponse, error) {
					return sdk.Done("ran on "+req.Entity.Metadata.Name, pluginv1.Status_STATUS_OK), nil
				}},
			{ID: "asked", Title: "Only payments", Confirmation: "Sure?",
				Applies: func(ctx context.Context, req sdk.EntityActionRequest) (bool, error) {
					return req.Entity.Metadata.Name == "payments", nil
				},
				Run: func(ctx context.Context, req sdk.EntityActionRequest) (*pluginv1.RunEntityActionResponse, error) {
					return &pluginv1.RunEntityActionResponse{OpenUrl: "/plugins/" + mode + "/radar"}, nil
				}},
		},
	})
}
