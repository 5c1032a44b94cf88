package kubernetes

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// kubeconfig is the user's kubeconfig, merged from its files.
type kubeconfig struct {
	cfg   *clientcmdapi.Config
	rules *clientcmd.ClientConfigLoadingRules
}

// kubeconfigFiles are the files to read: the path set in Settings (which
// must exist), else those of $KUBECONFIG, else ~/.kube/config.
func (r *renderer) kubeconfigFiles(setting string) (explicit string, files []string) {
	if setting = strings.TrimSpace(setting); setting != "" {
		if rest, ok := strings.CutPrefix(setting, "~"+string(filepath.Separator)); ok {
			if home, err := r.homeDir(); err == nil {
				setting = filepath.Join(home, rest)
			}
		}
		return setting, []string{setting}
	}
	if env := r.getenv(clientcmd.RecommendedConfigPathEnvVar); env != "" {
		for _, f := range filepath.SplitList(env) {
			if f != "" {
				files = append(files, f)
			}
		}
		if len(files) > 0 {
			return "", files
		}
	}
	home, err := r.homeDir()
	if err != nil {
		return "", nil
	}
	return "", []string{filepath.Join(home, clientcmd.RecommendedHomeDir, clientcmd.RecommendedFileName)}
}

// loadKubeconfig reads the kubeconfig Settings name. Its error wraps
// errNoKubeconfig when none of the files is there.
func (r *renderer) loadKubeconfig(setting string) (*kubeconfig, error) {
	explicit, files := r.kubeconfigFiles(setting)
	found := slices.ContainsFunc(files, func(f string) bool {
		_, err := os.Stat(f)
		return err == nil
	})
	if !found {
		if len(files) == 0 {
			return nil, fmt.Errorf("%w: no home folder to look for ~/.kube/config in", errNoKubeconfig)
		}
		return nil, fmt.Errorf("%w: looked for %s", errNoKubeconfig, strings.Join(files, ", "))
	}
	// The rules also persist refreshed auth-provider tokens back to the
	// file, as kubectl does; nothing else is written.
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: explicit}
	if explicit == "" {
		rules.Precedence = files
	}
	cfg, err := rules.Load()
	if err != nil {
		return nil, fmt.Errorf("read kubeconfig: %w", err)
	}
	return &kubeconfig{cfg: cfg, rules: rules}, nil
}

// contexts are the contexts to look in: those Settings name (in order,
// without repeats), else the current one. Its error wraps errNoContext.
func (k *kubeconfig) contexts(setting string) ([]string, error) {
	var names []string
	for n := range strings.SplitSeq(setting, ",") {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		return names, nil
	}
	if k.cfg.CurrentContext == "" {
		return nil, fmt.Errorf("%w: the kubeconfig has no current context (it has %s)", errNoContext, k.contextList())
	}
	return []string{k.cfg.CurrentContext}, nil
}

// contextList names the kubeconfig's contexts for a message.
func (k *kubeconfig) contextList() string {
	if len(k.cfg.Contexts) == 0 {
		return "no contexts"
	}
	names := make([]string, 0, len(k.cfg.Contexts))
	for n := range k.cfg.Contexts {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// server is the API server address of a context, "" when it has none.
func (k *kubeconfig) server(name string) string {
	c, ok := k.cfg.Contexts[name]
	if !ok {
		return ""
	}
	if cl, ok := k.cfg.Clusters[c.Cluster]; ok {
		return cl.Server
	}
	return ""
}

// restConfig is the client configuration of one context. Its error wraps
// errUnknownContext when the kubeconfig has no such context.
func (k *kubeconfig) restConfig(name string) (*rest.Config, error) {
	if _, ok := k.cfg.Contexts[name]; !ok {
		return nil, fmt.Errorf("%w (it has %s)", errUnknownContext, k.contextList())
	}
	cfg, err := clientcmd.NewNonInteractiveClientConfig(*k.cfg, name, &clientcmd.ConfigOverrides{}, k.rules).ClientConfig()
	if err != nil {
		if clientcmd.IsEmptyConfig(err) {
			return nil, errors.New("its cluster has no server")
		}
		return nil, err
	}
	return cfg, nil
}
