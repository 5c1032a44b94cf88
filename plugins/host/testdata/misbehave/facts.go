package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// facts reports facts in the modes whose name starts with "facts": good
// ones in "facts", and in the others as much as the mode's name says.
func facts(mode string) *sdk.Facts {
	if !strings.HasPrefix(mode, "facts") {
		return nil
	}
	return &sdk.Facts{
		Provides: []*pluginv1.FactSpec{{Name: "replicas", Description: "ready replicas"}, {Name: "healthy"}},
		Report: func(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.Fact, error) {
			switch mode {
			case "facts-too-many":
				var out []*pluginv1.Fact
				for i := range 101 {
					out = append(out, sdk.FactNumber(fmt.Sprint("f", i), float64(i)))
				}
				return out, nil
			case "facts-long-name":
				return []*pluginv1.Fact{sdk.FactFlag(strings.Repeat("n", 101), true)}, nil
			case "facts-huge-value":
				return []*pluginv1.Fact{sdk.FactText("readme", strings.Repeat("x", 4<<10+1))}, nil
			case "facts-no-value":
				return []*pluginv1.Fact{{Name: "empty"}}, nil
			case "facts-unimplemented":
				return nil, status.Error(codes.Unimplemented, "not in this build")
			}
			return []*pluginv1.Fact{
				sdk.FactNumber("replicas", 3),
				sdk.AsOf(sdk.FactFlag("healthy", req.Entity.Metadata.Name == "payments"), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
				sdk.FactTime("deployedAt", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
				sdk.FactText("clone", req.ClonePath),
			}, nil
		},
	}
}
