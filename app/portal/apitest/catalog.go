package apitest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

// notFoundRefs are refs of no entity, each odd in its own way for a
// transport that puts refs in URLs; every by-ref method answers them with
// ErrNotFound.
var notFoundRefs = []string{
	"component:default/nope",
	"component:edge.gateway_v2-beta", // the default namespace, where it is not
	"component:default/a?b#c",
	"component:default/a/b",
	"component:default/..",
	"component:default/%2F",
	"component:default/" + strings.Repeat("x", 2000),
}

// invalidRefs are not refs at all: ErrInvalid.
var invalidRefs = []string{"", "payments", "component:", ":default/payments", "component:default/"}

// refs lists the refs of summaries.
func refs(items []portal.EntitySummary) []string {
	out := make([]string, 0, len(items))
	for _, e := range items {
		out = append(out, e.Ref)
	}
	return out
}

func testInfo(t *testing.T, s *suite) {
	o := s.shared
	info, err := o.API.Info(t.Context())
	must(t, "Info", err)
	if info.Version != Version || info.Mode != "serve" || info.DataDir == "" {
		t.Errorf("Info = %+v, want version %s, mode serve and the data dir", info, Version)
	}
	// The organisation's entities; the demo's location is not synced.
	if info.Entities != entities || info.Locations != 2 {
		t.Errorf("Info counts %d entities in %d locations, want %d in 2", info.Entities, info.Locations, entities)
	}
	if _, err := time.Parse(time.RFC3339, info.StartedAt); err != nil {
		t.Errorf("StartedAt %q: %v", info.StartedAt, err)
	}
	lists(t, o.Fixture, "Info", info)
}

