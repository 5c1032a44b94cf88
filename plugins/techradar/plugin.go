package techradar

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// Name is the plugin's name; its page is at /plugins/techradar/radar.
const Name = "techradar"

// PagePath is the app route of the radar page.
const PagePath = "/plugins/" + Name + "/radar"

// recent is how far back the Home card looks for moves.
const recent = 90 * 24 * time.Hour

// plugin serves the radar; now tells the time for "moved recently".
type plugin struct {
	now func() time.Time
}

// Plugin is the plugin as the SDK serves it.
func Plugin(now func() time.Time) sdk.Plugin {
	p := plugin{now: now}
	return sdk.Plugin{
		Name: Name, Version: "1.0.0",
		Description: "A technology radar from a YAML or JSON file in a synced repository (Backstage's tech-radar format too).",
		Config: []*pluginv1.ConfigField{
			{Key: settingLocation, Title: "Location", Description: "The id of the synced location with the radar file; empty: the first that has one."},
			{Key: settingPath, Title: "File", Description: "The radar file's path in that repository (default " + DefaultPath + ")."},
		},
		ReadsClones: true,
		Pages:       []sdk.Page{{ID: "radar", Title: "Tech Radar", Icon: "radar", NavOrder: 10, Render: p.page}},
		HomeCards:   p.homeCards,
		EntityActions: []sdk.EntityAction{{ID: "show-on-radar", Title: "Show on radar", Applies: p.linked,
			Run: p.showOnRadar}},
	}
}

func (p plugin) page(_ context.Context, req sdk.PageRequest) (*pluginv1.PageResponse, error) {
	found, err := load(req.Config, req.Clones)
	if err != nil {
		return &pluginv1.PageResponse{Blocks: problems(err)}, nil
	}
	radar := toProto(found.Radar)
	resp := &pluginv1.PageResponse{Subtitle: "From " + found.Source}
	var picked []*pluginv1.RadarEntry
	switch {
	case req.Params["entity"] != "":
		ref := strings.ToLower(req.Params["entity"])
		for i, e := range found.Radar.Entries {
			if slices.Contains(e.Entities, ref) {
				picked = append(picked, radar.Entries[i])
			}
		}
	case req.Params["entry"] != "":
		for _, e := range radar.Entries {
			if e.GetId() == req.Params["entry"] {
				picked = append(picked, e)
			}
		}
	}
	for _, e := range picked {
		radar.Highlighted = append(radar.Highlighted, e.GetId())
	}
	resp.Blocks = append(resp.Blocks, sdk.RadarBlock(radar))
	if len(picked) > 0 {
		resp.Blocks = append(resp.Blocks, sdk.Heading("Highlighted"), entryTable(found.Radar, picked))
	}
	return resp, nil
}

// problems shows why there is no radar: a hint when there is no file,
// each problem with its file and line when it is wrong.
func problems(err error) []*pluginv1.Block {
	if errors.Is(err, ErrNoRadar) {
		return []*pluginv1.Block{
			sdk.Notice(err.Error(), pluginv1.Status_STATUS_INFO),
			sdk.Markdown("Add a `" + DefaultPath + "` with `quadrants`, `rings` and `entries` to a synced repository, or name the file in Settings → Plugins → techradar. Backstage's tech-radar JSON works as-is."),
		}
	}
	var out []*pluginv1.Block
	for _, line := range strings.Split(err.Error(), "\n") {
		out = append(out, sdk.Notice(line, pluginv1.Status_STATUS_ERROR))
	}
	return out
}

// toProto numbers the entries by quadrant, ring and title, as the legend
// lists them.
func toProto(r *Radar) *pluginv1.Radar {
	out := &pluginv1.Radar{Title: r.Title}
	for _, q := range r.Quadrants {
		out.Quadrants = append(out.Quadrants, &pluginv1.RadarQuadrant{Id: q.ID, Name: q.Name})
	}
	for _, g := range r.Rings {
		out.Rings = append(out.Rings, &pluginv1.RadarRing{Id: g.ID, Name: g.Name, Color: g.Color})
	}
	order := func(ids []string, id string) int { return slices.Index(ids, id) }
	var qs, rs []string
	for _, q := range r.Quadrants {
		qs = append(qs, q.ID)
	}
	for _, g := range r.Rings {
		rs = append(rs, g.ID)
	}
	slices.SortStableFunc(r.Entries, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(order(qs, a.Quadrant), order(qs, b.Quadrant)), cmp.Compare(order(rs, a.Ring), order(rs, b.Ring)),
			cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)))
	})
	for i, e := range r.Entries {
		pe := &pluginv1.RadarEntry{Id: e.ID, Number: int32(i + 1), Title: e.Title, QuadrantId: e.Quadrant, RingId: e.Ring,
			Moved: moveOf(e.Moved), Description: e.Description, Url: e.URL}
		if pe.Url == "" && len(e.Entities) > 0 {
			pe.Url = EntityPath(e.Entities[0])
		}
		for _, ref := range e.Entities {
			pe.Links = append(pe.Links, &pluginv1.Link{Title: ref, Url: EntityPath(ref)})
		}
		for _, l := range e.Links {
			pe.Links = append(pe.Links, &pluginv1.Link{Title: l.Title, Url: l.URL})
		}
		if pe.Url == "" && len(pe.Links) > 0 {
			pe.Url = pe.Links[0].GetUrl()
		}
		if !e.Date.IsZero() {
			pe.Date = e.Date.Format(time.RFC3339)
		}
		out.Entries = append(out.Entries, pe)
	}
	return out
}

