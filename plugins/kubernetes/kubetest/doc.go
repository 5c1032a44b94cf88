// Package kubetest serves, over TLS on loopback, the parts of the
// Kubernetes API the kubernetes plugin reads and writes, in their
// documented shapes: for the plugin's tests and for the demo's fake
// cluster (internal/cmd/fakecluster).
package kubetest
