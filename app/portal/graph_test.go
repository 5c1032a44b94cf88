package portal

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestGraph(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := demoService(t)
	g, err := s.Graph(ctx, GraphQuery{Ref: "component:booking-service", Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	has := func(e GraphEdge) bool { return slices.Contains(g.Edges, e) }
	for _, e := range []GraphEdge{
		{"component:default/booking-service", "ownedBy", "group:default/team-harbour"},
		{"component:default/booking-service", "providesApi", "api:default/booking-api"},
		{"component:default/booking-service", "dependsOn", "resource:default/bookings-db"},
	} {
		if !has(e) {
			t.Errorf("depth 1 lacks %v; edges %v", e, g.Edges)
		}
	}
	for _, e := range g.Edges {
		if e.Type == "ownerOf" || e.Type == "apiProvidedBy" {
			t.Errorf("a relation shows the wrong way round: %v", e)
		}
	}
	deeper, err := s.Graph(ctx, GraphQuery{Ref: "component:booking-service", Depth: 2})
	if err != nil || len(deeper.Nodes) <= len(g.Nodes) {
		t.Errorf("depth 2 has %d nodes, depth 1 %d (%v)", len(deeper.Nodes), len(g.Nodes), err)
	}
	out, _ := s.Graph(ctx, GraphQuery{Ref: "group:team-harbour", Depth: 1, Direction: "out"})
	in, _ := s.Graph(ctx, GraphQuery{Ref: "group:team-harbour", Depth: 1, Direction: "in"})
	if slices.ContainsFunc(out.Edges, func(e GraphEdge) bool { return e.Type == "ownedBy" }) || !slices.ContainsFunc(in.Edges, func(e GraphEdge) bool { return e.Type == "ownedBy" }) {
		t.Errorf("direction: out %v, in %v", out.Edges, in.Edges)
	}
	owned, _ := s.Graph(ctx, GraphQuery{Ref: "group:team-harbour", Depth: 1, Types: []string{"ownedBy"}})
	for _, e := range owned.Edges {
		if e.Type != "ownedBy" {
			t.Errorf("types filter let %v through", e)
		}
	}
	for _, q := range []GraphQuery{{Ref: "component:booking-service", Depth: 9}, {Ref: "component:booking-service", Direction: "up"}, {Ref: ""}} {
		if _, err := s.Graph(ctx, q); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: err %v, want ErrInvalid", q, err)
		}
	}
	if _, err := s.Graph(ctx, GraphQuery{Ref: "component:nope"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing root: %v", err)
	}
}
