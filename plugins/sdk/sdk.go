// Package sdk is what a Callboard plugin imports: fill in a Plugin and call
// Serve from main. Callboard starts the program, shakes hands over
// hashicorp/go-plugin and calls it over gRPC (the protocol is
// plugins/pluginv1/plugin.proto); the builders in view.go make the cards and
// tabs it shows.
//
// A minimal plugin:
//
//	func main() {
//		sdk.Serve(sdk.Plugin{
//			Name: "hello", Version: "1.0.0",
//			EntityContent: &sdk.EntityContent{
//				Applies: []*pluginv1.Selector{{Kind: "Component"}},
//				Render: func(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.View, error) {
//					return []*pluginv1.View{sdk.Card("hello", "Hello", sdk.Markdown("Hi, **"+req.Entity.Metadata.Name+"**"))}, nil
//				},
//			},
//		})
//	}
package sdk

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// ProtocolVersion is the version of plugins/pluginv1 this SDK speaks. The
// host refuses a plugin of another version at the handshake.
const ProtocolVersion = 1

// Handshake is the handshake host and plugins share. The cookie only tells
// a plugin program that Callboard started it; it is no security measure.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "CALLBOARD_PLUGIN",
	MagicCookieValue: "b1c6f1f4-callboard-plugin",
}

// PluginKey is the name the plugin is dispensed under.
const PluginKey = "callboard"

// Plugin is a plugin: its identity and the extension points it serves
// (leave the others nil).
type Plugin struct {
	Name        string
	Version     string
	Description string
	// Config lists the settings the plugin reads, shown in Settings.
	Config        []*pluginv1.ConfigField
	EntityContent *EntityContent
	Actions       []Action
	// ProvideEntities returns catalog files to add to the catalog.
	ProvideEntities func(ctx context.Context, req Request) ([]*pluginv1.File, error)
	// SearchDocuments returns documents to add to the search index.
	SearchDocuments func(ctx context.Context, req Request) ([]*pluginv1.SearchDocument, error)
	// Facts reports values about entities for scorecards (facts.go).
	Facts *Facts
	// Pages, HomeCards and EntityActions add to the app's own pages
	// (pages.go); ReadsClones gives their calls the synced locations' clones.
	Pages         []Page
	HomeCards     func(ctx context.Context, req UIRequest) ([]*pluginv1.View, error)
	EntityActions []EntityAction
	ReadsClones   bool
}

// Request is what every call gets: the plugin's settings.
type Request struct {
	Config  map[string]string
	Secrets map[string]string
}

// EntityContent is the entity-content extension point.
type EntityContent struct {
	// Applies are the entities to show content for.
	Applies []*pluginv1.Selector
	Render  func(ctx context.Context, req EntityRequest) ([]*pluginv1.View, error)
	// Action runs a view action the views offered (viewaction.go); nil
	// when they offer none.
	Action func(ctx context.Context, req ViewActionRequest) ([]*pluginv1.Block, error)
}

// EntityRequest is an entity-content call.
type EntityRequest struct {
	Request
	Entity Entity
	// ClonePath is the git repository of the entity's location on this
	// machine (a bare clone for synced remotes), to read at Commit and
	// never change ("" when there is none).
	ClonePath string
	// Commit is the commit Callboard synced.
	Commit string
	// EntityFile is the entity's catalog file in the repository.
	EntityFile string
}

// Entity is the entity an entity-content call is about.
type Entity struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   Metadata       `json:"metadata"`
	Spec       map[string]any `json:"spec"`
	// JSON is the whole entity as Backstage's JSON.
	JSON json.RawMessage `json:"-"`
}

