package kubernetes

import (
	"log/slog"
	"os"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// The annotations that select an entity's workloads, as in Backstage.
const (
	annotationID            = "backstage.io/kubernetes-id"
	annotationLabelSelector = "backstage.io/kubernetes-label-selector"
	annotationNamespace     = "backstage.io/kubernetes-namespace"
)

// The plugin's settings.
const (
	configKubeconfig      = "kubeconfig"
	configContexts        = "contexts"
	configCustomResources = "customResources"
	configDashboards      = "dashboards"
)

// clusterTimeout is how long one cluster may take to answer.
const clusterTimeout = 10 * time.Second

// Serve serves the plugin to the host that started this process.
func Serve() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	sdk.Serve(newPlugin(newRenderer(logger.With("component", "kubernetes"))))
}

// newPlugin describes the plugin around r.
func newPlugin(r *renderer) sdk.Plugin {
	return sdk.Plugin{
		Name:        "kubernetes",
		Version:     "1.0.0",
		Description: "Deployments and pods of an entity in your clusters, the errors detected in them, their logs and events, found by the backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation.",
		Config: []*pluginv1.ConfigField{
			{
				Key:         configKubeconfig,
				Title:       "Kubeconfig",
				Description: "Path of the kubeconfig file to read. Empty: the files in $KUBECONFIG, else ~/.kube/config.",
			},
			{
				Key:         configContexts,
				Title:       "Contexts",
				Description: "Comma-separated kubeconfig contexts (clusters) to look in. Empty: the kubeconfig's current context.",
			},
			{
				Key:         configCustomResources,
				Title:       "Custom resources",
				Description: "Comma-separated custom resources to list as group/version/plural, e.g. argoproj.io/v1alpha1/rollouts.",
			},
			{
				Key:         configDashboards,
				Title:       "Dashboards",
				Description: "Comma-separated context=URL pairs: each cluster's dashboard, linked from its section.",
			},
		},
		EntityContent: &sdk.EntityContent{
			Applies: []*pluginv1.Selector{
				{Annotation: annotationID},
				{Annotation: annotationLabelSelector},
			},
			Render: r.render,
			Action: r.action,
		},
		Facts: &sdk.Facts{Provides: factSpecs(), Report: r.facts},
	}
}
