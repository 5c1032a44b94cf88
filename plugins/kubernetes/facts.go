package kubernetes

import (
	"context"
	"fmt"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

func factSpecs() []*pluginv1.FactSpec {
	return []*pluginv1.FactSpec{{Name: "replicas",
		Description: "The fewest ready replicas of any of the entity's deployments, over the clusters that answered."}}
}

// facts asks the clusters as the card does and reports the fewest ready
// replicas of the entity's deployments. An entity without the
// annotations, a kubeconfig that cannot be read, or clusters that list no
// deployment of it give no fact: nothing is known, which is not zero.
func (r *renderer) facts(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.Fact, error) {
	q, err := queryFor(req.Entity.Metadata.Annotations)
	if err != nil {
		return nil, nil
	}
	kc, err := r.loadKubeconfig(req.Config[configKubeconfig])
	if err != nil {
		return nil, nil
	}
	names, err := kc.contexts(req.Config[configContexts])
	if err != nil {
		return nil, nil
	}
	results := r.queryClusters(ctx, kc, names, q, r.timeout(ctx))
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("kubernetes: %w", err)
	}
	fewest, found := int32(0), false
	for i := range results {
		c := &results[i]
		if c.err != nil || c.deployErr != nil {
			continue
		}
		for _, d := range c.deployments {
			if !found || d.Status.ReadyReplicas < fewest {
				fewest, found = d.Status.ReadyReplicas, true
			}
		}
	}
	if !found {
		return nil, nil
	}
	return []*pluginv1.Fact{sdk.FactNumber("replicas", float64(fewest))}, nil
}