func testListEntities(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	tests := []struct {
		name  string
		q     portal.EntityQuery
		total int
		want  []string // the refs of the page, in order; nil: not checked
	}{
		{name: "a kind, in any case", q: portal.EntityQuery{Kind: "API"}, total: 1, want: []string{apiRef}},
		{name: "alternatives of a facet", q: portal.EntityQuery{Facets: map[string][]string{"kind": {"system", "api"}}}, total: 2,
			want: []string{apiRef, "system:default/checkout"}},
		{name: "another namespace", q: portal.EntityQuery{Facets: map[string][]string{"namespace": {"ops-team"}}}, total: 2,
			want: []string{gatewayRef, sreRef}},
		{name: "owner", q: portal.EntityQuery{Facets: map[string][]string{"owner": {sreRef}}}, total: generated + 1},
		{name: "two facets", q: portal.EntityQuery{Facets: map[string][]string{"owner": {sreRef}, "type": {"service"}}}, total: 1,
			want: []string{gatewayRef}},
		{name: "tag", q: portal.EntityQuery{Facets: map[string][]string{"tag": {"payments"}}}, total: 1, want: []string{paymentsRef}},
		{name: "text in a title, in any case", q: portal.EntityQuery{Text: "GATEWAY"}, total: 1, want: []string{gatewayRef}},
		{name: "text in a description", q: portal.EntityQuery{Text: "card payments"}, total: 1, want: []string{paymentsRef}},
		{name: "text of no entity", q: portal.EntityQuery{Text: "no such thing"}, total: 0, want: []string{}},
		{name: "long text", q: portal.EntityQuery{Text: strings.Repeat("gateway ", 1000)}, total: 0, want: []string{}},
		{name: "errors only", q: portal.EntityQuery{HasErrors: true}, total: 0, want: []string{}},
		{name: "a page", q: portal.EntityQuery{Kind: "component", Offset: 100, Limit: 100}, total: generated + 2},
		{name: "by name, descending", q: portal.EntityQuery{Kind: "component", Sort: "name", Desc: true, Limit: 3}, total: generated + 2,
			want: []string{"component:default/svc-149", "component:default/svc-148", "component:default/svc-147"}},
		// The first filter: a relation's reads the relations too.
		{name: "a filter on a relation", q: portal.EntityQuery{Filters: map[string]string{"relations.ownedBy": sreRef, "spec.type": "service"}}, total: 1,
			want: []string{gatewayRef}},
		{name: "a filter", q: portal.EntityQuery{Filters: map[string]string{"spec.lifecycle": "experimental"}}, total: 1,
			want: []string{gatewayRef}},
		{name: "a filter on a nested field", q: portal.EntityQuery{Filters: map[string]string{"spec.profile.email": "jane@example.invalid"}}, total: 1,
			want: []string{userRef}},
		{name: "a filter and a kind", q: portal.EntityQuery{Kind: "component", Filters: map[string]string{"spec.type": "service"}}, total: 2,
			want: []string{gatewayRef, paymentsRef}},
		{name: "a filter on an array's item, in any case", q: portal.EntityQuery{Filters: map[string]string{"Metadata.Tags": "PAYMENTS"}}, total: 1,
			want: []string{paymentsRef}},
		{name: "a filter and a facet", q: portal.EntityQuery{Facets: map[string][]string{"owner": {sreRef}}, Filters: map[string]string{"spec.type": "service"}}, total: 1,
			want: []string{gatewayRef}},
		{name: "a filter matching nothing", q: portal.EntityQuery{Filters: map[string]string{"spec.type": "nothing"}}, total: 0, want: []string{}},
		{name: "a filter, a later page", q: portal.EntityQuery{Filters: map[string]string{"spec.type": "library"}, Offset: 2, Limit: 3}, total: generated,
			want: []string{"component:default/svc-002", "component:default/svc-003", "component:default/svc-004"}},
		{name: "a filter, past the end", q: portal.EntityQuery{Filters: map[string]string{"spec.type": "library"}, Offset: generated}, total: generated,
			want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := o.API.ListEntities(ctx, tt.q)
			must(t, "ListEntities", err)
			if got.Total != tt.total {
				t.Errorf("Total = %d, want %d", got.Total, tt.total)
			}
			if tt.want != nil {
				if diff := gocmp.Diff(tt.want, refs(got.Items)); diff != "" {
					t.Errorf("refs (-want +got):\n%s", diff)
				}
			} else if n := min(cmp.Or(tt.q.Limit, 100), tt.total-tt.q.Offset); len(got.Items) != n {
				t.Errorf("%d items, want %d", len(got.Items), n)
			}
			lists(t, o.Fixture, "EntityList", got)
		})
	}

	t.Run("everything, by kind then name", func(t *testing.T) {
		got, err := o.API.ListEntities(ctx, portal.EntityQuery{Limit: 500})
		must(t, "ListEntities", err)
		if got.Total != entities || len(got.Items) != entities {
			t.Fatalf("%d items of %d, want %d", len(got.Items), got.Total, entities)
		}
		byKindName := func(a, b portal.EntitySummary) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a.Kind), strings.ToLower(b.Kind)),
				cmp.Compare(strings.ToLower(cmp.Or(a.Title, a.Name)), strings.ToLower(cmp.Or(b.Title, b.Name))))
		}
		if !slices.IsSortedFunc(got.Items, byKindName) {
			t.Errorf("not sorted by kind, then name: %v", refs(got.Items))
		}
		first, err := o.API.ListEntities(ctx, portal.EntityQuery{})
		must(t, "ListEntities", err)
		if len(first.Items) != 100 || !slices.Equal(refs(first.Items), refs(got.Items[:100])) {
			t.Errorf("the default page is not the first 100 rows: %d rows", len(first.Items))
		}
		var d portal.EntitySummary
		for _, e := range got.Items {
			if e.Ref == paymentsRef {
				d = e
			}
		}
		want := portal.EntitySummary{Ref: paymentsRef, Kind: "Component", Namespace: "default", Name: "payments", Title: "Payments",
			Description: "Takes card payments and refunds.", Owner: teamRef, Type: "service", Lifecycle: "production",
			System: "system:default/checkout", Tags: []string{"go", "payments"}, LocationID: o.loc.ID}
		if diff := gocmp.Diff(want, d); diff != "" {
			t.Errorf("payments' row (-want +got):\n%s", diff)
		}
	})

	t.Run("pages add up to the whole", func(t *testing.T) {
		whole, err := o.API.ListEntities(ctx, portal.EntityQuery{Kind: "component", Limit: 500})
		must(t, "ListEntities", err)
		var paged []string
		for offset := 0; offset < whole.Total; offset += 40 {
			page, err := o.API.ListEntities(ctx, portal.EntityQuery{Kind: "component", Offset: offset, Limit: 40})
			must(t, "ListEntities", err)
			if page.Total != whole.Total {
				t.Errorf("page at %d: Total %d, want %d", offset, page.Total, whole.Total)
			}
			paged = append(paged, refs(page.Items)...)
		}
		if diff := gocmp.Diff(refs(whole.Items), paged); diff != "" {
			t.Errorf("pages (-whole +pages):\n%s", diff)
		}
	})

	t.Run("facets count the other facets' matches", func(t *testing.T) {
		got, err := o.API.ListEntities(ctx, portal.EntityQuery{Kind: "component"})
		must(t, "ListEntities", err)
		want := []portal.FacetCount{{Value: "production", Count: generated + 1}, {Value: "experimental", Count: 1}}
		if diff := gocmp.Diff(want, got.Facets["lifecycle"]); diff != "" {
			t.Errorf("lifecycle facet (-want +got):\n%s", diff)
		}
		if !slices.Contains(got.Facets["kind"], portal.FacetCount{Value: "template", Count: 3}) {
			t.Errorf("kind facet %v: want the other kinds counted too", got.Facets["kind"])
		}
	})
}

