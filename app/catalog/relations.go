package catalog

import "fmt"

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

// relations returns the edges an entity's relation fields imply, with
// Backstage's model rules: a target of a kind the field does not allow is
// ignored, and the reverse edge is emitted only for a pair the model
// declares. A reference that cannot be parsed is an error for the entity.
func relations(e *Entity, kv *kindVersion) ([]Edge, *violation) {
	self := e.Ref()
	n := 0
	for _, f := range kv.relations {
		switch v := e.Spec[f.field].(type) {
		case string:
			n++
		case []any:
			n += len(v)
		}
	}
	if n == 0 {
		return nil, nil
	}
	edges := make([]Edge, 0, 2*n)
	for _, f := range kv.relations {
		var targets []string
		switch v := e.Spec[f.field].(type) {
		case string:
			if v != "" {
				targets = []string{v}
			}
		case []any:
			for _, x := range v {
				if s, ok := x.(string); ok && s != "" {
					targets = append(targets, s)
				}
			}
		}
		for _, target := range targets {
			ref, err := ParseRef(target, f.defaultKind, self.Namespace)
			if err != nil {
				return nil, &violation{path: []string{"spec", f.field}, msg: err.Error()}
			}
			if f.reverse != "" {
				edges = append(edges, Edge{self, f.relation, ref}, Edge{ref, f.reverse, self})
				continue
			}
			if f.allowedKinds != nil && !containsFold(f.allowedKinds, ref.Kind) {
				continue
			}
			edges = append(edges, Edge{self, f.relation, ref})
			if rev := reverseOf(e.Kind, f.relation, ref.Kind); rev != "" {
				edges = append(edges, Edge{ref, rev, self})
			}
		}
	}
	return edges, nil
}

// String is "source type target", the form the CLI and tests print.
func (e Edge) String() string {
	return fmt.Sprintf("%s %s %s", e.Source, e.Type, e.Target)
}
