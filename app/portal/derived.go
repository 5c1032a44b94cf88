package portal

import (
	"context"
	"fmt"
	"strings"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
)

// Derived locations (store.Links): repositories the Location entities of
// other locations list. The syncer adds and removes them; the portal
// shows them under the locations listing them, keeps the user from
// removing one a catalog file lists, and takes a removed location's
// derived locations with it.

// addLinks fills in where l stands among derived locations.
func addLinks(dto *Location, l store.Location) {
	dto.ListedBy, dto.Derived = l.ListedBy(), l.Derived
	if roots := l.Roots(); len(roots) > 1 || len(roots) == 1 && roots[0] != l.Path {
		dto.Roots = roots
	}
	for _, e := range l.Refused {
		dto.Refused = append(dto.Refused, ProcessingError{File: e.File, Line: e.Line, Column: e.Column, Field: e.Field, Message: e.Message})
	}
}

// listedBy says which locations list l, for messages: ", listed by a and
// b" (or "").
func listedBy(l store.Location) string {
	ids := l.ListedBy()
	if len(ids) == 0 {
		return ""
	}
	return fmt.Sprintf(", listed by %s", strings.Join(ids, " and "))
}

// unlist drops location id from the parents of the locations it lists,
// before it is removed: derived locations no other location lists go,
// with their entities and clones.
func (s *locations) unlist(ctx context.Context, id string) error {
	change, err := s.db.SetDerived(ctx, id, nil, nil, store.DerivedRules{})
	if err != nil {
		return err
	}
	for _, gone := range change.Removed {
		if err := s.syncer.Forget(ctx, gone); err != nil {
			s.log.Warn("delete the clone of a removed location", "location", gone, "err", err)
		}
		s.log.Info("derived location removed with the location listing it", "location", gone, "listedBy", id)
		s.events.emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: gone})
	}
	return nil
}
