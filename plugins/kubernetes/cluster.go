package kubernetes

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/rest"
)

// listLimit is the most objects of a kind read from one cluster.
const listLimit = 500

// query is what to look for in each cluster.
type query struct {
	// selector is a label selector in Kubernetes' syntax.
	selector string
	// namespace is "" for all namespaces.
	namespace string
	// kinds are the kinds listed besides deployments and pods.
	kinds []kind
}

// queryFor is the query of an entity, by Backstage's rules: the
// label-selector annotation, else kubernetes-id=<id>; the namespace
// annotation, else all namespaces.
func queryFor(annotations map[string]string) (query, error) {
	q := query{selector: annotations[annotationLabelSelector], namespace: annotations[annotationNamespace]}
	if q.selector == "" {
		id := annotations[annotationID]
		if id == "" {
			return query{}, fmt.Errorf("the entity has neither %s nor %s", annotationLabelSelector, annotationID)
		}
		q.selector = annotationID + "=" + id
	}
	sel, err := labels.Parse(q.selector)
	if err != nil {
		return query{}, fmt.Errorf("label selector %q: %w", q.selector, err)
	}
	if sel.Empty() {
		return query{}, fmt.Errorf("label selector %q selects everything", q.selector)
	}
	return q, nil
}

// clusterResult is what one cluster answered.
type clusterResult struct {
	context string
	server  string
	// timeout is how long the cluster was given.
	timeout time.Duration
	// err is why the cluster could not be asked at all.
	err error
	// deployErr and podErr are why one list failed.
	deployErr, podErr error
	deployments       []appsv1.Deployment
	pods              []corev1.Pod
	// more is set when a list held more than listLimit objects.
	more bool
	// others are the lists of the other kinds (resources.go).
	others []otherList
	// usage is the memory usage of the pods, read when one was OOMKilled
	// (metrics.go).
	usage memoryUsage
}

// empty reports a cluster that answered both lists with nothing.
func (c *clusterResult) empty() bool {
	for _, o := range c.others {
		if o.err == nil && len(o.rows) > 0 {
			return false
		}
	}
	return c.err == nil && c.deployErr == nil && c.podErr == nil && len(c.deployments) == 0 && len(c.pods) == 0
}

// failure is the error that makes the whole cluster a notice: it could not
// be asked, or refused both lists.
func (c *clusterResult) failure() error {
	if c.err != nil {
		return c.err
	}
	if c.deployErr != nil && c.podErr != nil {
		return c.deployErr
	}
	return nil
}

// queryClusters asks every context concurrently, each within timeout, and
// returns their answers in the order of names.
func (r *renderer) queryClusters(ctx context.Context, kc *kubeconfig, names []string, q query, timeout time.Duration) []clusterResult {
	results := make([]clusterResult, len(names))
	s, err := newAPIScheme()
	if err != nil {
		for i, name := range names {
			results[i] = clusterResult{context: name, server: kc.server(name), timeout: timeout, err: err}
		}
		return results
	}
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			start := time.Now()
			results[i] = r.queryCluster(ctx, kc, s, name, q, timeout)
			r.logger.Debug("cluster asked", "context", name, "duration", time.Since(start), "error", results[i].failure())
		})
	}
	wg.Wait()
	return results
}

// apiScheme knows the two API groups the plugin reads, and no others:
// client-go's typed clients would bring in every group Kubernetes has.
type apiScheme struct {
	codecs serializer.CodecFactory
	params runtime.ParameterCodec
}

func newAPIScheme() (*apiScheme, error) {
	s := runtime.NewScheme()
	if err := appsv1.AddToScheme(s); err != nil {
		return nil, fmt.Errorf("scheme: %w", err)
	}
	if err := corev1.AddToScheme(s); err != nil {
		return nil, fmt.Errorf("scheme: %w", err)
	}
	return &apiScheme{codecs: serializer.NewCodecFactory(s), params: runtime.NewParameterCodec(s)}, nil
}

// restClient is a client of one API group version, sharing hc.
func restClient(cfg *rest.Config, hc *http.Client, s *apiScheme, gv schema.GroupVersion, apiPath string) (*rest.RESTClient, error) {
	c := rest.CopyConfig(cfg)
	c.GroupVersion = &gv
	c.APIPath = apiPath
	c.NegotiatedSerializer = s.codecs.WithoutConversion()
	rc, err := rest.RESTClientForConfigAndClient(c, hc)
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", gv, err)
	}
	return rc, nil
}

