package sdk

import "github.com/callboard/callboard/plugins/pluginv1"

// Card is a view shown as a card on the entity's overview.
func Card(id, title string, blocks ...*pluginv1.Block) *pluginv1.View {
	return &pluginv1.View{Id: id, Title: title, Placement: pluginv1.Placement_PLACEMENT_CARD, Blocks: blocks}
}

// Tab is a view shown as a tab of the entity's page.
func Tab(id, title string, blocks ...*pluginv1.Block) *pluginv1.View {
	return &pluginv1.View{Id: id, Title: title, Placement: pluginv1.Placement_PLACEMENT_TAB, Blocks: blocks}
}

// Heading is a sub-heading inside a view.
func Heading(text string) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Heading{Heading: &pluginv1.Heading{Text: text}}}
}

// Markdown is a paragraph or more of Markdown; the app sanitises it.
func Markdown(text string) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Markdown{Markdown: text}}
}

// KV is one key and value of a KeyValues block.
func KV(key, value string) *pluginv1.KeyValue { return &pluginv1.KeyValue{Key: key, Value: value} }

// KeyValues is a list of keys and values.
func KeyValues(items ...*pluginv1.KeyValue) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_KeyValues{KeyValues: &pluginv1.KeyValues{Items: items}}}
}

// Table is a table; each row has one cell per column.
func Table(columns []string, rows ...*pluginv1.Row) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Table{Table: &pluginv1.Table{Columns: columns, Rows: rows}}}
}

// Row is a table row of plain cells.
func Row(cells ...string) *pluginv1.Row {
	r := &pluginv1.Row{}
	for _, c := range cells {
		r.Cells = append(r.Cells, &pluginv1.Cell{Text: c})
	}
	return r
}

// Badge is one status badge.
func Badge(text string, s pluginv1.Status) *pluginv1.Badge {
	return &pluginv1.Badge{Text: text, Status: s}
}

// Badges is a row of status badges.
func Badges(items ...*pluginv1.Badge) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Badges{Badges: &pluginv1.Badges{Items: items}}}
}

// Links is a list of links.
func Links(items ...*pluginv1.Link) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Links{Links: &pluginv1.Links{Items: items}}}
}

// Notice is a line set apart, with a status.
func Notice(text string, s pluginv1.Status) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Notice{Notice: &pluginv1.Notice{Text: text, Status: s}}}
}

// Chart is a line or bar chart of one or more series.
func Chart(title string, kind pluginv1.ChartKind, unit string, series ...*pluginv1.Series) *pluginv1.Block {
	return &pluginv1.Block{Kind: &pluginv1.Block_Chart{Chart: &pluginv1.Chart{Title: title, Kind: kind, Unit: unit, Series: series}}}
}
