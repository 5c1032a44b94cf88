package scorecard

import (
	"path"

	"github.com/callboard/callboard/app/catalog"
)

// Catalog is what a run reads: the scorecards, the entities they check and
// which refs exist.
type Catalog struct {
	Cards    []*Card
	Subjects []Subject
	Exists   Exists
}

// FromProcessed reads a catalog processed from one repository's files (a
// plain checkout, as `callboard scorecard` reads it): its Scorecard
// entities become cards, the others subjects reading files. A scorecard
// that does not read is returned as an error beside the rest.
func FromProcessed(res *catalog.Result, files Files) (Catalog, []error) {
	var c Catalog
	var errs []error
	refs := make(map[string]bool, len(res.Entities))
	rels := map[string][]Relation{}
	for _, e := range res.Edges {
		src := e.Source.String()
		rels[src] = append(rels[src], Relation{Type: e.Type, Target: e.Target.String()})
	}
	for i := range res.Entities {
		p := &res.Entities[i]
		ref := p.Entity.Ref().String()
		refs[ref] = true
		if p.Entity.Kind == catalog.KindScorecard {
			card, err := NewCard(&p.Entity)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			c.Cards = append(c.Cards, card)
			continue
		}
		dir := path.Dir(p.Source.File)
		if dir == "." {
			dir = ""
		}
		c.Subjects = append(c.Subjects, Subject{Entity: &p.Entity, Relations: rels[ref], Dir: dir, Files: files})
	}
	c.Exists = func(ref string) bool { return refs[ref] }
	return c, errs
}