// Metadata is an entity's metadata.
type Metadata struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Title       string            `json:"title"`
	Description string            `json:"description"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	Tags        []string          `json:"tags"`
}

// Action is a scaffolder action the plugin adds.
type Action struct {
	ID          string
	Description string
	// InputSchema is the input's JSON Schema.
	InputSchema string
	Run         func(ctx context.Context, req ActionRequest) error
}

// ActionRequest is one run of an action.
type ActionRequest struct {
	Request
	// Input is the step's rendered input as JSON.
	Input json.RawMessage
	// Workspace is the run's private folder; write only inside it.
	Workspace string
	DryRun    bool
	// Log writes a line to the step's log; Output sets one of its outputs.
	Log    func(format string, args ...any)
	Output func(name string, value any) error
}

// Serve runs the plugin until Callboard stops it. Started by hand (not by
// Callboard) it says so and exits.
func Serve(p Plugin) {
	if os.Getenv(Handshake.MagicCookieKey) != Handshake.MagicCookieValue {
		fmt.Fprintf(os.Stderr, "%s is a Callboard plugin: Callboard starts it. Put it in the plugins folder of the data dir with its manifest.\n", p.Name)
		os.Exit(1)
	}
	// The host stops its plugins when it quits; a host killed or crashed
	// cannot, so a plugin whose host is gone stops by itself rather than
	// run on, orphaned, holding whatever it inherited.
	go func() {
		<-parentGone(time.Second)
		fmt.Fprintf(os.Stderr, "%s: Callboard, which started it, has ended; stopping\n", p.Name)
		os.Exit(1)
	}()
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         plugin.PluginSet{PluginKey: &GRPCPlugin{Impl: &server{p: p}}},
		GRPCServer:      plugin.DefaultGRPCServer,
	})
}

// GRPCPlugin is the go-plugin glue for both sides: a plugin serves Impl,
// the host gets a pluginv1.PluginClient.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl pluginv1.PluginServer
}

// GRPCServer implements plugin.GRPCPlugin.
func (g *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pluginv1.RegisterPluginServer(s, g.Impl)
	return nil
}

// GRPCClient implements plugin.GRPCPlugin.
func (g *GRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return pluginv1.NewPluginClient(c), nil
}

// server adapts a Plugin to the generated service.
type server struct {
	pluginv1.UnimplementedPluginServer
	p Plugin
}

func (s *server) Describe(context.Context, *pluginv1.DescribeRequest) (*pluginv1.Manifest, error) {
	m := &pluginv1.Manifest{Name: s.p.Name, Version: s.p.Version, Description: s.p.Description, Config: s.p.Config,
		ProvidesEntities: s.p.ProvideEntities != nil, ProvidesSearch: s.p.SearchDocuments != nil}
	if s.p.EntityContent != nil {
		m.EntityContent = s.p.EntityContent.Applies
		m.ViewActions = s.p.EntityContent.Action != nil
	}
	if s.p.Facts != nil {
		m.Facts = s.p.Facts.Provides
	}
	for _, a := range s.p.Actions {
		m.Actions = append(m.Actions, &pluginv1.ActionSpec{Id: a.ID, Description: a.Description, InputSchemaJson: a.InputSchema})
	}
	s.describeUI(m)
	return m, nil
}

func (s *server) EntityContent(ctx context.Context, req *pluginv1.EntityContentRequest) (*pluginv1.EntityContentResponse, error) {
	if s.p.EntityContent == nil {
		return nil, status.Error(codes.Unimplemented, "this plugin shows no entity content")
	}
	in := EntityRequest{Request: Request{Config: req.GetConfig(), Secrets: req.GetSecrets()}, ClonePath: req.GetClonePath(), Commit: req.GetCommit(), EntityFile: req.GetEntityFile()}
	if err := json.Unmarshal([]byte(req.GetEntityJson()), &in.Entity); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "entity_json: %v", err)
	}
	in.Entity.JSON = json.RawMessage(req.GetEntityJson())
	views, err := s.p.EntityContent.Render(ctx, in)
	if err != nil {
		return nil, err
	}
	return &pluginv1.EntityContentResponse{Views: views}, nil
}

func (s *server) RunAction(req *pluginv1.RunActionRequest, stream pluginv1.Plugin_RunActionServer) error {
	for _, a := range s.p.Actions {
		if a.ID != req.GetActionId() {
			continue
		}
		in := ActionRequest{
			Request: Request{Config: req.GetConfig(), Secrets: req.GetSecrets()},
			Input:   json.RawMessage(req.GetInputJson()), Workspace: req.GetWorkspace(), DryRun: req.GetDryRun(),
			Log: func(format string, args ...any) {
				_ = stream.Send(&pluginv1.ActionEvent{Kind: &pluginv1.ActionEvent_Log{Log: fmt.Sprintf(format, args...)}})
			},
			Output: func(name string, value any) error {
				b, err := json.Marshal(value)
				if err != nil {
					return fmt.Errorf("output %s: %w", name, err)
				}
				return stream.Send(&pluginv1.ActionEvent{Kind: &pluginv1.ActionEvent_Output{Output: &pluginv1.Output{Name: name, ValueJson: string(b)}}})
			},
		}
		return a.Run(stream.Context(), in)
	}
	return status.Errorf(codes.NotFound, "this plugin has no action %q", req.GetActionId())
}

func (s *server) ProvideEntities(ctx context.Context, req *pluginv1.ProvideEntitiesRequest) (*pluginv1.ProvideEntitiesResponse, error) {
	if s.p.ProvideEntities == nil {
		return nil, status.Error(codes.Unimplemented, "this plugin provides no entities")
	}
	files, err := s.p.ProvideEntities(ctx, Request{Config: req.GetConfig(), Secrets: req.GetSecrets()})
	if err != nil {
		return nil, err
	}
	return &pluginv1.ProvideEntitiesResponse{Files: files}, nil
}

func (s *server) SearchDocuments(ctx context.Context, req *pluginv1.SearchDocumentsRequest) (*pluginv1.SearchDocumentsResponse, error) {
	if s.p.SearchDocuments == nil {
		return nil, status.Error(codes.Unimplemented, "this plugin provides no search documents")
	}
	docs, err := s.p.SearchDocuments(ctx, Request{Config: req.GetConfig(), Secrets: req.GetSecrets()})
	if err != nil {
		return nil, err
	}
	return &pluginv1.SearchDocumentsResponse{Documents: docs}, nil
}
