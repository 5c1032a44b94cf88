package desktop

import (
	"context"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/callboard/callboard/app/portal"
)

// Bridge is the portal API as bound to the window's JavaScript
// (window.go.desktop.Bridge). Its methods (bridge_gen.go) are generated
// from portal.API, each returning (T, error) so the promise rejects with
// the error (formatted by Window's ErrorFormatter); PickFolder and
// TakeRoute, which only the window has, are written here. Wails hands over
// the context at startup.
type Bridge struct {
	api    portal.API
	ctx    context.Context
	routes *routes
}

// TakeRoute returns the UI route the window was asked to show (a
// callboard:// link's), once: "" when there is none since the last call.
// The page calls it when it loads and on each window:navigate event.
func (b *Bridge) TakeRoute() string {
	return b.routes.take()
}

// PickFolder asks for a folder with the system's dialog ("" when the user
// cancels), for the local-folder choice of template forms.
func (b *Bridge) PickFolder(title string) (string, error) {
	return wruntime.OpenDirectoryDialog(b.ctx, wruntime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}
