package discover

import (
	"slices"
	"strings"

	"github.com/callboard/callboard/sync/remote"
)

// Org is an organisation's teams and people.
type Org struct {
	Source Source   `json:"source"`
	Teams  []Team   `json:"teams"`
	People []Person `json:"people"`
}

// Team is a GitHub team or a GitLab (sub)group.
type Team struct {
	ID string `json:"id"`
	// Slug is GitHub's team slug, or GitLab's group full path.
	Slug        string `json:"slug"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Parent is the parent team's Slug, "" for a top-level team.
	Parent    string `json:"parent,omitempty"`
	AvatarURL string `json:"avatarUrl,omitempty"`
	WebURL    string `json:"webUrl,omitempty"`
	// Members are the logins of its direct members, sorted.
	Members []string `json:"members,omitempty"`
}

// Person is a member of an organisation, or the token's own user.
type Person struct {
	ID        string `json:"id"`
	Login     string `json:"login"`
	Name      string `json:"name,omitempty"`
	Email     string `json:"email,omitempty"` // public, or verified in the org's domain
	AvatarURL string `json:"avatarUrl,omitempty"`
	WebURL    string `json:"webUrl,omitempty"`
}

// EntityName is the name of p's User entity.
func (p Person) EntityName() string { return p.Login }

// Entity is a catalog entity as Backstage's org providers write one;
// its JSON is a catalog file's YAML.
type Entity struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   Metadata `json:"metadata"`
	Spec       any      `json:"spec"`
}

// Metadata is an entity's metadata.
type Metadata struct {
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// GroupSpec is a Group entity's spec.
type GroupSpec struct {
	Type     string   `json:"type"`
	Profile  Profile  `json:"profile"`
	Parent   string   `json:"parent,omitempty"`
	Children []string `json:"children"`
	Members  []string `json:"members,omitempty"`
}

// UserSpec is a User entity's spec.
type UserSpec struct {
	Profile  Profile  `json:"profile"`
	MemberOf []string `json:"memberOf"`
}

// Profile is a Group's or User's profile.
type Profile struct {
	DisplayName string `json:"displayName,omitempty"`
	Email       string `json:"email,omitempty"`
	Picture     string `json:"picture,omitempty"`
}

// Entities are o's Groups and Users, named and annotated as Backstage's
// GitHub and GitLab org providers name them:
//
//	GitHub  Group: the team slug, github.com/team-slug "org/slug";
//	        User: the login, github.com/user-login.
//	GitLab  Group: the group's full path below the source's group, "/"
//	        written "-" (the source's own group keeps its whole path),
//	        HOST/team-path; User: the username, HOST/user-login (the
//	        profile URL) and HOST/user-id (what GitLab sign-in matches).
//
// Parents become spec.parent and spec.children, team members spec.members
// and each member's spec.memberOf. Groups come first, each list sorted.
func (o Org) Entities() []Entity {
	name := map[string]string{} // team slug → Group name
	for _, t := range o.Teams {
		name[t.Slug] = o.groupName(t.Slug)
	}
	children := map[string][]string{}
	memberOf := map[string][]string{}
	for _, t := range o.Teams {
		if p, ok := name[t.Parent]; ok && t.Parent != "" {
			children[p] = append(children[p], name[t.Slug])
		}
		for _, m := range t.Members {
			memberOf[m] = append(memberOf[m], name[t.Slug])
		}
	}
	var out []Entity
	for _, t := range o.Teams {
		n := name[t.Slug]
		spec := GroupSpec{Type: "team", Profile: Profile{DisplayName: t.Name, Picture: t.AvatarURL},
			Children: sorted(children[n]), Members: sorted(slices.Clone(t.Members))}
		if p, ok := name[t.Parent]; ok && t.Parent != "" {
			spec.Parent = p
		}
		ann := map[string]string{}
		if o.Source.Forge == remote.GitLab {
			ann[o.Source.Host+"/team-path"] = t.Slug
		} else {
			ann["github.com/team-slug"] = o.Source.Owner + "/" + t.Slug
		}
		out = append(out, Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Group",
			Metadata: Metadata{Name: n, Description: t.Description, Annotations: ann}, Spec: spec})
	}
	for _, p := range o.People {
		ann := map[string]string{}
		if o.Source.Forge == remote.GitLab {
			ann[o.Source.Host+"/user-login"] = p.WebURL
			ann[o.Source.Host+"/user-id"] = p.ID
		} else {
			ann["github.com/user-login"] = p.Login
		}
		out = append(out, Entity{APIVersion: "backstage.io/v1alpha1", Kind: "User",
			Metadata: Metadata{Name: p.EntityName(), Annotations: ann},
			Spec: UserSpec{Profile: Profile{DisplayName: p.Name, Email: p.Email, Picture: p.AvatarURL},
				MemberOf: sorted(memberOf[p.Login])}})
	}
	return out
}

// groupName is the Group entity's name of a team.
func (o Org) groupName(slug string) string {
	if o.Source.Forge != remote.GitLab {
		return slug
	}
	if rel, ok := strings.CutPrefix(slug, o.Source.Owner+"/"); ok {
		slug = rel
	}
	return strings.ReplaceAll(slug, "/", "-")
}

func sorted(s []string) []string {
	if s == nil {
		return []string{}
	}
	slices.Sort(s)
	return slices.Compact(s)
}
