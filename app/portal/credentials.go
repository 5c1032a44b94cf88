package portal

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// CredentialStatus says where a host's https token comes from, without
// the token; gitfetch.Credentials is the one in use. The error is a
// source's failure that stops the search (the OS keyring's).
type CredentialStatus interface {
	Status(ctx context.Context, host string) (gitfetch.Status, error)
}

// CredentialSource is where the https token for one git host Callboard
// talks to comes from. It never holds the token.
type CredentialSource struct {
	// Host is as repository URLs name it: github.com, git.example:8443.
	Host string `json:"host"`
	// Uses say why Callboard talks to it: "location", "derived location"
	// (named by a catalog file), "trusted" (listed in Settings) and
	// "remote read" (files read by URL).
	Uses []string `json:"uses"`
	// Kind is where the token comes from: env (CALLBOARD_GIT_TOKEN_<HOST>),
	// keyring, gh, glab, git-credential, env-all (CALLBOARD_GIT_TOKEN),
	// ssh (only ssh URLs: the agent or ~/.ssh keys), or none.
	Kind string `json:"kind"`
	// Source names it for a person: "GitHub CLI token for github.com",
	// "environment CALLBOARD_GIT_TOKEN_GITHUB_COM", or "none".
	Source string `json:"source"`
	// Hint says how to give the host a token when it has none.
	Hint string `json:"hint,omitempty"`
	// Problems are the sources that could not be asked (a helper that did
	// not answer in time, one that answered for another host), in words.
	Problems []string `json:"problems"`
}

// credentialsStore reads the hosts Callboard talks to.
type credentialsStore interface {
	Settings(ctx context.Context) (store.Settings, error)
	Locations(ctx context.Context) ([]store.Location, error)
}

// credentialsView is the area that says where each host's token comes
// from; a nil status knows of none.
type credentialsView struct {
	db     credentialsStore
	status CredentialStatus
}

// maxCredentialChecks is how many hosts are looked up at once: each may
// run gh, glab and git.
const maxCredentialChecks = 4

// CredentialSources answers API.CredentialSources.
func (s *credentialsView) CredentialSources(ctx context.Context) ([]CredentialSource, error) {
	st, err := s.db.Settings(ctx)
	if err != nil {
		return nil, err
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return nil, err
	}
	uses := map[string][]string{}
	https := map[string]bool{}
	add := func(host, use string, overHTTPS bool) {
		if !slices.Contains(uses[host], use) {
			uses[host] = append(uses[host], use)
		}
		https[host] = https[host] || overHTTPS
	}
	for _, l := range locs {
		host, ok := gitfetch.Host(l.URL)
		if !ok {
			continue
		}
		use := "location"
		switch {
		case l.Derived:
			use = "derived location"
		case l.SourceOf != "":
			use = "Backstage source"
		}
		add(host, use, strings.HasPrefix(l.URL, "https://") || strings.HasPrefix(l.URL, "http://"))
	}
	for _, h := range st.TrustedGitHosts {
		add(h, "trusted", true)
	}
	for _, h := range st.RemoteReadHosts {
		add(h, "remote read", true)
	}
	out := make([]CredentialSource, 0, len(uses))
	for host, u := range uses {
		slices.Sort(u)
		out = append(out, CredentialSource{Host: host, Uses: u, Kind: gitfetch.FromNone, Source: gitfetch.FromNone, Problems: []string{}})
	}
	slices.SortFunc(out, func(a, b CredentialSource) int { return strings.Compare(a.Host, b.Host) })
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxCredentialChecks)
	for i := range out {
		c := &out[i]
		if !https[c.Host] {
			c.Kind, c.Source = "ssh", "ssh agent or ~/.ssh keys"
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			s.credentialSource(ctx, c)
		})
	}
	wg.Wait()
	return out, ctx.Err()
}

// credentialSource fills in where c's token comes from.
func (s *credentialsView) credentialSource(ctx context.Context, c *CredentialSource) {
	if s.status != nil {
		st, err := s.status.Status(ctx, c.Host)
		if err != nil {
			c.Problems = append(c.Problems, err.Error())
		} else {
			c.Kind, c.Source = st.Kind, st.Source
			c.Problems = append(c.Problems, st.Problems...)
		}
	}
	if c.Kind == gitfetch.FromNone {
		c.Hint = gitfetch.TokenHint(c.Host)
	}
}
