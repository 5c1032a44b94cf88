package sdk

import (
	"context"
	"encoding/json"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// Page is a page the plugin adds to the app, with a navigation entry and
// the route /plugins/<plugin>/<ID>. List the pages extension point in the
// manifest.
type Page struct {
	// ID is lower-case letters, digits and dashes.
	ID    string
	Title string
	// Icon names one of the app's icons ("radar", "chart", "list").
	Icon     string
	NavOrder int32
	Render   func(ctx context.Context, req PageRequest) (*pluginv1.PageResponse, error)
}

// UIRequest is what a page, Home card or entity action call gets beyond
// the settings.
type UIRequest struct {
	Request
	// Clones are the synced locations' clones, when Plugin.ReadsClones.
	Clones []*pluginv1.PageClone
	// User is who is looking (their User entity ref and groups).
	User *pluginv1.PageUser
}

// PageRequest is a call of one page.
type PageRequest struct {
	UIRequest
	// Params are the page address's query parameters.
	Params map[string]string
}

// EntityAction is a menu item on the pages of the entities Entities
// matches (every entity when empty). List the entityActions extension
// point in the manifest.
type EntityAction struct {
	ID, Title string
	Entities  []*pluginv1.Selector
	// Confirmation is asked before running it when not empty.
	Confirmation string
	// Applies, when set, says whether the action is offered for an entity
	// the selector matched.
	Applies func(ctx context.Context, req EntityActionRequest) (bool, error)
	Run     func(ctx context.Context, req EntityActionRequest) (*pluginv1.RunEntityActionResponse, error)
}

// EntityActionRequest is an entity action's call, about Entity.
type EntityActionRequest struct {
	UIRequest
	Entity Entity
}

// Done is an entity action's answer: a line for the toast.
func Done(notice string, s pluginv1.Status) *pluginv1.RunEntityActionResponse {
	return &pluginv1.RunEntityActionResponse{Notice: notice, Status: s}
}

// HomeCard is a view shown as a card on the Home page.
func HomeCard(id, title string, blocks ...*pluginv1.Block) *pluginv1.View {
	return Card(id, title, blocks...)
}

// RadarBlock is a technology radar.
func RadarBlock(r *pluginv1.Radar) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Radar{Radar: r}}
}

func (s *server) describeUI(m *pluginv1.Manifest) {
	m.ReadsClones = s.p.ReadsClones
	m.HomeCards = s.p.HomeCards != nil
	for _, p := range s.p.Pages {
		m.Pages = append(m.Pages, &pluginv1.PageSpec{Id: p.ID, Title: p.Title, Icon: p.Icon, NavOrder: p.NavOrder})
	}
	for _, a := range s.p.EntityActions {
		m.EntityActions = append(m.EntityActions, &pluginv1.EntityActionSpec{Id: a.ID, Title: a.Title, Entities: a.Entities,
			Confirmation: a.Confirmation, Ask: a.Applies != nil})
	}
}

func uiRequest(config, secrets map[string]string, clones []*pluginv1.PageClone, user *pluginv1.PageUser) UIRequest {
	return UIRequest{Request: Request{Config: config, Secrets: secrets}, Clones: clones, User: user}
}

func (s *server) Page(ctx context.Context, req *pluginv1.PageRequest) (*pluginv1.PageResponse, error) {
	for _, p := range s.p.Pages {
		if p.ID == req.GetPageId() {
			return p.Render(ctx, PageRequest{UIRequest: uiRequest(req.GetConfig(), req.GetSecrets(), req.GetClones(), req.GetUser()), Params: req.GetParams()})
		}
	}
	return nil, status.Errorf(codes.NotFound, "this plugin has no page %q", req.GetPageId())
}

func (s *server) HomeCards(ctx context.Context, req *pluginv1.HomeCardsRequest) (*pluginv1.HomeCardsResponse, error) {
	if s.p.HomeCards == nil {
		return nil, status.Error(codes.Unimplemented, "this plugin shows no Home cards")
	}
	views, err := s.p.HomeCards(ctx, uiRequest(req.GetConfig(), req.GetSecrets(), req.GetClones(), req.GetUser()))
	if err != nil {
		return nil, err
	}
	return &pluginv1.HomeCardsResponse{Views: views}, nil
}

func entityOf(doc string) (Entity, error) {
	var e Entity
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		return e, status.Errorf(codes.InvalidArgument, "entity_json: %v", err)
	}
	e.JSON = json.RawMessage(doc)
	return e, nil
}

func (s *server) EntityActions(ctx context.Context, req *pluginv1.EntityActionsRequest) (*pluginv1.EntityActionsResponse, error) {
	e, err := entityOf(req.GetEntityJson())
	if err != nil {
		return nil, err
	}
	in := EntityActionRequest{UIRequest: uiRequest(req.GetConfig(), req.GetSecrets(), req.GetClones(), nil), Entity: e}
	out := &pluginv1.EntityActionsResponse{}
	for _, a := range s.p.EntityActions {
		ok := a.Applies == nil
		if !ok {
			if ok, err = a.Applies(ctx, in); err != nil {
				return nil, fmt.Errorf("action %s: %w", a.ID, err)
			}
		}
		if ok {
			out.ActionIds = append(out.ActionIds, a.ID)
		}
	}
	return out, nil
}

func (s *server) RunEntityAction(ctx context.Context, req *pluginv1.RunEntityActionRequest) (*pluginv1.RunEntityActionResponse, error) {
	for _, a := range s.p.EntityActions {
		if a.ID != req.GetActionId() {
			continue
		}
		e, err := entityOf(req.GetEntityJson())
		if err != nil {
			return nil, err
		}
		return a.Run(ctx, EntityActionRequest{UIRequest: uiRequest(req.GetConfig(), req.GetSecrets(), req.GetClones(), req.GetUser()), Entity: e})
	}
	return nil, status.Errorf(codes.NotFound, "this plugin has no entity action %q", req.GetActionId())
}
