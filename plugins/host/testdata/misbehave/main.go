// Command misbehave is a plugin for the host's tests that misbehaves the
// way its first argument says; its name is that argument.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

func main() {
	mode := os.Args[1]
	switch mode {
	case "crash-at-start":
		fmt.Fprintln(os.Stderr, "panic: cannot read my configuration")
		os.Exit(3)
	case "garbage":
		fmt.Println("hello, I am not a plugin")
		time.Sleep(200 * time.Millisecond)
		return
	case "slow-start":
		time.Sleep(time.Hour)
	case "protocol-2":
		handshake := sdk.Handshake
		handshake.ProtocolVersion = 2
		plugin.Serve(&plugin.ServeConfig{HandshakeConfig: handshake, Plugins: plugin.PluginSet{sdk.PluginKey: &sdk.GRPCPlugin{}}, GRPCServer: plugin.DefaultGRPCServer})
		return
	case "unwatched":
		// Serves without the sdk, so without its watch for the host's end.
		plugin.Serve(&plugin.ServeConfig{HandshakeConfig: sdk.Handshake, Plugins: plugin.PluginSet{sdk.PluginKey: &sdk.GRPCPlugin{Impl: describer{}}}, GRPCServer: plugin.DefaultGRPCServer})
		return
	case "crash-once":
		// The first start exits on its first call; the next one works.
		if _, err := os.Stat("crashed-once"); err != nil {
			os.WriteFile("crashed-once", nil, 0o644)
			mode = "crash-mid-call"
		}
	}
	sdk.Serve(sdk.Plugin{
		Name: os.Args[1], Version: "0.0.1",
		Config: []*pluginv1.ConfigField{{Key: "token", Title: "Token", Secret: true}, {Key: "greeting", Title: "Greeting"}},
		Actions: []sdk.Action{{
			ID: os.Args[1] + ":greet", Description: "writes hello.txt", InputSchema: `{"type":"object","properties":{"name":{"type":"string"}}}`,
			Run: func(ctx context.Context, req sdk.ActionRequest) error {
				var in struct{ Name string }
				if err := json.Unmarshal(req.Input, &in); err != nil {
					return err
				}
				if in.Name == "" {
					return errors.New("input name: missing")
				}
				req.Log("greeting %s", in.Name)
				if !req.DryRun {
					if err := os.WriteFile(filepath.Join(req.Workspace, "hello.txt"), []byte("Hello, "+in.Name+"\n"), 0o644); err != nil {
						return err
					}
				}
				return req.Output("file", map[string]any{"path": "hello.txt", "size": 7 + len(in.Name)})
			},
		}},
		EntityContent: &sdk.EntityContent{
			Applies: []*pluginv1.Selector{{Kind: "Component"}},
			Render: func(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.View, error) {
				switch mode {
				case "crash-mid-call":
					panic("lost my mind")
				case "hang":
					<-ctx.Done()
					time.Sleep(time.Hour)
				case "error":
					return nil, errors.New("the cluster said no")
				case "huge":
					var views []*pluginv1.View
					for i := range 21 {
						views = append(views, sdk.Card(fmt.Sprint(i), "Card"))
					}
					return views, nil
				case "nameless":
					return []*pluginv1.View{{Id: "x"}}, nil
				case "peek":
					// What any plugin can read of the app: its starting
					// environment, through /proc.
					parent, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", os.Getppid()))
					if err != nil {
						return nil, err
					}
					return []*pluginv1.View{sdk.Card("peek", "Peek", sdk.KeyValues(sdk.KV("parent", strings.ReplaceAll(string(parent), "\x00", "\n")), sdk.KV("own", strings.Join(os.Environ(), "\n"))))}, nil
				case "noisy":
					// 500 lines of 128 KB on stderr, then one to say it is
					// done, while the call is answered.
					go func() {
						line := strings.Repeat("x", 128<<10)
						for i := range 500 {
							fmt.Fprintf(os.Stderr, "%03d %s\n", i, line)
						}
						fmt.Fprintln(os.Stderr, "noisy done")
					}()
				case "bad-chart":
					// More points than the window's chart draws: its drawing
					// code throws, and the card must say so alone.
					s := &pluginv1.Series{Name: "noise"}
					for i := range 6000 {
						s.Points = append(s.Points, &pluginv1.Point{Label: fmt.Sprint("p", i), Value: float64(i % 7)})
					}
					return []*pluginv1.View{sdk.Card("chart", "Bad chart", sdk.Chart("Too many points", pluginv1.ChartKind_CHART_LINE, "", s))}, nil
				}
				fmt.Fprintln(os.Stderr, "rendering", req.Entity.Metadata.Name)
				greeting := req.Config["greeting"]
				if greeting == "" {
					greeting = "Hello"
				}
				return []*pluginv1.View{sdk.Card("hello", "Hello", sdk.Markdown(greeting+", "+req.Entity.Metadata.Name), sdk.KeyValues(sdk.KV("clone", req.ClonePath), sdk.KV("token", req.Secrets["token"]), sdk.KV("env", os.Getenv("CALLBOARD_GIT_TOKEN"))),
					sdk.Buttons(sdk.ViewAction("log", "Show log", map[string]string{"lines": "2"}), sdk.Dangerous(sdk.ViewAction("forget", "Forget", nil), "Forget "+req.Entity.Metadata.Name+"?")))}, nil
			},
			Action: viewAction(mode),
		},
		ProvideEntities: provideEntities(mode),
		SearchDocuments: searchDocuments(mode),
		Facts:           facts(mode),
	})
}

