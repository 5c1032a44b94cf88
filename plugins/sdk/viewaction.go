package sdk

import (
	"context"
	"encoding/json"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// ViewActionRequest is a press of a button or link a view offered: its
// id and parameters, with the entity and context of EntityRequest. The
// host only passes on actions the plugin's views offered for this entity.
type ViewActionRequest struct {
	EntityRequest
	ID         string
	Parameters map[string]string
}

// ViewAction is a button a view offers; Callboard calls the plugin's
// EntityContent.Action with its id and parameters when it is pressed.
func ViewAction(id, label string, params map[string]string) *pluginv1.ViewAction {
	return &pluginv1.ViewAction{Id: id, Label: label, Parameters: params}
}

// Dangerous marks an action that changes something: the app asks the user
// to confirm with the text confirm first.
func Dangerous(a *pluginv1.ViewAction, confirm string) *pluginv1.ViewAction {
	a.Style, a.Confirm = pluginv1.ViewActionStyle_VIEW_ACTION_STYLE_DANGER, confirm
	return a
}

// Buttons is a row of action buttons.
func Buttons(items ...*pluginv1.ViewAction) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Actions{Actions: &pluginv1.ViewActions{Items: items}}}
}

// ActionCell is a table cell of text with a button after it.
func ActionCell(text string, a *pluginv1.ViewAction) *pluginv1.Cell {
	return &pluginv1.Cell{Text: text, Action: a}
}

// ActionLink is a link that runs an action rather than opening a page.
func ActionLink(a *pluginv1.ViewAction) *pluginv1.Link {
	return &pluginv1.Link{Title: a.GetLabel(), Action: a}
}

// Log is lines of text shown as they are; truncated says earlier lines
// were left out.
func Log(title string, lines []string, truncated bool) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Log{Log: &pluginv1.ActionLog{Title: title, Lines: lines, Truncated: truncated}}}
}

func (s *server) ViewAction(ctx context.Context, req *pluginv1.ViewActionRequest) (*pluginv1.ViewActionResponse, error) {
	if s.p.EntityContent == nil || s.p.EntityContent.Action == nil {
		return nil, status.Error(codes.Unimplemented, "this plugin serves no view actions")
	}
	in := ViewActionRequest{
		EntityRequest: EntityRequest{Request: Request{Config: req.GetConfig(), Secrets: req.GetSecrets()},
			ClonePath: req.GetClonePath(), Commit: req.GetCommit(), EntityFile: req.GetEntityFile()},
		ID: req.GetActionId(), Parameters: req.GetParameters(),
	}
	if err := json.Unmarshal([]byte(req.GetEntityJson()), &in.Entity); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "entity_json: %v", err)
	}
	in.Entity.JSON = json.RawMessage(req.GetEntityJson())
	blocks, err := s.p.EntityContent.Action(ctx, in)
	if err != nil {
		return nil, err
	}
	return &pluginv1.ViewActionResponse{Blocks: blocks}, nil
}