// clients are the REST clients of one context's API server.
type clients struct {
	apps, core *rest.RESTClient
	scheme     *apiScheme
	cfg        *rest.Config
	hc         *http.Client
}

// group is a client of another API group version ("" group: the core).
func (c *clients) group(gv schema.GroupVersion) (*rest.RESTClient, error) {
	path := "/apis"
	if gv.Group == "" {
		path = "/api"
	}
	return restClient(c.cfg, c.hc, c.scheme, gv, path)
}

// clientsFor makes the clients of a context, each request within timeout.
func clientsFor(kc *kubeconfig, s *apiScheme, name string, timeout time.Duration) (*clients, error) {
	cfg, err := kc.restConfig(name)
	if err != nil {
		return nil, err
	}
	cfg.Timeout = timeout
	cfg.WarningHandler = rest.NoWarnings{}
	cfg.UserAgent = "callboard-kubernetes-plugin"
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	apps, err := restClient(cfg, hc, s, appsv1.SchemeGroupVersion, "/apis")
	if err != nil {
		return nil, err
	}
	core, err := restClient(cfg, hc, s, corev1.SchemeGroupVersion, "/api")
	if err != nil {
		return nil, err
	}
	return &clients{apps: apps, core: core, scheme: s, cfg: cfg, hc: hc}, nil
}

// queryCluster lists the deployments and pods q selects in one context.
func (r *renderer) queryCluster(ctx context.Context, kc *kubeconfig, s *apiScheme, name string, q query, timeout time.Duration) clusterResult {
	res := clusterResult{context: name, server: kc.server(name), timeout: timeout}
	c, err := clientsFor(kc, s, name, timeout)
	if err != nil {
		res.err = err
		return res
	}
	apps, core := c.apps, c.core

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	opts := metav1.ListOptions{LabelSelector: q.selector, Limit: listLimit}
	list := func(c *rest.RESTClient, resource string, into runtime.Object) error {
		err := c.Get().Namespace(q.namespace).Resource(resource).VersionedParams(&opts, s.params).Do(ctx).Into(into)
		if err != nil {
			return fmt.Errorf("list %s: %w", resource, err)
		}
		return nil
	}
	var deployments appsv1.DeploymentList
	var pods corev1.PodList
	var wg sync.WaitGroup
	wg.Go(func() { res.deployErr = list(apps, "deployments", &deployments) })
	wg.Go(func() { res.podErr = list(core, "pods", &pods) })
	res.others = make([]otherList, len(q.kinds))
	for i, k := range q.kinds {
		wg.Go(func() { res.others[i] = listOther(ctx, c, k, q, name, r.now()) })
	}
	wg.Wait()
	res.deployments, res.pods = deployments.Items, pods.Items
	res.more = deployments.Continue != "" || pods.Continue != ""
	if oomKilled(res.pods) {
		res.usage = readMemoryUsage(ctx, c, q)
	}
	return res
}

// reason says in a few words why a cluster failed: unreachable, refused,
// timed out, or the error itself.
func reason(err error, timeout time.Duration) string {
	var status apierrors.APIStatus
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var netErr net.Error
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr x509.CertificateInvalidError
	switch {
	case errors.Is(err, errUnknownContext):
		return err.Error()
	case apierrors.IsUnauthorized(err):
		return "refused: the credentials were not accepted (401 Unauthorized)"
	case apierrors.IsForbidden(err):
		msg := "403 Forbidden"
		if errors.As(err, &status) && status.Status().Message != "" {
			msg += ": " + status.Status().Message
		}
		return "refused: " + msg
	case errors.Is(err, context.DeadlineExceeded), apierrors.IsTimeout(err), errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("timed out: no answer within %s", timeout.Round(100*time.Millisecond))
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the API server's answer was cut short (the connection closed mid-answer)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "unreachable: connection refused"
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("unreachable: no such host %s", dnsErr.Name)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "unreachable: " + opErr.Err.Error()
	case errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &certErr):
		return "TLS: the server's certificate is not trusted: " + unwrapAll(err).Error()
	case errors.As(err, &status):
		s := status.Status()
		return fmt.Sprintf("the API server answered %d %s: %s", s.Code, s.Reason, s.Message)
	}
	return err.Error()
}

// unwrapAll is the innermost error of a chain of single wraps.
func unwrapAll(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
