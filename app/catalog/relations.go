package catalog

import (
	"slices"
	"strings"
)

// Relation types, in pairs: each forward type has a reverse emitted on the target.
const (
	RelOwnedBy       = "ownedBy"
	RelOwnerOf       = "ownerOf"
	RelPartOf        = "partOf"
	RelHasPart       = "hasPart"
	RelProvidesAPI   = "providesApi"
	RelAPIProvidedBy = "apiProvidedBy"
	RelConsumesAPI   = "consumesApi"
	RelAPIConsumedBy = "apiConsumedBy"
	RelDependsOn     = "dependsOn"
	RelDependencyOf  = "dependencyOf"
	RelMemberOf      = "memberOf"
	RelHasMember     = "hasMember"
	RelChildOf       = "childOf"
	RelParentOf      = "parentOf"
)

// Edge is one directed relation between two entities.
type Edge struct {
	Source Ref    `json:"source"`
	Type   string `json:"type"`
	Target Ref    `json:"target"`
}

// relationRule says which spec field of which kinds yields which relation pair.
type relationRule struct {
	kinds       []string
	field       string
	defaultKind string // "" means the reference must name its kind
	forward     string
	reverse     string
}

var relationRules = []relationRule{
	{[]string{"component", "api", "resource", "system", "domain", "template"}, "owner", "group", RelOwnedBy, RelOwnerOf},
	{[]string{"component", "api", "resource"}, "system", "system", RelPartOf, RelHasPart},
	{[]string{"system"}, "domain", "domain", RelPartOf, RelHasPart},
	{[]string{"domain"}, "subdomainOf", "domain", RelPartOf, RelHasPart},
	{[]string{"component"}, "subcomponentOf", "component", RelPartOf, RelHasPart},
	{[]string{"component"}, "providesApis", "api", RelProvidesAPI, RelAPIProvidedBy},
	{[]string{"component"}, "consumesApis", "api", RelConsumesAPI, RelAPIConsumedBy},
	{[]string{"component", "resource"}, "dependsOn", "", RelDependsOn, RelDependencyOf},
	{[]string{"component", "resource"}, "dependencyOf", "", RelDependencyOf, RelDependsOn},
	{[]string{"user"}, "memberOf", "group", RelMemberOf, RelHasMember},
	{[]string{"group"}, "parent", "group", RelChildOf, RelParentOf},
	{[]string{"group"}, "children", "group", RelParentOf, RelChildOf},
	{[]string{"group"}, "members", "user", RelHasMember, RelMemberOf},
}

// relations returns the edges an entity's spec implies, both directions, and
// an error for every reference that cannot be parsed.
func relations(e *Entity) ([]Edge, []string) {
	self := e.Ref()
	var edges []Edge
	var problems []string
	for _, rule := range relationRules {
		if !slices.Contains(rule.kinds, strings.ToLower(e.Kind)) {
			continue
		}
		for _, target := range e.SpecStrings(rule.field) {
			ref, err := ParseRef(target, rule.defaultKind, self.Namespace)
			if err != nil {
				problems = append(problems, "spec."+rule.field+": "+err.Error())
				continue
			}
			edges = append(edges,
				Edge{Source: self, Type: rule.forward, Target: ref},
				Edge{Source: ref, Type: rule.reverse, Target: self})
		}
	}
	return edges, problems
}
