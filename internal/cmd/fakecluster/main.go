// Command fakecluster serves, on loopback, the Kubernetes cluster and the
// GitHub Actions of the demo's booking service, for the browser e2e and
// for trying the kubernetes and ci plugins with `make demo-fixtures`: an
// API server over TLS (plugins/kubernetes/kubetest) with a deployment
// whose pods crash-loop and are OOMKilled, their logs, events and
// metrics, and a rollout restart; and a red workflow run with its jobs,
// a failed job's log in steps, and re-running failed jobs. It writes a
// kubeconfig pointing at the cluster (-kubeconfig, else a temporary
// file); -github and -token keep the GitHub API's address and token from
// one start to the next. It prints "fakecluster KUBECONFIG GITHUB_API
// TOKEN CONTROL" (the kubeconfig's path, the GitHub API's URL and the
// token it wants, and a control server whose GET /requests tells what
// the fixtures were asked to change, whose POST /append-log writes a
// line to a container's log and whose POST /add-event adds an event of a
// pod, seen by watches at once), then serves until interrupted.
// Test-only: go run ./internal/cmd/fakecluster.
package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/callboard/callboard/internal/fakehost"
	"github.com/callboard/callboard/plugins/kubernetes/kubetest"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "where to write the kubeconfig (default: a temporary file, removed at exit)")
	github := flag.String("github", "", "the loopback address of the GitHub API, e.g. 127.0.0.1:7391 (default: a free port)")
	ghToken := flag.String("token", "", "the token the GitHub API wants (default: a random one)")
	flag.Parse()
	os.Exit(fakehost.Run("fakecluster", func(h *fakehost.Host) {
		now := time.Now()
		kube := kubetest.NewServer(h, "kube-"+rand.Text(), cluster(now))
		path := *kubeconfig
		if path == "" {
			path = filepath.Join(h.TempDir(), "kubeconfig")
		}
		if err := writeKubeconfig(path, kube); err != nil {
			h.Fatal(err)
		}
		token := *ghToken
		if token == "" {
			token = "ghp_" + rand.Text()
		}
		if host, _, err := net.SplitHostPort(*github); *github != "" && (err != nil || host != "127.0.0.1") {
			h.Fatalf("-github %q: give a loopback address, 127.0.0.1:PORT", *github)
		}
		gh, api := newActions(h, *github, token, now)
		fmt.Printf("fakecluster %s %s %s %s\n", path, api.URL, token, serveControl(h, kube, gh))
		fmt.Fprintf(os.Stderr, "fakecluster: in Callboard's Settings, Plugins: kubernetes' Kubeconfig %s; ci's GitHub API URL %s and GitHub token %s. "+
			"The demo's booking-service shows them. Ctrl-C stops.\n", path, api.URL, token)
	}))
}
