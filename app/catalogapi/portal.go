package catalogapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/remote"
)

// PortalLocations maps Backstage's location registration onto the
// portal's locations: a url location names a repository (or a file or
// folder in one), registered with its branch and path; a file location
// names a local repository's folder.
func PortalLocations(api portal.API) Locations { return portalLocations{api} }

type portalLocations struct{ api portal.API }

func (p portalLocations) Register(ctx context.Context, typ, target string) (string, error) {
	var nl portal.NewLocation
	switch typ {
	case "url":
		t, err := remote.Parse(target)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if t.Forge == remote.Plain || t.Repo == "" {
			return "", fmt.Errorf("%w: %s is not a file or folder of a repository Callboard can clone", ErrInvalid, target)
		}
		nl = portal.NewLocation{URL: t.Scheme + "://" + t.Host + "/" + t.Repo, Branch: t.Ref, Path: t.Path}
	case "file":
		nl = portal.NewLocation{URL: strings.TrimPrefix(target, "file:")}
	default:
		return "", fmt.Errorf("%w: location type %q is not supported; use url or file", ErrInvalid, typ)
	}
	loc, err := p.api.AddLocation(ctx, nl)
	if err != nil {
		return "", portalError(err)
	}
	return loc.ID, nil
}

func (p portalLocations) Remove(ctx context.Context, id string) error {
	return portalError(p.api.RemoveLocation(ctx, id))
}

func (p portalLocations) Sync(ctx context.Context, id string) error {
	_, err := p.api.Sync(ctx, id)
	return portalError(err)
}

func portalError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, portal.ErrInvalid):
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	case errors.Is(err, portal.ErrNotFound):
		return fmt.Errorf("%w: %v", ErrNotFound, err)
	}
	return err
}
