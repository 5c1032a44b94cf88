package discover

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

const githubTeams = `query Teams($owner: String!, $cursor: String) {
  organization(login: $owner) {
    teams(first: 50, after: $cursor) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id slug name description avatarUrl url
        parentTeam { slug }
        members(first: 100, membership: IMMEDIATE) { pageInfo { hasNextPage } nodes { login } }
      }
    }
  }
}`

const githubTeamMembers = `query TeamMembers($owner: String!, $team: String!, $cursor: String) {
  organization(login: $owner) {
    team(slug: $team) {
      members(first: 100, after: $cursor, membership: IMMEDIATE) { pageInfo { hasNextPage endCursor } nodes { login } }
    }
  }
}`

const githubMembers = `query Members($owner: String!, $cursor: String) {
  organization(login: $owner) {
    membersWithRole(first: 100, after: $cursor) {
      pageInfo { hasNextPage endCursor }
      nodes { id login name email avatarUrl url organizationVerifiedDomainEmails(login: $owner) }
    }
  }
}`

type pageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

type ghLogins struct {
	PageInfo pageInfo `json:"pageInfo"`
	Nodes    []struct {
		Login string `json:"login"`
	} `json:"nodes"`
}

// Org implements Forge: teams 50 a request with their first 100 direct
// members, a team's further members 100 a request, people 100 a request.
func (g *github) Org(ctx context.Context) (Org, error) {
	o := Org{Source: g.c.src}
	vars := map[string]any{"owner": g.c.src.Owner}
	err := g.pages(ctx, "Teams", githubTeams, vars, func(raw *orgPage) (pageInfo, error) {
		t := raw.Org.Teams
		for _, n := range t.Nodes {
			if len(o.Teams) >= g.c.o.MaxTeams {
				return pageInfo{}, fmt.Errorf("%w: %s has over %d teams", ErrTooMany, g.c.src.URL(), g.c.o.MaxTeams)
			}
			team := Team{ID: n.ID, Slug: n.Slug, Name: n.Name, Description: n.Description, AvatarURL: n.AvatarURL, WebURL: n.URL}
			if n.Parent != nil {
				team.Parent = n.Parent.Slug
			}
			for _, m := range n.Members.Nodes {
				team.Members = append(team.Members, m.Login)
			}
			if n.Members.PageInfo.HasNextPage {
				more, err := g.teamMembers(ctx, n.Slug)
				if err != nil {
					return pageInfo{}, err
				}
				team.Members = more
			}
			slices.Sort(team.Members)
			o.Teams = append(o.Teams, team)
		}
		return t.PageInfo, nil
	})
	if err != nil {
		return Org{}, err
	}
	err = g.pages(ctx, "Members", githubMembers, map[string]any{"owner": g.c.src.Owner}, func(raw *orgPage) (pageInfo, error) {
		m := raw.Org.Members
		for _, n := range m.Nodes {
			if len(o.People) >= g.c.o.MaxPeople {
				return pageInfo{}, fmt.Errorf("%w: %s has over %d members", ErrTooMany, g.c.src.URL(), g.c.o.MaxPeople)
			}
			p := Person{ID: n.ID, Login: n.Login, Name: n.Name, Email: n.Email, AvatarURL: n.AvatarURL, WebURL: n.URL}
			if p.Email == "" && len(n.Verified) > 0 {
				p.Email = n.Verified[0]
			}
			o.People = append(o.People, p)
		}
		return m.PageInfo, nil
	})
	if err != nil {
		return Org{}, err
	}
	slices.SortFunc(o.Teams, func(a, b Team) int { return strings.Compare(a.Slug, b.Slug) })
	slices.SortFunc(o.People, func(a, b Person) int { return strings.Compare(a.Login, b.Login) })
	return o, nil
}

type orgPage struct {
	Org *struct {
		Teams struct {
			PageInfo pageInfo `json:"pageInfo"`
			Nodes    []struct {
				ID          string `json:"id"`
				Slug        string `json:"slug"`
				Name        string `json:"name"`
				Description string `json:"description"`
				AvatarURL   string `json:"avatarUrl"`
				URL         string `json:"url"`
				Parent      *struct {
					Slug string `json:"slug"`
				} `json:"parentTeam"`
				Members ghLogins `json:"members"`
			} `json:"nodes"`
		} `json:"teams"`
		Team *struct {
			Members ghLogins `json:"members"`
		} `json:"team"`
		Members struct {
			PageInfo pageInfo `json:"pageInfo"`
			Nodes    []struct {
				ID        string   `json:"id"`
				Login     string   `json:"login"`
				Name      string   `json:"name"`
				Email     string   `json:"email"`
				AvatarURL string   `json:"avatarUrl"`
				URL       string   `json:"url"`
				Verified  []string `json:"organizationVerifiedDomainEmails"`
			} `json:"nodes"`
		} `json:"membersWithRole"`
	} `json:"organization"`
}

// pages runs a paged organisation query until its last page.
func (g *github) pages(ctx context.Context, op, query string, vars map[string]any, each func(*orgPage) (pageInfo, error)) error {
	seen := map[string]bool{}
	for {
		var d orgPage
		errs, err := g.graphql(ctx, op, query, vars, &d)
		if err != nil {
			return err
		}
		if d.Org == nil {
			return fmt.Errorf("%w: %s is no organisation the token can read", ErrNotFound, g.c.src.URL())
		}
		if len(errs) > 0 {
			return fmt.Errorf("graphql %s: %s", op, errs[0].Message)
		}
		p, err := each(&d)
		if err != nil {
			return err
		}
		if !p.HasNextPage {
			return nil
		}
		if p.EndCursor == "" || seen[p.EndCursor] {
			return fmt.Errorf("graphql %s: the server repeated page cursor %q", op, p.EndCursor)
		}
		seen[p.EndCursor] = true
		vars["cursor"] = p.EndCursor
	}
}

func (g *github) teamMembers(ctx context.Context, slug string) ([]string, error) {
	var out []string
	err := g.pages(ctx, "TeamMembers", githubTeamMembers, map[string]any{"owner": g.c.src.Owner, "team": slug}, func(d *orgPage) (pageInfo, error) {
		if d.Org.Team == nil {
			return pageInfo{}, nil
		}
		for _, m := range d.Org.Team.Members.Nodes {
			if len(out) >= g.c.o.MaxPeople {
				return pageInfo{}, fmt.Errorf("%w: team %s has over %d members", ErrTooMany, slug, g.c.o.MaxPeople)
			}
			out = append(out, m.Login)
		}
		return d.Org.Team.Members.PageInfo, nil
	})
	return out, err
}

// Viewer implements Forge with GET /user.
func (g *github) Viewer(ctx context.Context) (Person, error) {
	var u struct {
		ID        int64  `json:"id"`
		Login     string `json:"login"`
		Name      string `json:"name"`
		Email     string `json:"email"`
		AvatarURL string `json:"avatar_url"`
		HTMLURL   string `json:"html_url"`
	}
	if _, err := g.c.getJSON(ctx, g.c.src.restBase()+"/user", nil, &u); err != nil {
		return Person{}, fmt.Errorf("the token's user on %s: %w", g.c.src.Host, err)
	}
	if u.Login == "" {
		return Person{}, fmt.Errorf("the token's user on %s: no login in the answer", g.c.src.Host)
	}
	return Person{ID: strconv.FormatInt(u.ID, 10), Login: u.Login, Name: u.Name, Email: u.Email, AvatarURL: u.AvatarURL, WebURL: u.HTMLURL}, nil
}
