package techradar

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
	"github.com/callboard/callboard/sync/gittest"
)

var now = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }

// clones are three synced locations: one without a radar, one with
// Callboard's (read at its synced commit, not at a later one), one with
// Backstage's in a folder.
func clones(t *testing.T) []*pluginv1.PageClone {
	t.Helper()
	mine, err := os.ReadFile("testdata/callboard.yaml")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := os.ReadFile("testdata/backstage.json")
	if err != nil {
		t.Fatal(err)
	}
	empty, a, b := gittest.New(t), gittest.New(t), gittest.New(t)
	empty.Commit("catalog", map[string][]byte{"catalog-info.yaml": []byte("kind: Component\n")})
	synced := a.Commit("radar", map[string][]byte{DefaultPath: mine})
	a.Commit("later", map[string][]byte{DefaultPath: []byte("not: [a radar")})
	b.Commit("radar", map[string][]byte{"radar/data.json": theirs})
	return []*pluginv1.PageClone{
		{LocationId: "z-backstage", Path: b.Bare()},
		{LocationId: "b-ours", Path: a.Dir, Commit: synced},
		{LocationId: "a-none", Path: empty.Dir},
	}
}

func TestPage(t *testing.T) {
	t.Parallel()
	p := Plugin(now)
	cs := clones(t)
	render := p.Pages[0].Render
	for _, c := range []struct {
		name        string
		config      map[string]string
		params      map[string]string
		subtitle    string
		entries     int
		highlighted string
		notice      string
	}{
		{name: "the first with a radar", subtitle: "From b-ours:techradar.yaml", entries: 2},
		{name: "a location and path", config: map[string]string{"location": "z-backstage", "path": "radar/data.json"}, subtitle: "From z-backstage:radar/data.json", entries: 2},
		{name: "an entity", params: map[string]string{"entity": "Component:default/orders"}, subtitle: "From b-ours:techradar.yaml", entries: 2, highlighted: "go"},
		{name: "an entry", params: map[string]string{"entry": "perl"}, subtitle: "From b-ours:techradar.yaml", entries: 2, highlighted: "perl"},
		{name: "a location without", config: map[string]string{"location": "a-none"}, notice: `location "a-none" has no techradar.yaml`},
		{name: "a wrong file", config: map[string]string{"path": "catalog-info.yaml"}, notice: "a-none:catalog-info.yaml:1: 0 quadrants, want 4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			resp, err := render(context.Background(), sdk.PageRequest{UIRequest: sdk.UIRequest{Request: sdk.Request{Config: c.config}, Clones: cs}, Params: c.params})
			if err != nil {
				t.Fatal(err)
			}
			if c.notice != "" {
				if n := resp.GetBlocks()[0].GetNotice(); !strings.Contains(n.GetText(), c.notice) {
					t.Errorf("notice = %q, want %q", n.GetText(), c.notice)
				}
				return
			}
			r := resp.GetBlocks()[0].GetRadar()
			if resp.GetSubtitle() != c.subtitle || len(r.GetEntries()) != c.entries || strings.Join(r.GetHighlighted(), ",") != c.highlighted {
				t.Errorf("page = %q, %d entries, highlighted %v", resp.GetSubtitle(), len(r.GetEntries()), r.GetHighlighted())
			}
			if c.highlighted != "" && resp.GetBlocks()[2].GetTable() == nil {
				t.Errorf("no table of the highlighted entries: %v", resp.GetBlocks())
			}
		})
	}
}

