package kubernetes

import "errors"

var (
	// errNoKubeconfig is a kubeconfig that is not there.
	errNoKubeconfig = errors.New("no kubeconfig")
	// errNoContext is a kubeconfig with no current context, with no
	// contexts named in Settings.
	errNoContext = errors.New("no context to look in")
	// errUnknownContext is a context named in Settings that the kubeconfig
	// does not have.
	errUnknownContext = errors.New("context not in the kubeconfig")
)
