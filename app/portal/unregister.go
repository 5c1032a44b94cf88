package portal

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/outbox"
	"github.com/callboard/callboard/sync/syncer"
)

// registerSubject starts the subject of the commits the app makes to
// register an entity: the import wizard's and the Register component
// dialog's. The commit that added an entity to its file says whether the
// app registered it there.
const registerSubject = "Register "

// unregisterHistory bounds the versions of an entity read to find the
// commit that added it; an entity changed more often than that is taken
// as not registered from the app.
const unregisterHistory = 200

// unregisterer takes an entity registered from the app out of the
// catalog the way it came in: the location the app added, or the file a
// commit made in the app added.
type unregisterer struct {
	inspector entityInspector
	db        unregisterStore
	history   fileHistory
	writer    fileCommitter
	locations locationRemover
	log       *slog.Logger
}

// entityInspector inspects an entity (inspect.go).
type entityInspector interface {
	InspectEntity(ctx context.Context, ref string) (EntityInspection, error)
}

// unregisterStore reads an entity and its location; "not found" is ok=false.
type unregisterStore interface {
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	locationReader
}

// locationRemover unregisters a location (locations.go).
type locationRemover interface {
	RemoveLocation(ctx context.Context, id string) error
}

// UnregisterEntity answers API.UnregisterEntity.
func (u *unregisterer) UnregisterEntity(ctx context.Context, ref string, dryRun bool) (Unregistration, error) {
	if err := requireID("ref", ref); err != nil {
		return Unregistration{}, err
	}
	plan, err := u.plan(ctx, ref)
	if err != nil || dryRun {
		return plan, err
	}
	switch plan.Action {
	case UnregisterLocation:
		if err := u.locations.RemoveLocation(ctx, plan.LocationID); err != nil {
			return Unregistration{}, err
		}
	case UnregisterFile:
		e, err := u.writer.Write(ctx, plan.LocationID, syncer.Write{
			Changes: []outbox.Change{{Path: plan.File, Delete: true}},
			Message: fmt.Sprintf("Unregister %s\n\nRemove %s from the catalog, with Callboard's Unregister.", plan.Ref, plan.File),
		})
		if err != nil {
			return Unregistration{}, fmt.Errorf("remove %s from %s: %w", plan.File, plan.LocationID, syncError(err))
		}
		plan.Commit = e.Commit
	default:
		return Unregistration{}, fmt.Errorf("unregister %s: %s: %w", plan.Ref, plan.Reason, ErrConflict)
	}
	plan.Done = true
	u.log.Info("entity unregistered", "entity", plan.Ref, "action", plan.Action, "location", plan.LocationID)
	return plan, nil
}

// plan says how ref would leave the catalog.
func (u *unregisterer) plan(ctx context.Context, ref string) (Unregistration, error) {
	insp, err := u.inspector.InspectEntity(ctx, ref)
	if err != nil {
		return Unregistration{}, err
	}
	e, ok, err := u.db.Entity(ctx, insp.Ref)
	if err != nil {
		return Unregistration{}, err
	} else if !ok {
		return Unregistration{}, fmt.Errorf("entity %q: %w", ref, ErrNotFound)
	}
	loc, ok, err := u.db.Location(ctx, e.LocationID)
	if err != nil {
		return Unregistration{}, err
	} else if !ok {
		return Unregistration{}, fmt.Errorf("location %q of %s: %w", e.LocationID, insp.Ref, ErrNotFound)
	}
	p := Unregistration{Ref: insp.Ref, Action: UnregisterNone, LocationID: loc.ID, File: e.Source.File, Leaving: []string{}}
	root := len(insp.Ancestry) > 0 && insp.Ancestry[0].Kind == AncestryLocation && insp.Ancestry[0].LocationID == loc.ID && insp.Ancestry[0].File == e.Source.File
	switch {
	case loc.ID == DemoLocationID:
		p.Reason = "it belongs to the demo organisation, which Settings removes as a whole"
	case isPluginLocation(loc.URL):
		p.Reason = "a plugin provides it; turn the plugin off in Settings to take its entities away"
	case loc.Org != nil || loc.Derived || len(loc.Parents) > 0:
		p.Reason = "a catalog or organisation listed its repository; take it out of the file that lists it"
	case strings.Contains(e.Source.File, "://"):
		p.Reason = "it was read from a URL another catalog file names; take it out of the file that names it"
	case root:
		p.Action, p.Reason = UnregisterLocation, fmt.Sprintf("its file is the root of location %s, which was added in Callboard: the location goes, with every entity it provides; the repository is not touched", loc.ID)
		for _, s := range insp.Colocated.Location {
			p.Leaving = append(p.Leaving, s.Ref)
		}
		p.LeavingTotal = insp.Colocated.LocationTotal
		return p, nil
	default:
		p.Reason = "a Location entity's target reaches its file, and no commit made in Callboard added it; take it out of that file or remove the file"
		if added, ok := u.addedBy(ctx, loc.ID, e.Source.File, insp.Ref); ok && strings.HasPrefix(added.Message, registerSubject) {
			p.Action, p.Reason = UnregisterFile, fmt.Sprintf("commit %s (%q), made in Callboard, added it: a commit removing %s goes through the outbox", shortHash(added.Commit), subjectOf(added.Message), e.Source.File)
			for _, s := range insp.Colocated.File {
				p.Leaving = append(p.Leaving, s.Ref)
			}
			p.LeavingTotal = len(p.Leaving)
		}
	}
	return p, nil
}

// addedBy is the commit that added entity ref to file, when the clone
// holds it.
func (u *unregisterer) addedBy(ctx context.Context, locationID, file, ref string) (syncer.Version, bool) {
	h, err := u.history.History(ctx, locationID, file, ref, unregisterHistory)
	if err != nil || len(h.Versions) == 0 || len(h.Versions) >= unregisterHistory || h.Shallow {
		return syncer.Version{}, false
	}
	first := h.Versions[len(h.Versions)-1]
	return first, !first.Boundary
}

func subjectOf(message string) string {
	subject, _, _ := strings.Cut(message, "\n")
	return subject
}

func shortHash(h string) string { return h[:min(len(h), 7)] }
