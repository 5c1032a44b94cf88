package kubernetes

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// renderer draws an entity's workloads. Its fields are what the tests
// replace: the environment, the clock and the per-cluster timeout.
type renderer struct {
	logger         *slog.Logger
	getenv         func(string) string
	homeDir        func() (string, error)
	now            func() time.Time
	clusterTimeout time.Duration
	// watchWindow is how long a follow of events waits for one;
	// watchGrace how long it reads on once one came.
	watchWindow, watchGrace time.Duration
}

// newRenderer is a renderer on the real environment and clock.
func newRenderer(logger *slog.Logger) *renderer {
	return &renderer{logger: logger, getenv: os.Getenv, homeDir: os.UserHomeDir, now: time.Now, clusterTimeout: clusterTimeout, watchWindow: watchWindow, watchGrace: watchGrace}
}

// render is the plugin's entity content: the card and the tab. Whatever
// goes wrong with the kubeconfig or a cluster becomes a notice; only a
// cancelled call is an error.
func (r *renderer) render(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.View, error) {
	q, err := queryFor(req.Entity.Metadata.Annotations)
	if err != nil {
		return noticeViews(fmt.Sprintf("Cannot look for this entity's workloads: %v.", err), pluginv1.Status_STATUS_WARNING), nil
	}
	kc, err := r.loadKubeconfig(req.Config[configKubeconfig])
	switch {
	case errors.Is(err, errNoKubeconfig):
		return noticeViews(fmt.Sprintf("%s. Set the path of your kubeconfig file in Settings, under the kubernetes plugin's \"Kubeconfig\", or start Callboard with $KUBECONFIG set.", upperFirst(err.Error())), pluginv1.Status_STATUS_INFO), nil
	case err != nil:
		return noticeViews(fmt.Sprintf("The kubeconfig cannot be read: %v. Check the file, or set another path in Settings, under the kubernetes plugin's \"Kubeconfig\".", err), pluginv1.Status_STATUS_ERROR), nil
	}
	names, err := kc.contexts(req.Config[configContexts])
	if err != nil {
		return noticeViews(fmt.Sprintf("%s. Name the contexts to look in in Settings, under the kubernetes plugin's \"Contexts\".", upperFirst(err.Error())), pluginv1.Status_STATUS_INFO), nil
	}

	custom, err := customKinds(req.Config[configCustomResources])
	if err != nil {
		return noticeViews(fmt.Sprintf("%s. Fix it in Settings, under the kubernetes plugin's \"Custom resources\".", upperFirst(err.Error())), pluginv1.Status_STATUS_WARNING), nil
	}
	q.kinds = append(builtinKinds(), custom...)
	results := r.queryClusters(ctx, kc, names, q, r.timeout(ctx))
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("kubernetes: %w", err)
	}
	now := r.now()
	sums := make([]clusterSummary, len(results))
	for i := range results {
		sums[i] = summarize(&results[i], now)
	}
	links := dashboards(req.Config[configDashboards])
	for i := range sums {
		sums[i].dashboard = links[sums[i].res.context]
	}
	views := []*pluginv1.View{card(q, sums), tab(q, sums)}
	if c := errorsCard(sums); c != nil {
		views = append([]*pluginv1.View{c}, views...)
	}
	return views, nil
}

// timeout is how long each cluster may take: clusterTimeout, less when the
// call's deadline is nearer, so that a slow cluster becomes a notice
// before the host gives up on the whole call.
func (r *renderer) timeout(ctx context.Context) time.Duration {
	t := r.clusterTimeout
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl) * 9 / 10; left < t {
			t = max(left, time.Millisecond)
		}
	}
	return t
}

// upperFirst makes a message from an error's text.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// noticeViews are the card and the tab holding a single notice.
func noticeViews(text string, s pluginv1.Status) []*pluginv1.View {
	return []*pluginv1.View{
		sdk.Card(viewID, viewTitle, sdk.Notice(text, s)),
		sdk.Tab(viewID, viewTitle, sdk.Notice(text, s)),
	}
}
