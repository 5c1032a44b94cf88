package portal

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// TemplateStep is one step of a template, as the form's review lists it.
type TemplateStep struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Action string `json:"action"`
	// RepoURL is a publish:* step's repoUrl input as written (often
	// `${{ parameters.repoUrl }}`), so the review can say where the new
	// project will be pushed; "" for other steps.
	RepoURL string `json:"repoUrl,omitempty"`
	// Unavailable says why the step cannot run here (its action is not
	// built in and no installed plugin provides it); "" when it can. A
	// dry run skips such steps, a real run is refused.
	Unavailable string `json:"unavailable,omitempty"`
}

// TemplateDetail is what the Create form needs: the parameters (JSON
// Schema pages, in the author's order) and the steps.
type TemplateDetail struct {
	Ref         string          `json:"ref"`
	Title       string          `json:"title"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters"`
	Steps       []TemplateStep  `json:"steps"`
	// Problem says why the template cannot run here: the steps whose
	// actions are not installed, each named in Steps too.
	Problem string `json:"problem,omitempty"`
	// Workspace is the folder new projects go into by default.
	Workspace string `json:"workspace"`
	// TrustedHosts are the git hosts a template may publish to: those of
	// the locations and those trusted in Settings.
	TrustedHosts []string `json:"trustedHosts"`
	// Fetches are the steps that fetch by URL and need the network unless
	// a copy is kept.
	Fetches []TemplateFetch `json:"fetches"`
	// ButtonLabels are the template's spec.presentation.buttonLabels.
	ButtonLabels ButtonLabels `json:"buttonLabels,omitzero"`
}

// ButtonLabels are the texts of the form's buttons a template sets, as
// Backstage's spec.presentation.buttonLabels; absent for the defaults.
type ButtonLabels struct {
	BackButtonText   string `json:"backButtonText,omitempty"`
	CreateButtonText string `json:"createButtonText,omitempty"`
	ReviewButtonText string `json:"reviewButtonText,omitempty"`
}

// templateRuns reads software templates for their form and runs them:
// runs start in the background under the instance's workers, stream
// their progress, push and register what they made, and are kept as a
// history (scaffoldruns.go, scaffoldrecord.go).
type templateRuns struct {
	db      runsStore
	files   filesReader
	git     projectGit
	plugins actionHost
	trust   hostTrust
	users   identifier
	// locations and listing register a new project's catalog file.
	locations locationAdder
	listing   listingRefresher
	workers   Spawner
	events    publisher
	log       *slog.Logger
	dataDir   string
	// version is Callboard's, written into each project's record.
	version string
	runs    runs
	// clones and fetches read what fetch steps name by URL
	// (templatefetch.go); a nil fetches reads only synced locations.
	clones  cloneDirs
	fetches urlFetcher
	// pushes takes applied updates to the projects' remotes; RetryPublish
	// retries them with the first pushes.
	pushes *updatePushes
}

// runsStore reads templates' entities and the settings, and keeps the runs.
type runsStore interface {
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	Location(ctx context.Context, id string) (store.Location, bool, error)
	Locations(ctx context.Context) ([]store.Location, error)
	Settings(ctx context.Context) (store.Settings, error)
	PutRun(ctx context.Context, r store.Run) error
	Run(ctx context.Context, id string) (store.Run, bool, error)
	Runs(ctx context.Context, fn func(store.Run) error) error
	RunsWithStatus(ctx context.Context, statuses ...string) ([]store.Run, error)
}

// projectGit syncs a new project's location and pushes its first branch.
type projectGit interface {
	Sync(ctx context.Context, locationID string) error
	PushNew(ctx context.Context, dir, branch string) error
}

// actionHost runs the plugins' template actions; nil means no plugins.
type actionHost interface {
	Actions(ctx context.Context) []host.Action
	RunAction(ctx context.Context, plugin string, req *pluginv1.RunActionRequest, log func(string)) (map[string]json.RawMessage, error)
}

// hostTrust says which git hosts the user trusts; Trust is the one in use.
type hostTrust interface {
	Hosts(ctx context.Context) ([]string, error)
	TrustsHost(ctx context.Context, host string) (bool, error)
}

// identifier finds who the user is.
type identifier interface {
	identity(ctx context.Context) (Identity, error)
}

// locationAdder registers a location.
type locationAdder interface {
	AddLocation(ctx context.Context, in NewLocation) (Location, error)
}

// listingRefresher brings the catalog table up to date with the store.
type listingRefresher interface {
	refresh(ctx context.Context) error
}