func moveOf(moved int) pluginv1.RadarMove {
	switch moved {
	case 1:
		return pluginv1.RadarMove_RADAR_MOVE_IN
	case -1:
		return pluginv1.RadarMove_RADAR_MOVE_OUT
	case 2:
		return pluginv1.RadarMove_RADAR_MOVE_NEW
	}
	return pluginv1.RadarMove_RADAR_MOVE_NONE
}

// day is the date part of an RFC 3339 time, or a dash.
func day(t string) string {
	if len(t) < 10 {
		return "—"
	}
	return t[:10]
}

func moveText(m pluginv1.RadarMove) string {
	switch m {
	case pluginv1.RadarMove_RADAR_MOVE_IN:
		return "moved in"
	case pluginv1.RadarMove_RADAR_MOVE_OUT:
		return "moved out"
	case pluginv1.RadarMove_RADAR_MOVE_NEW:
		return "new"
	}
	return ""
}

func entryTable(r *Radar, entries []*pluginv1.RadarEntry) *pluginv1.Block {
	name := func(id string) string {
		for _, g := range r.Rings {
			if g.ID == id {
				return g.Name
			}
		}
		return id
	}
	var rows []*pluginv1.Row
	for _, e := range entries {
		rows = append(rows, &pluginv1.Row{Cells: []*pluginv1.Cell{
			{Text: strconv.Itoa(int(e.GetNumber()))},
			{Text: e.GetTitle(), Url: PagePath + "?entry=" + url.QueryEscape(e.GetId())},
			{Text: name(e.GetRingId())},
			{Text: moveText(e.GetMoved())},
			{Text: day(e.GetDate())},
		}})
	}
	return sdk.Table([]string{"#", "Entry", "Ring", "Change", "Date"}, rows...)
}

// homeCards is "Radar changes": the entries that moved in the last 90
// days, newest first, or else the latest moves, so the card never sits
// empty on a radar that changes slowly; nothing when no location has a
// radar.
func (p plugin) homeCards(_ context.Context, req sdk.UIRequest) ([]*pluginv1.View, error) {
	found, err := load(req.Config, req.Clones)
	if errors.Is(err, ErrNoRadar) {
		return nil, nil
	}
	if err != nil {
		return []*pluginv1.View{sdk.HomeCard("radar-changes", "Radar changes", problems(err)...)}, nil
	}
	radar := toProto(found.Radar)
	var moved []*pluginv1.RadarEntry
	recently := 0
	since := p.now().Add(-recent)
	for i, e := range found.Radar.Entries {
		if e.Moved != 0 && !e.Date.IsZero() {
			moved = append(moved, radar.Entries[i])
			if e.Date.After(since) {
				recently++
			}
		}
	}
	slices.SortStableFunc(moved, func(a, b *pluginv1.RadarEntry) int { return cmp.Compare(b.GetDate(), a.GetDate()) })
	var blocks []*pluginv1.Block
	switch {
	case len(moved) == 0:
		blocks = append(blocks, sdk.Notice("No entry has moved yet.", pluginv1.Status_STATUS_NONE))
	case recently == 0:
		blocks = append(blocks, sdk.Notice("No entry moved in the last 90 days; the latest moves:", pluginv1.Status_STATUS_NONE),
			entryTable(found.Radar, moved[:min(len(moved), 5)]))
	default:
		blocks = append(blocks, entryTable(found.Radar, moved[:min(recently, 10)]))
	}
	blocks = append(blocks, sdk.Links(&pluginv1.Link{Title: fmt.Sprintf("Open the radar (%d entries)", len(radar.Entries)), Url: PagePath}))
	return []*pluginv1.View{sdk.HomeCard("radar-changes", "Radar changes", blocks...)}, nil
}

func refOf(e sdk.Entity) string {
	return strings.ToLower(e.Kind + ":" + cmp.Or(e.Metadata.Namespace, "default") + "/" + e.Metadata.Name)
}

func (p plugin) linked(_ context.Context, req sdk.EntityActionRequest) (bool, error) {
	found, err := load(req.Config, req.Clones)
	if err != nil {
		return false, nil
	}
	ref := refOf(req.Entity)
	return slices.ContainsFunc(found.Radar.Entries, func(e Entry) bool { return slices.Contains(e.Entities, ref) }), nil
}

func (p plugin) showOnRadar(_ context.Context, req sdk.EntityActionRequest) (*pluginv1.RunEntityActionResponse, error) {
	ref := refOf(req.Entity)
	found, err := load(req.Config, req.Clones)
	if err != nil {
		return sdk.Done(err.Error(), pluginv1.Status_STATUS_ERROR), nil
	}
	var titles []string
	for _, e := range found.Radar.Entries {
		if slices.Contains(e.Entities, ref) {
			titles = append(titles, e.Title)
		}
	}
	if len(titles) == 0 {
		return sdk.Done("No radar entry links to "+ref, pluginv1.Status_STATUS_INFO), nil
	}
	return &pluginv1.RunEntityActionResponse{Notice: "On the radar: " + strings.Join(titles, ", "), Status: pluginv1.Status_STATUS_OK,
		OpenUrl: PagePath + "?entity=" + url.QueryEscape(ref)}, nil
}
