package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/callboard/callboard/app/portal"
)

// catalogUnregister takes an entity registered from the app out of the
// catalog as it came in, or says how it got there.
func (r *runner) catalogUnregister(ctx context.Context, args []string) error {
	fs := r.flags("catalog unregister")
	dryRun := fs.Bool("dry-run", false, "only say what unregistering would do")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("catalog unregister takes one entity ref, e.g. component:default/payments")
	}
	conn, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	plan, err := conn.api.UnregisterEntity(ctx, pos[0], true)
	if errors.Is(err, portal.ErrNotFound) || errors.Is(err, portal.ErrInvalid) {
		return usagef("catalog unregister: %v", err)
	}
	if err != nil {
		return err
	}
	if plan.Action == portal.UnregisterNone {
		return r.explainUnregister(ctx, conn.api, plan)
	}
	if !*dryRun {
		if plan, err = conn.api.UnregisterEntity(ctx, pos[0], false); err != nil {
			return err
		}
	}
	if r.json {
		return r.printJSON(plan)
	}
	verb := map[string]string{portal.UnregisterLocation: "removes location " + plan.LocationID, portal.UnregisterFile: "removes " + plan.File}[plan.Action]
	if plan.Done {
		verb = map[string]string{portal.UnregisterLocation: "removed location " + plan.LocationID, portal.UnregisterFile: "committed the removal of " + plan.File + " as " + short(plan.Commit) + "; the next sync pushes it"}[plan.Action]
	}
	fmt.Fprintf(r.env.Stdout, "%s: %s\n  %s\n", plan.Ref, verb, plan.Reason)
	if plan.LeavingTotal > 0 {
		fmt.Fprintf(r.env.Stdout, "  with %d other entities: %v\n", plan.LeavingTotal, plan.Leaving)
	}
	return nil
}

// explainUnregister says why an entity cannot be unregistered here and
// how it got into the catalog, and fails.
func (r *runner) explainUnregister(ctx context.Context, api portal.API, plan portal.Unregistration) error {
	insp, err := api.InspectEntity(ctx, plan.Ref)
	if err != nil {
		return err
	}
	if r.json {
		if err := r.printJSON(struct {
			portal.Unregistration
			Ancestry []portal.AncestryStep `json:"ancestry"`
		}{plan, insp.Ancestry}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(r.env.Stdout, "%s was not registered from Callboard: %s.\nHow it got here:\n", plan.Ref, plan.Reason)
		for _, s := range insp.Ancestry {
			at := s.File
			if s.Line > 0 {
				at = fmt.Sprintf("%s:%d", s.File, s.Line)
			}
			fmt.Fprintf(r.env.Stdout, "  %-15s %s  %s %s\n", s.Kind, s.LocationID, at, s.EntityRef)
		}
	}
	return invalidError{fmt.Sprintf("%s is not unregistered: take it out of %s", plan.Ref, plan.File)}
}
