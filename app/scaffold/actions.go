package scaffold

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
)

// Host is what actions need from the portal: the catalog, and what fetch
// URLs name outside the template's own repository.
type Host interface {
	// Entity returns an entity's document by ref, or false.
	Entity(ctx context.Context, ref string) (any, bool, error)
	// Folder returns the folder an absolute URL names (a forge's tree URL,
	// …/tree/REF/PATH), File the file (…/blob/REF/PATH, a raw file URL):
	// from a repository Callboard syncs, fetched, or the copy kept from an
	// earlier fetch when the server cannot be asked.
	Folder(ctx context.Context, url string) (Fetched, error)
	File(ctx context.Context, url string) (Fetched, error)
}

// Fetched is what a fetch URL named.
type Fetched struct {
	// Files holds it; Path is the folder or file in Files ("" for the
	// root of a repository).
	Files catalog.Files
	Path  string
	// Location, when set, is the location whose clone it was read from,
	// without the network.
	Location string
	// Commit is the folder's commit, when it is one.
	Commit string
	// ReadAt is when its server last gave or confirmed it; Stale, when
	// set, says why the server could not be asked now, so the copy kept
	// from ReadAt is used.
	ReadAt time.Time
	Stale  error
}

// Action is a step's action. Every built-in one runs in a dry run too:
// they touch only the workspace, and publish:* and catalog:register then
// compute their outputs without committing or registering anything.
type Action struct {
	ID string
	// Description says what the action does, as Backstage's installed
	// actions page shows it.
	Description string
	// InputSchema and OutputSchema are JSON Schemas, as JSON text ("" when
	// the action declares none).
	InputSchema, OutputSchema string
	// Examples are YAML steps that use the action.
	Examples []string
	Run      func(ctx context.Context, c *Context) error
}

// Context is what an action gets: its rendered input, the workspace, the
// template, who runs it, and where its log and outputs go.
type Context struct {
	Input     any
	Workspace *Workspace
	Template  *Template
	User      User
	TaskID    string
	DryRun    bool
	// Target is the folder the project will be in ("" in a dry run).
	Target  string
	Logf    func(format string, args ...any)
	output  func(name string, v any)
	host    Host
	filters map[string]nunjucks.Filter
	result  *Result
	// checkRemote is Request.CheckRemote.
	checkRemote func(ctx context.Context, host string) error
}

// Output sets one of the step's outputs.
func (c *Context) Output(name string, v any) { c.output(name, v) }

func builtins() []Action {
	actions := []Action{
		{ID: "fetch:template", Run: fetchTemplate},
		{ID: "fetch:template:file", Run: fetchTemplateFile},
		{ID: "fetch:cookiecutter", Run: fetchCookiecutter},
		{ID: "fetch:plain", Run: fetchPlain},
		{ID: "fetch:plain:file", Run: fetchPlainFile},
		{ID: "fs:rename", Run: fsRename},
		{ID: "fs:delete", Run: fsDelete},
		{ID: "fs:readdir", Run: fsReaddir},
		{ID: "debug:log", Run: debugLog},
		{ID: "debug:wait", Run: debugWait},
		{ID: "catalog:fetch", Run: catalogFetch},
		{ID: "catalog:write", Run: catalogWrite},
		{ID: "catalog:register", Run: catalogRegister},
		{ID: "publish:github", Run: publish("publish:github")},
		{ID: "publish:gitlab", Run: publish("publish:gitlab")},
		{ID: "publish:bitbucket", Run: publish("publish:bitbucket")},
		{ID: "publish:bitbucketCloud", Run: publish("publish:bitbucketCloud")},
		{ID: "publish:bitbucketServer", Run: publish("publish:bitbucketServer")},
		{ID: "publish:azure", Run: publish("publish:azure")},
		{ID: "publish:gerrit", Run: publish("publish:gerrit")},
		{ID: "publish:gitea", Run: publish("publish:gitea")},
		{ID: "publish:github:pull-request", Run: publishChange("publish:github:pull-request")},
		{ID: "publish:gitlab:merge-request", Run: publishChange("publish:gitlab:merge-request")},
		{ID: "publish:bitbucketServer:pull-request", Run: publishChange("publish:bitbucketServer:pull-request")},
		{ID: "publish:azure:pull-request", Run: publishChange("publish:azure:pull-request")},
	}
	actions = append(actions, roadieActions()...)
	for _, id := range remoteOnly {
		actions = append(actions, Action{ID: id, Description: skipReason(id), Run: skipRemote(id)})
	}
	for i := range actions {
		fillDoc(&actions[i])
	}
	return actions
}

// debug:log writes its message, the extra value and, when asked, the
// workspace's files to the log.
func debugLog(_ context.Context, c *Context) error {
	msg, err := str(c.Input, "message")
	if err != nil {
		return err
	}
	if msg != "" {
		c.Logf("%s", msg)
	}
	if extra, ok := get(c.Input, "extra"); ok && extra != nunjucks.Undefined {
		b, _ := json.MarshalIndent(extra, "", "  ")
		c.Logf("%s", b)
	}
	list, _ := get(c.Input, "listWorkspace")
	mode, _ := list.(string)
	if list == true || mode != "" {
		entries, err := c.Workspace.List(".", true)
		if err != nil {
			return err
		}
		c.Logf("Workspace:")
		for _, e := range entries {
			if e.Dir {
				continue
			}
			c.Logf("  - %s", e.Path)
			if mode == "with-contents" && e.Mode.IsRegular() {
				// More than a step's log budget would be cut anyway.
				data, err := c.Workspace.readHead(e.Path, maxStepLog)
				if err == nil && !isBinary(data) {
					for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
						c.Logf("      %s", l)
					}
				}
			}
		}
	}
	return nil
}

// maxWait is the longest debug:wait Backstage allows.
const maxWait = 10 * time.Minute

// debug:wait pauses (cancellable).
func debugWait(ctx context.Context, c *Context) error {
	var d time.Duration
	for key, unit := range map[string]time.Duration{"minutes": time.Minute, "seconds": time.Second, "milliseconds": time.Millisecond} {
		if v, ok := get(c.Input, key); ok {
			n, ok := v.(float64)
			if !ok || n < 0 {
				return inputErr(key, "want a number of %s", key)
			}
			d += time.Duration(n * float64(unit))
		}
	}
	if d > maxWait {
		return fmt.Errorf("waiting %s: at most %s", d, maxWait)
	}
	c.Logf("Waiting %s", d)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
