package kubernetes

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

func TestKubeconfigFiles(t *testing.T) {
	t.Parallel()
	home := filepath.FromSlash("/home/ada")
	tests := []struct {
		name, setting, env string
		wantExplicit       string
		wantFiles          []string
	}{
		{"default", "", "", "", []string{filepath.Join(home, ".kube", "config")}},
		{"env list", "", "/a/one" + string(os.PathListSeparator) + string(os.PathListSeparator) + "/b/two", "", []string{"/a/one", "/b/two"}},
		{"setting wins", " /etc/kube.yaml ", "/a/one", "/etc/kube.yaml", []string{"/etc/kube.yaml"}},
		{"setting in home", "~/clusters/dev.yaml", "", filepath.Join(home, "clusters", "dev.yaml"), []string{filepath.Join(home, "clusters", "dev.yaml")}},
	}
	for _, tt := range tests {
		r := &renderer{
			getenv:  func(k string) string { return map[string]string{"KUBECONFIG": tt.env}[k] },
			homeDir: func() (string, error) { return home, nil },
		}
		explicit, files := r.kubeconfigFiles(tt.setting)
		if explicit != tt.wantExplicit || !cmp.Equal(files, tt.wantFiles) {
			t.Errorf("%s: got %q %q, want %q %q", tt.name, explicit, files, tt.wantExplicit, tt.wantFiles)
		}
	}
}

func TestLoadKubeconfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	cfg := clientcmdapi.Config{
		Clusters:  map[string]*clientcmdapi.Cluster{"a": {Server: "https://a.example:6443"}, "b": {Server: "https://b.example:6443"}},
		AuthInfos: map[string]*clientcmdapi.AuthInfo{"me": {Token: "t"}},
		Contexts:  map[string]*clientcmdapi.Context{"a": {Cluster: "a", AuthInfo: "me"}, "b": {Cluster: "b", AuthInfo: "me"}},
	}
	if err := clientcmd.WriteToFile(cfg, path); err != nil {
		t.Fatal(err)
	}
	r := &renderer{getenv: func(string) string { return "" }, homeDir: func() (string, error) { return dir, nil }}

	if _, err := r.loadKubeconfig(filepath.Join(dir, "missing.yaml")); !errors.Is(err, errNoKubeconfig) {
		t.Errorf("a missing path set in Settings: got %v, want errNoKubeconfig", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("clusters: [oops"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := r.loadKubeconfig(filepath.Join(dir, "broken.yaml")); err == nil || errors.Is(err, errNoKubeconfig) {
		t.Errorf("a broken file: got %v, want a read error", err)
	}

	kc, err := r.loadKubeconfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kc.contexts(""); !errors.Is(err, errNoContext) {
		t.Errorf("no current context, none set: got %v, want errNoContext", err)
	}
	got, err := kc.contexts(" b, a,,b ")
	if err != nil || !cmp.Equal(got, []string{"b", "a"}) {
		t.Errorf("contexts set: got %q, %v; want [b a]", got, err)
	}
	if rc, err := kc.restConfig("b"); err != nil || rc.Host != "https://b.example:6443" || rc.BearerToken != "t" {
		t.Errorf("restConfig(b): got %+v, %v", rc, err)
	}
	if _, err := kc.restConfig("c"); !errors.Is(err, errUnknownContext) {
		t.Errorf("restConfig(c): got %v, want errUnknownContext", err)
	}
}