// provideEntities, in mode provider, returns two good catalog files and
// one whose owner is not a string; it crashes mid-call while a file
// named crash-now is in its folder.
func provideEntities(mode string) func(context.Context, sdk.Request) ([]*pluginv1.File, error) {
	if mode != "provider" {
		return nil
	}
	comp := func(name, desc string) []byte {
		return []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\n  description: " + desc +
			"\nspec:\n  type: service\n  lifecycle: production\n  owner: guests\n")
	}
	return func(ctx context.Context, req sdk.Request) ([]*pluginv1.File, error) {
		if _, err := os.Stat("crash-now"); err == nil {
			panic("lost my mind")
		}
		return []*pluginv1.File{
			{Path: "services/discovered-payments.yaml", Content: comp("discovered-payments", "Found listening on port 8443")},
			{Path: "services/discovered-ledger.yaml", Content: comp("discovered-ledger", "Found listening on port 9000")},
			{Path: "services/broken.yaml", Content: []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: discovered-broken\nspec:\n  type: service\n  lifecycle: production\n  owner: [not, a, string]\n")},
		}, nil
	}
}

// searchDocuments, in mode provider, returns two documents, one about an
// entity it provides with a type and tags, the other as a plugin of an
// older minor version sends it, without.
func searchDocuments(mode string) func(context.Context, sdk.Request) ([]*pluginv1.SearchDocument, error) {
	if mode != "provider" {
		return nil
	}
	return func(ctx context.Context, req sdk.Request) ([]*pluginv1.SearchDocument, error) {
		return []*pluginv1.SearchDocument{
			{Id: "runbook-payments", Title: "Runbook: restarting discovered-payments", Text: "Drain the quokka queue first, then restart the pods one by one.",
				Url: "https://runbooks.example.com/payments", EntityRef: "component:discovered-payments",
				Type: " Runbook ", Tags: []string{"Payments", "ops", "payments", strings.Repeat("x", 65)}},
			{Id: "oncall", Title: "On-call handbook", Text: "Who answers the pager at night, and how to hand over.", Url: "https://runbooks.example.com/oncall"},
		}, nil
	}
}

// viewAction answers the buttons of the Hello card: log shows lines and
// a section (with terminal escapes the host drops) and offers the next page;
// forget says it forgot. In mode no-actions the plugin serves none, as
// one built before view actions; in crash-action it crashes.
func viewAction(mode string) func(context.Context, sdk.ViewActionRequest) ([]*pluginv1.Block, error) {
	if mode == "no-actions" {
		return nil
	}
	return func(ctx context.Context, req sdk.ViewActionRequest) ([]*pluginv1.Block, error) {
		if mode == "crash-action" {
			panic("lost my mind in an action")
		}
		switch req.ID {
		case "log":
			var lines []string
			for i := range len(req.Parameters["lines"]) + 1 {
				lines = append(lines, fmt.Sprintf("\x1b[31mline %d\x1b[0m of %s", i+1, req.Entity.Metadata.Name))
			}
			log := sdk.Log("log", lines, false)
			log.GetLog().Sections = []*pluginv1.LogSection{{Title: "\x1b[1mRun tests\x1b[0m", Lines: []string{"ok\a", "bell \a"}, Status: pluginv1.Status_STATUS_ERROR, Open: true}}
			return []*pluginv1.Block{log, sdk.Buttons(sdk.ViewAction("log", "More", map[string]string{"lines": req.Parameters["lines"] + "2"}))}, nil
		case "forget":
			return []*pluginv1.Block{sdk.Notice("Forgot "+req.Entity.Metadata.Name+".", pluginv1.Status_STATUS_OK)}, nil
		}
		return nil, fmt.Errorf("no action %q", req.ID)
	}
}

// describer is a plugin that only describes itself.
type describer struct {
	pluginv1.UnimplementedPluginServer
}

func (describer) Describe(context.Context, *pluginv1.DescribeRequest) (*pluginv1.Manifest, error) {
	return &pluginv1.Manifest{Name: "unwatched", Version: "0.0.1"}, nil
}
