package scaffold

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// remoteOnly are Backstage actions that change a repository's host or
// reach a Backstage server, not the files of the project: a local run has
// nothing of theirs to do. They are skipped with a line saying so rather
// than refusing the template, so that the golden paths teams already
// have still scaffold.
var remoteOnly = []string{
	"github:actions:dispatch",
	"github:autolinks:create",
	"github:branch-protection:create",
	"github:deployKey:create",
	"github:environment:create",
	"github:issues:label",
	"github:pages:enable",
	"github:webhook",
	"gitlab:group:ensureExists",
	"gitlab:issues:create",
	"gitlab:pipeline:trigger",
	"gitlab:projectAccessToken:create",
	"gitlab:projectDeployToken:create",
	"gitlab:projectVariable:create",
	"notification:send",
}

// skippedLocally is what a remote-only action returns: the step ends
// skipped, with why in its log.
type skippedLocally struct{ why string }

func (s *skippedLocally) Error() string { return s.why }

func skipRemote(id string) func(context.Context, *Context) error {
	return func(context.Context, *Context) error {
		return &skippedLocally{skipReason(id)}
	}
}

// skipReason is the line a remote-only action's step logs when it is
// skipped, saying why.
func skipReason(id string) string {
	if id == "notification:send" {
		return "Skipped: notifications go through a Backstage server; this run's result stays in Callboard's history"
	}
	host, _, _ := strings.Cut(id, ":")
	return fmt.Sprintf("Skipped: %s changes the repository on %s, which a local run does not reach; do it there once the project is pushed", id, host)
}

// ServerOnly are Backstage actions Callboard cannot run on a laptop, and
// why; a plugin may add any of them (the actions extension point).
var ServerOnly = []struct{ ID, Why string }{
	{"http:backstage:request", "it calls a Backstage backend's API, and Callboard has no Backstage server"},
	{"argocd:create-resources", "it creates Argo CD applications through the Argo CD server's API"},
	{"kube:apply", "it applies manifests to a Kubernetes cluster"},
	{"github:repo:create", "it creates a repository through GitHub's API; publish:github makes the repository locally and pushes it"},
	{"github:repo:push", "it pushes through GitHub's API with a server's credentials; publish:github pushes from this machine"},
	{"gitlab:repo:push", "it pushes through GitLab's API with a server's credentials; publish:gitlab pushes from this machine"},
	{"confluence:transform:markdown", "it reads pages from a Confluence server"},
	{"sentry:project:create", "it creates a project through Sentry's API"},
}

// SkipsHere says whether id is a remote-only action, whose step is
// skipped here.
func SkipsHere(id string) bool { return slices.Contains(remoteOnly, id) }