func testGetEntity(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	for _, tt := range []struct{ ref, want string }{
		{paymentsRef, paymentsRef},
		{"component:payments", paymentsRef},
		{"Component:Ops-Team/Edge.Gateway_V2-Beta", gatewayRef},
		{"user:jane.doe", userRef},
	} {
		d, err := o.API.GetEntity(ctx, tt.ref)
		must(t, "GetEntity "+tt.ref, err)
		if d.Ref != tt.want {
			t.Errorf("GetEntity(%q).Ref = %q, want %q", tt.ref, d.Ref, tt.want)
		}
		lists(t, o.Fixture, "GetEntity "+tt.ref, d)
	}
	for _, ref := range notFoundRefs {
		_, err := o.API.GetEntity(ctx, ref)
		wantErr(t, fmt.Sprintf("GetEntity(%.40q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.GetEntity(ctx, ref)
		wantErr(t, fmt.Sprintf("GetEntity(%q)", ref), err, portal.ErrInvalid)
	}

	d, err := o.API.GetEntity(ctx, paymentsRef)
	must(t, "GetEntity", err)
	if d.Title != "Payments" || d.Description != "Takes card payments and refunds." || d.Owner != teamRef || d.HasErrors || d.Pending || d.Starred {
		t.Errorf("payments = %+v", d.EntitySummary)
	}
	wantRels := []portal.Relation{
		{Type: "dependsOn", TargetRef: gatewayRef},
		{Type: "dependsOn", TargetRef: "resource:default/ledger-db", Missing: true},
		{Type: "ownedBy", TargetRef: teamRef},
		{Type: "partOf", TargetRef: "system:default/checkout"},
		{Type: "providesApi", TargetRef: apiRef},
	}
	rels := slices.SortedFunc(slices.Values(d.Relations), func(a, b portal.Relation) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.TargetRef, b.TargetRef))
	})
	if diff := gocmp.Diff(wantRels, rels); diff != "" {
		t.Errorf("relations (-want +got):\n%s", diff)
	}
	if d.Source.LocationID != o.loc.ID || d.Source.File != "services.yaml" || d.Source.Line < 1 || d.Source.Commit != o.loc.HeadCommit {
		t.Errorf("source = %+v, want services.yaml of location %s at %s", d.Source, o.loc.ID, o.loc.HeadCommit)
	}
	if md, _ := d.Entity["metadata"].(map[string]any); md["name"] != "payments" {
		t.Errorf("entity document's metadata = %v", d.Entity["metadata"])
	}
	if !strings.Contains(d.YAML, "name: payments") {
		t.Errorf("YAML = %q", d.YAML)
	}
	if len(d.Errors) != 0 {
		t.Errorf("errors = %+v", d.Errors)
	}
	g, err := o.API.GetEntity(ctx, gatewayRef)
	must(t, "GetEntity", err)
	if g.Namespace != "ops-team" || g.Name != "edge.gateway_v2-beta" || g.Owner != sreRef || g.Kind != "Component" {
		t.Errorf("the gateway = %+v, want its namespace, name and owner as written", g.EntitySummary)
	}
}