// templateOf loads a catalog template as the catalog stored it, with its
// repository's files for the skeletons.
func (s *templateRuns) templateOf(ctx context.Context, ref string) (scaffold.Template, error) {
	r, err := catalog.ParseRef(ref, "template", catalog.DefaultNamespace)
	if err != nil {
		return scaffold.Template{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := s.db.Entity(ctx, r.String())
	if err != nil {
		return scaffold.Template{}, err
	}
	if !ok || !strings.EqualFold(e.Entity.Kind, "template") {
		return scaffold.Template{}, fmt.Errorf("template %s: %w", r, ErrNotFound)
	}
	src, err := s.templateSource(ctx, e)
	if err != nil {
		return scaffold.Template{}, err
	}
	t, err := scaffold.FromEntity(e.Entity.Raw, src)
	if err != nil {
		return scaffold.Template{}, fmt.Errorf("template %s: %w", r, err)
	}
	return t, nil
}

// runner is a runner with the built-in actions and those of the enabled
// plugins.
func (s *templateRuns) runner(ctx context.Context) *scaffold.Runner {
	r := scaffold.NewRunner(scaffoldHost{s}, nil)
	if s.plugins == nil {
		return r
	}
	for _, a := range s.plugins.Actions(ctx) {
		if err := r.Add(scaffold.Action{ID: a.Spec.GetId(), Run: s.pluginAction(a.Plugin, a.Spec.GetId())}); err != nil {
			s.log.Warn("a plugin's action is left out", "plugin", a.Plugin, "err", err)
		}
	}
	return r
}

// pluginAction runs a plugin's action in the run's workspace: the input
// as JSON, log lines into the step's log, outputs back as values.
func (s *templateRuns) pluginAction(plugin, id string) func(context.Context, *scaffold.Context) error {
	return func(ctx context.Context, c *scaffold.Context) error {
		input, err := json.Marshal(c.Input)
		if err != nil {
			return fmt.Errorf("input: %w", err)
		}
		outputs, err := s.plugins.RunAction(ctx, plugin, &pluginv1.RunActionRequest{ActionId: id, InputJson: string(input), Workspace: c.Workspace.Dir, DryRun: c.DryRun},
			func(line string) { c.Logf("%s", line) })
		if err != nil {
			return fmt.Errorf("plugin %s: %w", plugin, err)
		}
		for name, raw := range outputs {
			v, err := nunjucks.DecodeJSON(raw)
			if err != nil {
				return fmt.Errorf("plugin %s: output %s: %w", plugin, name, err)
			}
			c.Output(name, v)
		}
		return nil
	}
}

// Template answers API.Template.
func (s *templateRuns) Template(ctx context.Context, ref string) (TemplateDetail, error) {
	t, err := s.templateOf(ctx, ref)
	if err != nil {
		return TemplateDetail{}, err
	}
	return s.detail(ctx, t)
}

// detail is t as the form needs it, wherever t was read from (the
// catalog, or a workbench's folder).
func (s *templateRuns) detail(ctx context.Context, t scaffold.Template) (TemplateDetail, error) {
	params, err := json.Marshal(t.Parameters)
	if err != nil {
		return TemplateDetail{}, err
	}
	trusted, err := s.trust.Hosts(ctx)
	if err != nil {
		return TemplateDetail{}, err
	}
	if trusted == nil {
		trusted = []string{} // a list on the wire, not null
	}
	out := TemplateDetail{Ref: t.Ref, Title: cmp.Or(t.Title, t.Name), Description: t.Description, Parameters: params, Steps: []TemplateStep{}, Workspace: s.workspace(ctx),
		TrustedHosts: trusted, ButtonLabels: ButtonLabels{BackButtonText: t.Buttons.Back, CreateButtonText: t.Buttons.Create, ReviewButtonText: t.Buttons.Review}}
	for _, st := range t.Steps {
		out.Steps = append(out.Steps, TemplateStep{ID: st.ID, Name: st.Name, Action: st.Action, RepoURL: st.PushTarget()})
	}
	r := s.runner(ctx)
	for _, u := range r.Unavailable(t) {
		out.Steps[u.Index].Unavailable = u.Reason
	}
	if err := r.Check(t); err != nil {
		out.Problem = err.Error()
	}
	out.Fetches = s.templateFetches(ctx, t)
	return out, nil
}

// workspace is where new projects go: Settings, else ~/src.
func (s *templateRuns) workspace(ctx context.Context) string {
	if st, err := s.db.Settings(ctx); err == nil && st.Workspace != "" {
		return st.Workspace
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, "src")
}

// scaffoldHost gives actions the catalog, and what fetch URLs name
// (templatefetch.go).
type scaffoldHost struct{ s *templateRuns }

func (h scaffoldHost) Entity(ctx context.Context, ref string) (any, bool, error) {
	e, ok, err := h.s.db.Entity(ctx, ref)
	if err != nil || !ok {
		return nil, ok, err
	}
	b, err := json.Marshal(e.Entity.Raw)
	if err != nil {
		return nil, false, err
	}
	v, err := nunjucks.DecodeJSON(b)
	return v, err == nil, err
}
