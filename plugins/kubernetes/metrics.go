package kubernetes

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// metricsGV is the metrics API (metrics-server's), which a cluster may
// not serve.
var metricsGV = schema.GroupVersion{Group: "metrics.k8s.io", Version: "v1beta1"}

// maxMetricsBytes bounds the pod metrics list read (a pod's entry is a
// few hundred bytes).
const maxMetricsBytes = 4 << 20

// memoryUsage is the last memory usage the metrics API reported per
// container, read only for a cluster with an OOMKilled container.
type memoryUsage struct {
	// byContainer is keyed "namespace/pod/container".
	byContainer map[string]resource.Quantity
	// unknown says why byContainer is nil: the metrics API did not answer
	// (or was not asked).
	unknown string
}

// of says a container's last memory usage, or why it is unknown.
func (u memoryUsage) of(namespace, pod, container string) string {
	if u.byContainer == nil {
		return "usage unknown (" + cmp.Or(u.unknown, "metrics API not available") + ")"
	}
	q, ok := u.byContainer[namespace+"/"+pod+"/"+container]
	if !ok {
		return "usage unknown (no sample for the container)"
	}
	return "last usage " + bytesIn(q)
}

// podMetricsList is the part of a metrics.k8s.io/v1beta1 PodMetricsList
// read.
type podMetricsList struct {
	Items []struct {
		Metadata struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
		Containers []struct {
			Name  string                       `json:"name"`
			Usage map[string]resource.Quantity `json:"usage"`
		} `json:"containers"`
	} `json:"items"`
}

// oomKilled says whether one of the pods' containers was OOMKilled, now or
// in its last run.
func oomKilled(pods []corev1.Pod) bool {
	for i := range pods {
		for _, cs := range append(append([]corev1.ContainerStatus(nil), pods[i].Status.InitContainerStatuses...), pods[i].Status.ContainerStatuses...) {
			for _, t := range []*corev1.ContainerStateTerminated{cs.State.Terminated, cs.LastTerminationState.Terminated} {
				if t != nil && t.Reason == "OOMKilled" {
					return true
				}
			}
		}
	}
	return false
}

// readMemoryUsage lists the metrics of the pods q selects. A cluster
// without metrics-server answers 404 (or 503 while it starts): the usage
// is then unknown, saying why, and never an error of the cluster.
func readMemoryUsage(ctx context.Context, c *clients, q query) memoryUsage {
	rc, err := c.group(metricsGV)
	if err != nil {
		return memoryUsage{unknown: "metrics API not available"}
	}
	body, err := rc.Get().Namespace(q.namespace).Resource("pods").
		Param("labelSelector", q.selector).Param("limit", strconv.Itoa(listLimit)).Stream(ctx)
	switch {
	case apierrors.IsForbidden(err):
		return memoryUsage{unknown: "metrics API: not allowed"}
	case err != nil:
		return memoryUsage{unknown: "metrics API not available"}
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, maxMetricsBytes+1))
	var l podMetricsList
	if err == nil && len(data) > maxMetricsBytes {
		err = fmt.Errorf("over %d MB", maxMetricsBytes>>20)
	}
	if err == nil {
		err = json.Unmarshal(data, &l)
	}
	if err != nil {
		return memoryUsage{unknown: "metrics API answer unreadable"}
	}
	u := memoryUsage{byContainer: map[string]resource.Quantity{}}
	for _, p := range l.Items {
		for _, ct := range p.Containers {
			if m, ok := ct.Usage[string(corev1.ResourceMemory)]; ok {
				u.byContainer[p.Metadata.Namespace+"/"+p.Metadata.Name+"/"+ct.Name] = m
			}
		}
	}
	return u
}

// bytesIn is a memory quantity as people read it: 241Mi, 1.5Gi.
func bytesIn(q resource.Quantity) string {
	const mi, gi = 1 << 20, 1 << 30
	switch b := q.Value(); {
	case b >= gi:
		return strconv.FormatFloat(float64(b)/gi, 'f', 1, 64) + "Gi"
	case b >= mi:
		return strconv.FormatInt((b+mi/2)/mi, 10) + "Mi"
	case b >= 1<<10:
		return strconv.FormatInt(b>>10, 10) + "Ki"
	default:
		return strconv.FormatInt(b, 10) + "B"
	}
}
