package cli

import (
	"context"
	"net/url"
	"os"
	"path/filepath"

	"github.com/callboard/callboard/app/deeplink"
	"github.com/callboard/callboard/app/instance"
)

// scaffoldEdit opens a template folder in the workbench: the running
// instance's window (or its browser page's URL) goes there, else a new
// window opens at it, as callboard LINK does with the workbench's link.
func (r *runner) scaffoldEdit(ctx context.Context, args []string) error {
	fs := r.flags("scaffold edit")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("scaffold edit takes the template's folder, e.g. callboard scaffold edit ./templates/go-service")
	}
	dir, err := filepath.Abs(pos[0])
	if err != nil {
		return usagef("scaffold edit: %v", err)
	}
	if _, err := os.Stat(dir); err != nil {
		return usagef("scaffold edit: %v", err)
	}
	link := deeplink.Scheme + "://workbench?" + url.Values{"dir": {dir}}.Encode()
	if _, err := linkRoute(link); err != nil {
		return err
	}
	root, err := instance.DataDir(r.dataDir)
	if err != nil {
		return err
	}
	if client, err := instance.Dial(ctx, root); err == nil {
		return r.forwardLink(ctx, client, root, link)
	}
	return r.openWindow(ctx, link)
}
