package apiclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/portal/portaltest"
)

// recorder is the portal behind the socket: it records what arrives and
// answers what it is told to. Methods no test calls are left to the nil
// portal.API it embeds.
type recorder struct {
	portal.API
	bus   events.Bus
	query portal.EntityQuery
	ref   string
	limit int
	err   error
}

func (r *recorder) ListEntities(_ context.Context, q portal.EntityQuery) (portal.EntityList, error) {
	r.query = q
	return portal.EntityList{Items: []portal.EntitySummary{{Ref: "component:default/a"}}, Total: 1}, r.err
}

func (r *recorder) History(_ context.Context, ref string, limit int) (portal.EntityHistory, error) {
	r.ref, r.limit = ref, limit
	return portal.EntityHistory{}, r.err
}

func (r *recorder) ListLocations(context.Context) ([]portal.Location, error) { return nil, r.err }

func (r *recorder) SetStar(_ context.Context, ref string, on bool) error {
	r.ref = fmt.Sprint(ref, on)
	return r.err
}

func (r *recorder) Subscribe(ctx context.Context, names ...string) (<-chan events.Event, error) {
	in, cancel := r.bus.Subscribe()
	out := make(chan events.Event)
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-in:
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// TestArguments: what a call passes arrives as it was passed, whatever
// its characters.
func TestArguments(t *testing.T) {
	t.Parallel()
	r := &recorder{}
	c := portaltest.Client(t, r)
	ctx := context.Background()
	q := portal.EntityQuery{Kind: "component", Text: "pay & co/ments?", Filters: map[string]string{"spec.type": "a=b", "metadata.x": ""},
		Facets: map[string][]string{"owner": {"group:default/a", "user:x/y"}}, Starred: true, Sort: "owner", Desc: true, Offset: 5, Limit: 20}
	if _, err := c.ListEntities(ctx, q); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(q, r.query); diff != "" {
		t.Errorf("query (-sent +received)\n%s", diff)
	}
	for _, ref := range []string{"component:default/petstore", "Component:Default/Pet Store%20", "../x", "a?b#c", "ünïcode"} {
		if _, err := c.History(ctx, ref, 7); err != nil {
			t.Fatal(err)
		}
		if r.ref != ref || r.limit != 7 {
			t.Errorf("History(%q, 7) arrived as (%q, %d)", ref, r.ref, r.limit)
		}
	}
	if err := c.SetStar(ctx, "api:default/x", true); err != nil || r.ref != "api:default/xtrue" {
		t.Errorf("SetStar: %v, arrived as %q", err, r.ref)
	}
	if _, err := c.History(ctx, "", 0); !errors.Is(err, portal.ErrInvalid) {
		t.Errorf("History with no ref: %v, want ErrInvalid", err)
	}
}

// TestEmptyLists: a nil list the portal returns arrives as an empty one.
func TestEmptyLists(t *testing.T) {
	t.Parallel()
	c := portaltest.Client(t, &recorder{})
	locs, err := c.ListLocations(context.Background())
	if err != nil || locs == nil {
		t.Errorf("ListLocations = %#v, %v; want an empty list", locs, err)
	}
	h, err := c.History(context.Background(), "component:default/a", 0)
	if versions := h.Versions; err != nil || versions == nil {
		t.Errorf("History = %#v, %v; want an empty list", versions, err)
	}
}

// TestErrors: an error keeps its code, its position and its sentinel
// across the socket.
func TestErrors(t *testing.T) {
	t.Parallel()
	pos := catalog.Error{File: "catalog-info.yaml", Line: 4, Field: "metadata.name", Message: "not a name"}
	tests := []struct {
		err  error
		is   error
		want portal.Error
	}{
		{fmt.Errorf("entity x: %w", portal.ErrNotFound), portal.ErrNotFound, portal.Error{Code: portal.CodeNotFound, Message: "entity x: not found"}},
		{fmt.Errorf("%w: %w", portal.ErrInvalid, pos), portal.ErrInvalid,
			portal.Error{Code: portal.CodeInvalid, Message: "invalid request: catalog-info.yaml:4: metadata.name: not a name", File: "catalog-info.yaml", Line: 4, Field: "metadata.name"}},
		{fmt.Errorf("taken: %w", portal.ErrConflict), portal.ErrConflict, portal.Error{Code: portal.CodeConflict, Message: "taken: conflict"}},
		{fmt.Errorf("history: %w", portal.ErrBusy), portal.ErrBusy, portal.Error{Code: portal.CodeUnavailable, Message: "history: busy: try again in a few seconds"}},
		{errors.New("disk on fire"), nil, portal.Error{Code: portal.CodeInternal, Message: "disk on fire"}},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			t.Parallel()
			c := portaltest.Client(t, &recorder{err: tt.err})
			_, err := c.ListLocations(context.Background())
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%v is not %v", err, tt.is)
			}
			var got *portal.Error
			if !errors.As(err, &got) || *got != tt.want {
				t.Errorf("error %#v, want %#v", err, tt.want)
			}
		})
	}
}

// TestSubscribe: events arrive with their payloads typed as declared.
func TestSubscribe(t *testing.T) {
	t.Parallel()
	r := &recorder{}
	c := portaltest.Client(t, r)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := c.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sent := []events.Event{
		{Name: events.SyncProgress, Data: events.SyncProgressData{LocationID: "demo", Phase: "fetch", Done: 1, Total: 2}},
		{Name: events.SearchProgress, Data: portal.SearchProgress{Done: 3, Total: 4}},
		{Name: events.PluginsChanged, Data: struct{}{}},
		{Name: "future:event", Data: map[string]int{"n": 1}},
	}
	for _, ev := range sent {
		r.bus.Emit(ctx, ev.Name, ev.Data)
	}
	var got []events.Event
	for ev := range ch {
		got = append(got, ev)
		if len(got) == len(sent) {
			cancel()
		}
	}
	sent[3].Data = json.RawMessage(`{"n":1}`) // an event this client does not know stays raw
	if diff := cmp.Diff(sent, got); diff != "" {
		t.Errorf("events (-sent +received)\n%s", diff)
	}
}