func TestRadarNumbersAndLinks(t *testing.T) {
	t.Parallel()
	data, _ := os.ReadFile("testdata/callboard.yaml")
	r, err := Parse("f", data)
	if err != nil {
		t.Fatal(err)
	}
	pr := toProto(r)
	goEntry, perl := pr.GetEntries()[0], pr.GetEntries()[1]
	if goEntry.GetNumber() != 1 || perl.GetNumber() != 2 || goEntry.GetMoved() != pluginv1.RadarMove_RADAR_MOVE_IN || perl.GetMoved() != pluginv1.RadarMove_RADAR_MOVE_OUT {
		t.Errorf("entries = %v", pr.GetEntries())
	}
	if goEntry.GetUrl() != "https://go.dev" || goEntry.GetLinks()[0].GetUrl() != "/catalog/component/default/payments" || goEntry.GetDate() != "2026-11-20T00:00:00Z" {
		t.Errorf("go = %v", goEntry)
	}
}

func TestHomeCard(t *testing.T) {
	t.Parallel()
	p := Plugin(now)
	cs := clones(t)
	views, err := p.HomeCards(context.Background(), sdk.UIRequest{Clones: cs})
	if err != nil || len(views) != 1 {
		t.Fatalf("cards = %v, %v", views, err)
	}
	// Go moved in ten days ago; Perl moved out 18 months ago.
	rows := views[0].GetBlocks()[0].GetTable().GetRows()
	if len(rows) != 1 || rows[0].GetCells()[1].GetText() != "Go" || rows[0].GetCells()[3].GetText() != "moved in" || rows[0].GetCells()[1].GetUrl() != PagePath+"?entry=go" {
		t.Errorf("rows = %v", rows)
	}
	if views, err := p.HomeCards(context.Background(), sdk.UIRequest{Clones: cs[2:]}); err != nil || len(views) != 0 {
		t.Errorf("with no radar: %v, %v", views, err)
	}
	broken := sdk.UIRequest{Request: sdk.Request{Config: map[string]string{"path": "catalog-info.yaml"}}, Clones: cs}
	if views, err := p.HomeCards(context.Background(), broken); err != nil || views[0].GetBlocks()[0].GetNotice().GetStatus() != pluginv1.Status_STATUS_ERROR {
		t.Errorf("with a broken radar: %v, %v", views, err)
	}
}

func TestShowOnRadar(t *testing.T) {
	t.Parallel()
	p := Plugin(now)
	cs := clones(t)
	a := p.EntityActions[0]
	for _, c := range []struct {
		kind, name string
		linked     bool
	}{{"Component", "payments", true}, {"component", "Orders", true}, {"Component", "perl", false}, {"API", "payments", false}} {
		req := sdk.EntityActionRequest{UIRequest: sdk.UIRequest{Clones: cs}, Entity: sdk.Entity{Kind: c.kind, Metadata: sdk.Metadata{Name: c.name}}}
		ok, err := a.Applies(context.Background(), req)
		if err != nil || ok != c.linked {
			t.Errorf("%s:%s applies = %v, %v", c.kind, c.name, ok, err)
		}
		resp, err := a.Run(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if want := PagePath + "?entity=" + strings.ToLower(c.kind) + "%3Adefault%2F" + strings.ToLower(c.name); c.linked && (resp.GetOpenUrl() != want || resp.GetNotice() != "On the radar: Go") {
			t.Errorf("%s:%s run = %v, want to open %s", c.kind, c.name, resp, want)
		}
		if !c.linked && resp.GetOpenUrl() != "" {
			t.Errorf("%s:%s run = %v", c.kind, c.name, resp)
		}
	}
}

// A radar whose moves are all older than 90 days shows the latest ones.
func TestHomeCardOnAQuietRadar(t *testing.T) {
	t.Parallel()
	later := func() time.Time { return time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC) }
	views, err := Plugin(later).HomeCards(context.Background(), sdk.UIRequest{Clones: clones(t)})
	if err != nil || len(views) != 1 {
		t.Fatalf("cards = %v, %v", views, err)
	}
	b := views[0].GetBlocks()
	if !strings.HasPrefix(b[0].GetNotice().GetText(), "No entry moved in the last 90 days") || len(b[1].GetTable().GetRows()) != 2 {
		t.Errorf("blocks = %v", b)
	}
}
