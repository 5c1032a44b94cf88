package scaffold

import (
	"context"
	"fmt"
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
		if id == "notification:send" {
			return &skippedLocally{"Skipped: notifications go through a Backstage server; this run's result stays in Callboard's history"}
		}
		host, _, _ := strings.Cut(id, ":")
		return &skippedLocally{fmt.Sprintf("Skipped: %s changes the repository on %s, which a local run does not reach; do it there once the project is pushed", id, host)}
	}
}
