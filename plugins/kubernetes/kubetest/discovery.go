package kubetest

import (
	"encoding/json"
	"net/http"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// resources are the kinds a Server serves, by group/version ("v1" for
// the core group), for discovery: kubectl asks it before anything else.
var resources = map[string][]metav1.APIResource{
	"v1": {
		{Name: "pods", Namespaced: true, Kind: "Pod", Verbs: metav1.Verbs{"get", "list"}, ShortNames: []string{"po"}},
		{Name: "pods/log", Namespaced: true, Kind: "Pod", Verbs: metav1.Verbs{"get"}},
		{Name: "events", Namespaced: true, Kind: "Event", Verbs: metav1.Verbs{"list"}, ShortNames: []string{"ev"}},
		{Name: "services", Namespaced: true, Kind: "Service", Verbs: metav1.Verbs{"list"}, ShortNames: []string{"svc"}},
	},
	"apps/v1": {
		{Name: "deployments", Namespaced: true, Kind: "Deployment", Verbs: metav1.Verbs{"list", "patch"}, ShortNames: []string{"deploy"}},
		{Name: "statefulsets", Namespaced: true, Kind: "StatefulSet", Verbs: metav1.Verbs{"list"}, ShortNames: []string{"sts"}},
		{Name: "daemonsets", Namespaced: true, Kind: "DaemonSet", Verbs: metav1.Verbs{"list"}, ShortNames: []string{"ds"}},
	},
	"autoscaling/v2":         {{Name: "horizontalpodautoscalers", Namespaced: true, Kind: "HorizontalPodAutoscaler", Verbs: metav1.Verbs{"list"}, ShortNames: []string{"hpa"}}},
	"batch/v1":               {{Name: "cronjobs", Namespaced: true, Kind: "CronJob", Verbs: metav1.Verbs{"list"}}, {Name: "jobs", Namespaced: true, Kind: "Job", Verbs: metav1.Verbs{"list"}}},
	"networking.k8s.io/v1":   {{Name: "ingresses", Namespaced: true, Kind: "Ingress", Verbs: metav1.Verbs{"list"}, ShortNames: []string{"ing"}}},
	"metrics.k8s.io/v1beta1": {{Name: "pods", Namespaced: true, Kind: "PodMetrics", Verbs: metav1.Verbs{"list"}}},
}

// serveDiscovery answers the legacy discovery documents (/api, /apis,
// /api/v1, /apis/GROUP/VERSION); false for other paths.
func serveDiscovery(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet {
		return false
	}
	var doc any
	switch p := strings.TrimSuffix(r.URL.Path, "/"); {
	case p == "/api":
		doc = metav1.APIVersions{TypeMeta: metav1.TypeMeta{Kind: "APIVersions"}, Versions: []string{"v1"},
			ServerAddressByClientCIDRs: []metav1.ServerAddressByClientCIDR{{ClientCIDR: "0.0.0.0/0", ServerAddress: r.Host}}}
	case p == "/apis":
		list := metav1.APIGroupList{TypeMeta: metav1.TypeMeta{Kind: "APIGroupList", APIVersion: "v1"}}
		for gv := range resources {
			if group, version, ok := strings.Cut(gv, "/"); ok {
				v := metav1.GroupVersionForDiscovery{GroupVersion: gv, Version: version}
				list.Groups = append(list.Groups, metav1.APIGroup{Name: group, Versions: []metav1.GroupVersionForDiscovery{v}, PreferredVersion: v})
			}
		}
		doc = list
	case p == "/api/v1" || strings.HasPrefix(p, "/apis/") && strings.Count(p, "/") == 3:
		gv := strings.TrimPrefix(strings.TrimPrefix(p, "/api/"), "/apis/")
		rs, ok := resources[gv]
		if !ok {
			return false
		}
		doc = metav1.APIResourceList{TypeMeta: metav1.TypeMeta{Kind: "APIResourceList", APIVersion: "v1"}, GroupVersion: gv, APIResources: rs}
	default:
		return false
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(doc)
	return true
}