func testGraph(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	nodeRefs := func(g portal.Graph) []string {
		var out []string
		for _, n := range g.Nodes {
			out = append(out, n.Ref)
		}
		return out
	}
	for _, tt := range []struct {
		name  string
		q     portal.GraphQuery
		nodes []string
		edges []portal.GraphEdge
	}{
		{
			name:  "one hop out along one type",
			q:     portal.GraphQuery{Ref: paymentsRef, Depth: 1, Direction: "out", Types: []string{"dependsOn"}},
			nodes: []string{paymentsRef, gatewayRef, "resource:default/ledger-db"},
			edges: []portal.GraphEdge{{Source: paymentsRef, Type: "dependsOn", Target: gatewayRef}, {Source: paymentsRef, Type: "dependsOn", Target: "resource:default/ledger-db"}},
		},
		{
			name:  "one hop in, from another namespace, by the reverse type",
			q:     portal.GraphQuery{Ref: "Component:Ops-Team/Edge.Gateway_V2-Beta", Depth: 1, Direction: "in", Types: []string{"dependencyOf"}},
			nodes: []string{paymentsRef, gatewayRef},
			edges: []portal.GraphEdge{{Source: paymentsRef, Type: "dependsOn", Target: gatewayRef}},
		},
		{
			name:  "a type no relation has",
			q:     portal.GraphQuery{Ref: paymentsRef, Types: []string{"nothing"}},
			nodes: []string{paymentsRef},
			edges: []portal.GraphEdge{},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, err := o.API.Graph(ctx, tt.q)
			must(t, "Graph", err)
			if diff := gocmp.Diff(tt.nodes, nodeRefs(g)); diff != "" {
				t.Errorf("nodes (-want +got):\n%s", diff)
			}
			if diff := gocmp.Diff(tt.edges, g.Edges); diff != "" {
				t.Errorf("edges (-want +got):\n%s", diff)
			}
			lists(t, o.Fixture, "Graph", g)
		})
	}

	t.Run("both ways, two hops", func(t *testing.T) {
		g, err := o.API.Graph(ctx, portal.GraphQuery{Ref: paymentsRef})
		must(t, "Graph", err)
		byRef := map[string]portal.GraphNode{}
		for _, n := range g.Nodes {
			byRef[n.Ref] = n
		}
		for ref, depth := range map[string]int{paymentsRef: 0, gatewayRef: 1, teamRef: 1, apiRef: 1, sreRef: 2, userRef: 2} {
			if n, ok := byRef[ref]; !ok || n.Depth != depth || n.Missing {
				t.Errorf("node %s = %+v, present %v; want depth %d", ref, n, ok, depth)
			}
		}
		if n := byRef["resource:default/ledger-db"]; !n.Missing || n.Kind != "resource" || n.Name != "ledger-db" {
			t.Errorf("the missing resource = %+v", n)
		}
		if n := byRef[gatewayRef]; n.Kind != "Component" || n.Name != "edge.gateway_v2-beta" || n.Title != "Edge gateway" || n.Type != "service" {
			t.Errorf("the gateway's node = %+v", n)
		}
		if !slices.IsSortedFunc(g.Nodes, func(a, b portal.GraphNode) int { return strings.Compare(a.Ref, b.Ref) }) {
			t.Errorf("nodes not sorted by ref: %v", nodeRefs(g))
		}
		if !slices.Contains(g.Edges, portal.GraphEdge{Source: sreRef, Type: "ownerOf", Target: gatewayRef}) &&
			!slices.Contains(g.Edges, portal.GraphEdge{Source: gatewayRef, Type: "ownedBy", Target: sreRef}) {
			t.Errorf("edges %v: want the gateway's owner", g.Edges)
		}
	})

	t.Run("a large neighbourhood", func(t *testing.T) {
		g, err := o.API.Graph(ctx, portal.GraphQuery{Ref: sreRef, Depth: 1})
		must(t, "Graph", err)
		if len(g.Nodes) != generated+2 || len(g.Edges) != generated+1 || g.Truncated {
			t.Errorf("%d nodes, %d edges, truncated %v; want %d, %d", len(g.Nodes), len(g.Edges), g.Truncated, generated+2, generated+1)
		}
	})

	for _, q := range []portal.GraphQuery{
		{Ref: paymentsRef, Depth: 5},
		{Ref: paymentsRef, Depth: -1},
		{Ref: paymentsRef, Direction: "sideways"},
	} {
		_, err := o.API.Graph(ctx, q)
		wantErr(t, fmt.Sprintf("Graph(%+v)", q), err, portal.ErrInvalid)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.Graph(ctx, portal.GraphQuery{Ref: ref})
		wantErr(t, fmt.Sprintf("Graph(%q)", ref), err, portal.ErrInvalid)
	}
	for _, ref := range notFoundRefs {
		_, err := o.API.Graph(ctx, portal.GraphQuery{Ref: ref})
		wantErr(t, fmt.Sprintf("Graph(%.40q)", ref), err, portal.ErrNotFound)
	}
}

