package portal

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// maxTrustedHosts and maxRemoteReadHosts bound the Settings lists; a user
// trusts a handful of git hosts, and reads from a few more.
const (
	maxTrustedHosts    = 50
	maxRemoteReadHosts = 200
)

// hostName is a host as gitfetch.Host files it: a DNS name or IPv4
// address, lower case, with a port when it is not the protocol's own.
var hostName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$`) })

// hostList checks a list of hosts the user gives in Settings (what names
// one, in messages): trimmed, lower-cased, sorted, each once, at most limit.
func hostList(what string, limit int, in []string) ([]string, error) {
	out := []string{}
	for _, h := range in {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if !hostName().MatchString(h) {
			return nil, fmt.Errorf("%s %q: give a host name as in a repository URL, such as github.com or git.example:8443: %w", what, h, ErrInvalid)
		}
		out = append(out, h)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > limit {
		return nil, fmt.Errorf("%d %ss: at most %d: %w", len(out), what, limit, ErrInvalid)
	}
	return out, nil
}

// Trust says which git hosts the user chose to work with: those of their
// locations and those listed in Settings. Only they get the all-hosts git
// token, and only to them may a template publish. It reads nothing but
// the store, so the syncer's credentials are given it before the portal
// exists.
type Trust struct{ DB *store.DB }

// Hosts are the trusted hosts, sorted.
func (t Trust) Hosts(ctx context.Context) ([]string, error) {
	st, err := t.DB.Settings(ctx)
	if err != nil {
		return nil, err
	}
	hosts := slices.Clone(st.TrustedGitHosts)
	locs, err := t.DB.Locations(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range locs {
		if l.Derived || l.SourceOf != "" {
			continue // named by a catalog file or a Backstage, not chosen by the user
		}
		if h, ok := gitfetch.Host(l.URL); ok {
			hosts = append(hosts, h)
		}
	}
	slices.Sort(hosts)
	return slices.Compact(hosts), nil
}

// TrustsHost reports whether host (as gitfetch.Host names it) is
// trusted; it is gitfetch.Credentials.Trusted.
func (t Trust) TrustsHost(ctx context.Context, host string) (bool, error) {
	hosts, err := t.Hosts(ctx)
	if err != nil {
		return false, err
	}
	return slices.Contains(hosts, strings.ToLower(host)), nil
}

// checkRemote refuses a remote a new project would be pushed to unless
// its host is trusted, saying how to trust it.
func (s *templateRuns) checkRemote(ctx context.Context, host string) error {
	ok, err := s.trust.TrustsHost(ctx, host)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s is not a trusted git host, so nothing is pushed there: add it under Trusted git hosts in Settings (or add a location on it) if you mean to publish to it", host)
	}
	return nil
}
