package portal

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/callboard/callboard/app/events"
)

// Events declares every event the portal publishes, with the API: each
// field's tag is the event's name (area:verb), its type the payload.
// apigen generates the names (events.CatalogChanged, …), the TypeScript
// map from name to payload and the Go client's decoding from it.
//
//api:events
type Events struct {
	// CatalogChanged: a location's entities changed (a sync, a write made
	// in the app, a plugin's entities).
	CatalogChanged events.SyncResultData `event:"catalog:changed"`
	// SyncProgress: a location's sync moved on a step.
	SyncProgress events.SyncProgressData `event:"sync:progress"`
	// SyncDone: a location's sync ended well.
	SyncDone events.SyncResultData `event:"sync:done"`
	// SyncError: a location's sync failed; Error says why.
	SyncError events.SyncResultData `event:"sync:error"`
	// OutboxChanged: a local commit was made, pushed, or kept on a
	// conflict branch.
	OutboxChanged events.SyncResultData `event:"outbox:changed"`
	// SearchProgress: the search index is being built.
	SearchProgress SearchProgress `event:"search:progress"`
	// ScaffoldProgress: a template run's step started or ended, or logged
	// a line.
	ScaffoldProgress ScaffoldEvent `event:"scaffold:progress"`
	// ScaffoldDone: a template run ended, as its history records it.
	ScaffoldDone ScaffoldRun `event:"scaffold:done"`
	// WorkbenchChanged: a workbench's folder changed and was read again.
	WorkbenchChanged Workbench `event:"workbench:changed"`
	// PluginsChanged: a plugin started, failed or was configured.
	PluginsChanged struct{} `event:"plugins:changed"`
	// UpdatesChecked: the update check read the release feed, or failed to.
	UpdatesChecked UpdateStatus `event:"updates:checked"`
	// DocsChanged: files of an open docs preview changed on disk; read
	// its site and page again.
	DocsChanged DocsPreviewChange `event:"docs:changed"`
	// FactsChanged: plugins reported facts about entities again; their
	// scorecards may have moved.
	FactsChanged FactsChange `event:"facts:changed"`
	// NotificationAdded: a notification was raised in the centre.
	NotificationAdded Notification `event:"notifications:added"`
}

// SearchProgress is how far the search index is being built: Done of
// Total documents.
type SearchProgress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// subscriptions let front ends follow the events on the bus.
type subscriptions struct {
	bus Bus
}

// Subscribe answers API.Subscribe.
func (s *subscriptions) Subscribe(ctx context.Context, names ...string) (<-chan events.Event, error) {
	want := map[string]bool{}
	for _, n := range names {
		if !events.Known(n) {
			return nil, fmt.Errorf("event %q: not one of %s: %w", n, strings.Join(events.Names(), ", "), ErrInvalid)
		}
		want[n] = true
	}
	if s.bus == nil {
		return nil, errors.New("this instance publishes no events")
	}
	in, cancel := s.bus.Subscribe()
	out := make(chan events.Event, cap(in))
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-in:
				if len(want) > 0 && !want[ev.Name] {
					continue
				}
				select {
				case out <- ev:
				default: // the listener fell behind: it misses this one, as on the bus
				}
			}
		}
	}()
	return out, nil
}
