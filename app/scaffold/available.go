package scaffold

import (
	"fmt"
	"strings"
)

// Unavailable is a step whose action the runner does not have (neither
// built in nor from an installed plugin). The template still opens and a
// dry run skips the step; a real run is refused before it starts.
type Unavailable struct {
	// Index is the step's place in spec.steps, from 0.
	Index  int
	Step   Step
	Reason string
}

// needsServer are the prefixes of action ids that work against a
// Backstage server or a service's API rather than the project's files;
// Callboard leaves them to plugins.
var needsServer = []string{
	"http:backstage:", "argocd:", "kube:", "kubernetes:", "jira:", "confluence:", "sonarqube:",
	"servicenow:", "quay:", "pagerduty:", "slack:", "ms-teams:", "azure:", "github:repo:", "gitlab:repo:",
	"gitlab:group:", "bitbucket:", "gerrit:", "aws:", "gcp:", "terraform:", "vault:",
}

// Unavailable lists t's steps whose action the runner lacks, in order,
// with why.
func (r *Runner) Unavailable(t Template) []Unavailable {
	var out []Unavailable
	for i, s := range t.Steps {
		if _, ok := r.actions[s.Action]; ok {
			continue
		}
		out = append(out, Unavailable{Index: i, Step: s, Reason: unavailableReason(s.Action)})
	}
	return out
}

// unavailableReason says why a step cannot run: what the action does, for
// the Backstage actions the actions page explains (ServerOnly), else
// whether its kind needs a server.
func unavailableReason(action string) string {
	for _, a := range ServerOnly {
		if a.ID == action {
			return fmt.Sprintf("action %s is not installed: %s; a plugin can provide it", action, a.Why)
		}
	}
	for _, p := range needsServer {
		if strings.HasPrefix(action, p) {
			return fmt.Sprintf("action %s is not installed: it needs a server; a plugin can provide it", action)
		}
	}
	return fmt.Sprintf("action %s is not installed: it is not built in and no installed plugin provides it", action)
}

// Check refuses a real run of a template with steps whose action the
// runner lacks, naming them, before anything runs: a project made
// without them would be silently incomplete. A dry run skips them.
func (r *Runner) Check(t Template) error {
	missing := r.Unavailable(t)
	if len(missing) == 0 {
		return nil
	}
	parts := make([]string, len(missing))
	for i, m := range missing {
		parts[i] = fmt.Sprintf("%s: %s", t.stepAt(m.Index), m.Reason)
	}
	noun := "a step that cannot"
	if len(missing) > 1 {
		noun = fmt.Sprintf("%d steps that cannot", len(missing))
	}
	return fmt.Errorf("the template has %s run here (a dry run skips them): %s", noun, strings.Join(parts, "; "))
}
