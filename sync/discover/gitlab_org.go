package discover

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

type glGroup struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	FullPath    string `json:"full_path"`
	Description string `json:"description"`
	ParentID    *int64 `json:"parent_id"`
	WebURL      string `json:"web_url"`
	AvatarURL   string `json:"avatar_url"`
}

type glUser struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	Name        string `json:"name"`
	State       string `json:"state"`
	Bot         bool   `json:"bot"`
	PublicEmail string `json:"public_email"`
	Email       string `json:"email"`
	AvatarURL   string `json:"avatar_url"`
	WebURL      string `json:"web_url"`
}

func (u glUser) person() Person {
	email := u.PublicEmail
	if email == "" {
		email = u.Email
	}
	return Person{ID: strconv.FormatInt(u.ID, 10), Login: u.Username, Name: u.Name, Email: email, AvatarURL: u.AvatarURL, WebURL: u.WebURL}
}

// Org implements Forge: the group and its descendant groups become
// teams, each group's direct members (one request a group, 100 members
// a page) their members. GitLab's members API gives no e-mail
// addresses but to administrators, so people have one only then.
func (g *gitlab) Org(ctx context.Context) (Org, error) {
	o := Org{Source: g.c.src}
	var root glGroup
	resp, err := g.c.getJSON(ctx, g.group(), nil, &root)
	if err != nil {
		return Org{}, g.notFound(resp, err)
	}
	groups := []glGroup{root}
	err = g.paged(ctx, g.group()+"/descendant_groups?per_page=100", func(raw []byte) error {
		var page []glGroup
		if err := json.Unmarshal(raw, &page); err != nil {
			return err
		}
		groups = append(groups, page...)
		if len(groups) > g.c.o.MaxTeams {
			return fmt.Errorf("%w: %s has over %d groups", ErrTooMany, g.c.src.URL(), g.c.o.MaxTeams)
		}
		return nil
	})
	if err != nil {
		return Org{}, err
	}
	paths := map[int64]string{}
	for _, gr := range groups {
		paths[gr.ID] = gr.FullPath
	}
	people := map[string]Person{}
	for _, gr := range groups {
		t := Team{ID: strconv.FormatInt(gr.ID, 10), Slug: gr.FullPath, Name: gr.Name, Description: gr.Description,
			AvatarURL: gr.AvatarURL, WebURL: gr.WebURL}
		if gr.ParentID != nil {
			t.Parent = paths[*gr.ParentID]
		}
		err := g.paged(ctx, g.c.src.restBase()+"/groups/"+url.PathEscape(gr.FullPath)+"/members?per_page=100", func(raw []byte) error {
			var page []glUser
			if err := json.Unmarshal(raw, &page); err != nil {
				return err
			}
			for _, u := range page {
				if u.Bot || u.State != "" && u.State != "active" || u.Username == "" {
					continue
				}
				t.Members = append(t.Members, u.Username)
				if _, ok := people[u.Username]; !ok {
					if len(people) >= g.c.o.MaxPeople {
						return fmt.Errorf("%w: %s has over %d members", ErrTooMany, g.c.src.URL(), g.c.o.MaxPeople)
					}
					people[u.Username] = u.person()
				}
			}
			return nil
		})
		if err != nil {
			return Org{}, err
		}
		slices.Sort(t.Members)
		o.Teams = append(o.Teams, t)
	}
	for _, p := range people {
		o.People = append(o.People, p)
	}
	slices.SortFunc(o.Teams, func(a, b Team) int { return strings.Compare(a.Slug, b.Slug) })
	slices.SortFunc(o.People, func(a, b Person) int { return strings.Compare(a.Login, b.Login) })
	return o, nil
}

// paged GETs a list and its next pages (Link rel="next", within the
// API), handing each page's body to each.
func (g *gitlab) paged(ctx context.Context, next string, each func([]byte) error) error {
	for pages := 0; next != ""; pages++ {
		if pages > 1000 {
			return fmt.Errorf("%w: over 1000 pages at %s", ErrTooMany, redactQuery(next))
		}
		resp, err := g.c.getJSON(ctx, next, nil, nil)
		if err != nil {
			return err
		}
		if err := each(resp.body); err != nil {
			return fmt.Errorf("GET %s: %w", redactQuery(next), err)
		}
		next = nextLink(resp.header.Get("Link"))
		if next != "" && !strings.HasPrefix(next, g.c.src.restBase()+"/") {
			return fmt.Errorf("%s: the next page %s is outside the API", g.c.src.URL(), redactQuery(next))
		}
	}
	return nil
}

// Viewer implements Forge with GET /user.
func (g *gitlab) Viewer(ctx context.Context) (Person, error) {
	var u glUser
	if _, err := g.c.getJSON(ctx, g.c.src.restBase()+"/user", nil, &u); err != nil {
		return Person{}, fmt.Errorf("the token's user on %s: %w", g.c.src.Host, err)
	}
	if u.Username == "" {
		return Person{}, fmt.Errorf("the token's user on %s: no username in the answer", g.c.src.Host)
	}
	return u.person(), nil
}