func testHistory(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	h, err := o.API.History(ctx, paymentsRef, 0)
	must(t, "History", err)
	if h.LocationID != o.loc.ID || h.Shallow {
		t.Errorf("History of a whole clone: location %q, shallow %v; want %q, false", h.LocationID, h.Shallow, o.loc.ID)
	}
	vs := h.Versions
	if len(vs) != 2 || vs[0].Message != "Describe payments" || vs[1].Message != "Add the organisation" {
		t.Fatalf("History = %+v, want the two commits, newest first", vs)
	}
	change := portal.FieldChange{Path: "metadata.description", Old: "Takes card payments.", New: "Takes card payments and refunds."}
	if !slices.Contains(vs[0].Changes, change) || vs[0].Author != "Test Author" || vs[0].Commit != o.loc.HeadCommit {
		t.Errorf("newest version = %+v, want %+v by Test Author at %s", vs[0], change, o.loc.HeadCommit)
	}
	newest, err1 := time.Parse(time.RFC3339, vs[0].When)
	oldest, err2 := time.Parse(time.RFC3339, vs[1].When)
	if err1 != nil || err2 != nil || !newest.After(oldest) {
		t.Errorf("When %q, %q: want RFC 3339, newest first", vs[0].When, vs[1].When)
	}
	lists(t, o.Fixture, "History", h)

	one, err := o.API.History(ctx, paymentsRef, 1)
	must(t, "History", err)
	if len(one.Versions) != 1 || one.Versions[0].Commit != vs[0].Commit {
		t.Errorf("History with limit 1 = %+v", one)
	}
	gwh, err := o.API.History(ctx, "Component:Ops-Team/Edge.Gateway_V2-Beta", 0)
	must(t, "History", err)
	if gw := gwh.Versions; len(gw) == 0 || gw[len(gw)-1].Message != "Add the organisation" {
		t.Errorf("the gateway's history = %+v", gw)
	}
	for _, ref := range notFoundRefs {
		_, err := o.API.History(ctx, ref, 0)
		wantErr(t, fmt.Sprintf("History(%.40q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.History(ctx, ref, 0)
		wantErr(t, fmt.Sprintf("History(%q)", ref), err, portal.ErrInvalid)
	}
}

// testDeepenHistory: a clone already whole stays as it was (the syncer's
// tests deepen shallow clones of discovered repositories on a real git
// server), and the location is synced after it, so a commit pushed before
// the deepen is in the catalog; an organisation has no clone of its own.
func testDeepenHistory(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	must(t, "DeepenHistory", o.API.DeepenHistory(ctx, o.loc.ID))
	h, err := o.API.History(ctx, paymentsRef, 0)
	must(t, "History after DeepenHistory", err)
	if h.Shallow || len(h.Versions) != 2 {
		t.Errorf("History after DeepenHistory of a whole clone = %+v", h)
	}

	moved := s.fresh(t)
	repo := gittest.New(t)
	repo.Commit("Add the organisation", orgFiles())
	loc, err := moved.API.AddLocation(ctx, portal.NewLocation{URL: repo.Dir})
	must(t, "AddLocation", err)
	_, err = moved.API.Sync(ctx, loc.ID)
	must(t, "Sync", err)
	head := repo.Commit("Describe payments again", map[string][]byte{"services.yaml": []byte(servicesYAML("Pushed before the deepen."))})
	must(t, "DeepenHistory after a push", moved.API.DeepenHistory(ctx, loc.ID))
	d, err := moved.API.GetEntity(ctx, paymentsRef)
	must(t, "GetEntity after DeepenHistory", err)
	if d.Description != "Pushed before the deepen." || d.Source.Commit != head {
		t.Errorf("payments after DeepenHistory: %q at %s; want the commit pushed before it, %s", d.Description, d.Source.Commit, head)
	}
	for _, id := range notFoundIDs {
		wantErr(t, fmt.Sprintf("DeepenHistory(%.20q)", id), o.API.DeepenHistory(ctx, id), portal.ErrNotFound)
	}
	f := s.fresh(t)
	addOrg(t, f)
	wantErr(t, "DeepenHistory of an organisation", f.API.DeepenHistory(ctx, "acme"), portal.ErrInvalid)
}

func testUserState(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	st, err := o.API.UserState(ctx)
	must(t, "UserState", err)
	if len(st.Starred) != 0 || len(st.Recent) != 0 {
		t.Errorf("a new user's state = %+v", st)
	}
	lists(t, o.Fixture, "UserState", st)

	_, err = o.API.UpdateSettings(ctx, portal.Settings{SyncIntervalMinutes: 5, UserRef: "user:jane.doe"})
	must(t, "UpdateSettings", err)
	must(t, "SetStar", o.API.SetStar(ctx, paymentsRef, true))
	must(t, "Visit", o.API.Visit(ctx, gatewayRef))
	st, err = o.API.UserState(ctx)
	must(t, "UserState", err)
	want := portal.Identity{UserRef: userRef, Name: "Jane Doe", Email: "jane@example.invalid", Groups: []string{teamRef}, Source: "settings"}
	if diff := gocmp.Diff(want, st.Identity); diff != "" {
		t.Errorf("identity (-want +got):\n%s", diff)
	}
	if len(st.Starred) != 1 || st.Starred[0].Ref != paymentsRef || !st.Starred[0].Starred {
		t.Errorf("starred = %+v", st.Starred)
	}
	if len(st.Recent) != 1 || st.Recent[0].Ref != gatewayRef {
		t.Errorf("recent = %+v", st.Recent)
	}
	lists(t, o.Fixture, "UserState", st)

	// The user's own entities: those of the user and their groups.
	mine, err := o.API.ListEntities(ctx, portal.EntityQuery{Mine: true, Limit: 50})
	must(t, "ListEntities", err)
	wantMine := []string{apiRef, paymentsRef, "system:default/checkout", brokenRef, helloRef, slowRef}
	if diff := gocmp.Diff(wantMine, refs(mine.Items)); diff != "" {
		t.Errorf("mine (-want +got):\n%s", diff)
	}
}

func testSetStar(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	starred := func() []string {
		t.Helper()
		got, err := o.API.ListEntities(ctx, portal.EntityQuery{Starred: true})
		must(t, "ListEntities", err)
		for _, e := range got.Items {
			if !e.Starred {
				t.Errorf("%s is listed among the starred but not marked starred", e.Ref)
			}
		}
		return refs(got.Items)
	}
	must(t, "SetStar", o.API.SetStar(ctx, "Component:Ops-Team/Edge.Gateway_V2-Beta", true))
	must(t, "SetStar", o.API.SetStar(ctx, apiRef, true))
	must(t, "SetStar twice", o.API.SetStar(ctx, apiRef, true))
	if diff := gocmp.Diff([]string{apiRef, gatewayRef}, starred()); diff != "" {
		t.Errorf("starred (-want +got):\n%s", diff)
	}
	if d, err := o.API.GetEntity(ctx, gatewayRef); err != nil || !d.Starred {
		t.Errorf("the starred gateway: starred %v, %v", d.Starred, err)
	}
	must(t, "SetStar off", o.API.SetStar(ctx, gatewayRef, false))
	must(t, "SetStar off", o.API.SetStar(ctx, apiRef, false))
	if got := starred(); len(got) != 0 {
		t.Errorf("starred after taking the stars away = %v", got)
	}
	for _, ref := range invalidRefs {
		wantErr(t, fmt.Sprintf("SetStar(%q)", ref), o.API.SetStar(ctx, ref, true), portal.ErrInvalid)
	}
}

func testVisit(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	recent := func() []string {
		t.Helper()
		st, err := o.API.UserState(ctx)
		must(t, "UserState", err)
		return refs(st.Recent)
	}
	for _, ref := range []string{paymentsRef, "Component:Ops-Team/Edge.Gateway_V2-Beta", apiRef, paymentsRef} {
		must(t, "Visit "+ref, o.API.Visit(ctx, ref))
	}
	if diff := gocmp.Diff([]string{paymentsRef, apiRef, gatewayRef}, recent()); diff != "" {
		t.Errorf("recent, newest first (-want +got):\n%s", diff)
	}
	for i := range 25 {
		must(t, "Visit", o.API.Visit(ctx, fmt.Sprintf("component:default/svc-%03d", i)))
	}
	if got := recent(); len(got) != 20 || got[0] != "component:default/svc-024" {
		t.Errorf("recent after 25 more visits = %v, want the newest 20", got)
	}
	for _, ref := range invalidRefs {
		wantErr(t, fmt.Sprintf("Visit(%q)", ref), o.API.Visit(ctx, ref), portal.ErrInvalid)
	}
}
