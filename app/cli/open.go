package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/deeplink"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/portal"
)

// openLink shows a callboard:// link's page: the instance running on the data
// dir shows it (its window, or the URL of its browser page), else a new
// window opens at it. A desktop entry's Exec=callboard %u runs the same
// as callboard LINK.
func (r *runner) openLink(ctx context.Context, args []string) error {
	link, err := parseLink(r.flags("open"), args, true)
	if err != nil {
		return err
	}
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

// parseLink parses flags and at most one positional argument, a
// callboard:// link; needed says there must be one.
func parseLink(fs *flag.FlagSet, args []string, needed bool) (string, error) {
	pos, err := parse(fs, args)
	switch {
	case err != nil:
		return "", err
	case len(pos) == 0 && needed:
		return "", usagef("%s needs a callboard:// link, e.g. callboard://entity/component:default/payments", fs.Name())
	case len(pos) == 0:
		return "", nil
	case len(pos) > 1 || !isLink(pos[0]):
		return "", usagef("%s takes no arguments but one callboard:// link, got %q", fs.Name(), pos)
	}
	return pos[0], nil
}

// isLink says whether arg is meant as a callboard:// link (whether it is
// a good one, Route says).
func isLink(arg string) bool {
	prefix := deeplink.Scheme + "://"
	return len(arg) >= len(prefix) && strings.EqualFold(arg[:len(prefix)], prefix)
}

// linkRoute is the UI route of link; "" for none.
func linkRoute(link string) (string, error) {
	if link == "" {
		return "", nil
	}
	route, err := deeplink.Route(link)
	if err != nil {
		return "", usagef("%v", err)
	}
	return route, nil
}

// forwardLink hands link to the instance running on data dir root and
// says where it went.
func (r *runner) forwardLink(ctx context.Context, client *apiclient.Client, root, link string) error {
	url, err := client.OpenLink(ctx, link)
	var perr *portal.Error
	switch {
	case errors.As(err, &perr) && perr.Code == portal.CodeConflict:
		return fmt.Errorf("an instance without a window or browser page already runs on %s (%v); stop it first", root, perr.Message)
	case errors.As(err, &perr) && perr.Code == portal.CodeInvalid:
		return usagef("the running instance refused the link: %s", perr.Message)
	case err != nil:
		return fmt.Errorf("hand %s to the instance running on %s: %w", link, root, err)
	case url != "":
		fmt.Fprintf(r.env.Stdout, "Callboard runs without a window (callboard serve); the page is at\n%s\n", url)
	default:
		fmt.Fprintf(r.env.Stdout, "Callboard is already open; its window went to %s\n", link)
	}
	return nil
}

// showIn opens a route in win, for the socket's POST /api/v1/window/open.
func showIn(win Window) func(ctx context.Context, route string) (string, error) {
	return func(ctx context.Context, route string) (string, error) {
		return "", win.Navigate(ctx, route)
	}
}
