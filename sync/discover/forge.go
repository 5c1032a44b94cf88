package discover

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/callboard/callboard/sync/remote"
)

// Forge lists one source through its forge's API. Each kind of forge
// (GitHub, GitLab; Gitea, Bitbucket and Azure DevOps could follow) is
// one implementation, made by New.
type Forge interface {
	// List lists the source's repositories and their catalog files.
	// prev is the State kept from the last listing, or nil: when a
	// cheap check finds the source idle, its listing comes back again,
	// Unchanged. It returns the State to keep next. An error (the
	// source gone, ErrAuth, ErrScope, ErrRateLimited past the context,
	// ErrTooMany, ErrTooLarge) lists nothing: prev's listing still
	// stands. A repository that cannot be read is no error, it is listed
	// with Skipped NoAccess.
	List(ctx context.Context, prev *State) (Listing, State, error)
	// Org lists the organisation's teams and members (for GitLab, the
	// group's subgroups and their direct members). ErrScope when the
	// token may not read them.
	Org(ctx context.Context) (Org, error)
	// Viewer is the token's own user.
	Viewer(ctx context.Context) (Person, error)
}

// New makes the Forge of src's kind. Errors wrap ErrBadSource.
func New(src Source, o Options) (Forge, error) {
	f, err := src.Filters.compile()
	if err != nil {
		return nil, err
	}
	key, err := json.Marshal(src)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.URL(), err)
	}
	c := newClient(src, o)
	c.o.Logger = c.o.Logger.With("component", "discover", "source", src.URL())
	switch src.Forge {
	case remote.GitHub:
		return &github{c: c, f: f, key: string(key)}, nil
	case remote.GitLab:
		return &gitlab{c: c, f: f, key: string(key)}, nil
	}
	return nil, fmt.Errorf("%w: discovery on %s is not built yet", ErrBadSource, src.Forge)
}
