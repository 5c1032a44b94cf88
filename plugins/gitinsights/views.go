package gitinsights

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// isoDate is how the cards write a day.
const isoDate = "2006-01-02"

// views are the cards for in.
func views(in *insights) []*pluginv1.View {
	return []*pluginv1.View{recentView(in), activityView(in), contributorsView(in), languagesView(in), ownersView(in)}
}

// where names the entity's folder for a sentence.
func where(in *insights) string {
	if in.Folder == "" {
		return "the repository"
	}
	return in.Folder + "/"
}

func noCommits(in *insights) *pluginv1.Block {
	return sdk.Notice(fmt.Sprintf("No commit up to %s changes %s.", short(in.Tip.Hash), where(in)), pluginv1.Status_STATUS_INFO)
}

func recentView(in *insights) *pluginv1.View {
	if in.Total == 0 {
		return sdk.Card("recent-commits", "Recent commits", noCommits(in))
	}
	rows := make([]*pluginv1.Row, 0, len(in.Recent))
	for _, c := range in.Recent {
		rows = append(rows, sdk.Row(c.When.Format(isoDate), c.Author, c.Subject, short(c.Hash)))
	}
	return sdk.Card("recent-commits", "Recent commits", sdk.Table([]string{"When", "Author", "Subject", "Commit"}, rows...))
}

func activityView(in *insights) *pluginv1.View {
	if in.Total == 0 {
		return sdk.Card("commit-activity", "Commit activity", noCommits(in))
	}
	s := &pluginv1.Series{Name: "Commits"}
	recent := 0
	for _, w := range in.Weeks {
		s.Points = append(s.Points, &pluginv1.Point{Label: w.Monday.Format(isoDate), Value: float64(w.Commits)})
		recent += w.Commits
	}
	return sdk.Card("commit-activity", "Commit activity",
		sdk.Chart("Commits per week", pluginv1.ChartKind_CHART_BAR, "commits", s),
		sdk.KeyValues(
			sdk.KV("Total commits", thousands(in.Total)),
			sdk.KV(fmt.Sprintf("Last %d weeks", activityWeeks), thousands(recent)),
			sdk.KV("Contributors", thousands(in.Contributors)),
			sdk.KV("First commit", in.First.Format(isoDate)),
			sdk.KV("Folder", where(in)),
		))
}

func contributorsView(in *insights) *pluginv1.View {
	if in.Total == 0 {
		return sdk.Card("top-contributors", "Top contributors", noCommits(in))
	}
	rows := make([]*pluginv1.Row, 0, len(in.Top)+1)
	counted := 0
	for _, c := range in.Top {
		rows = append(rows, sdk.Row(c.Name, thousands(c.Commits), percent(c.Commits, in.Total)))
		counted += c.Commits
	}
	if others := in.Contributors - len(in.Top); others > 0 {
		rows = append(rows, sdk.Row(fmt.Sprintf("%d others", others), thousands(in.Total-counted), percent(in.Total-counted, in.Total)))
	}
	return sdk.Card("top-contributors", "Top contributors", sdk.Table([]string{"Name", "Commits", "Share"}, rows...))
}

func languagesView(in *insights) *pluginv1.View {
	if in.Lines == 0 {
		return sdk.Card("languages", "Languages",
			sdk.Notice(fmt.Sprintf("No source files in %s at %s.", where(in), short(in.Tip.Hash)), pluginv1.Status_STATUS_INFO))
	}
	rows := make([]*pluginv1.Row, 0, len(in.Languages))
	for _, l := range in.Languages {
		rows = append(rows, sdk.Row(l.Name, thousands(l.Lines), percent(l.Lines, in.Lines)))
	}
	return sdk.Card("languages", "Languages",
		sdk.Table([]string{"Language", "Lines", "Share"}, rows...),
		sdk.Markdown("Lines of code and markup at "+short(in.Tip.Hash)+"; vendored and generated files, data (YAML, JSON) and prose are not counted."))
}

func ownersView(in *insights) *pluginv1.View {
	o := in.Owners
	if o == nil {
		return sdk.Card("code-owners", "Code owners",
			sdk.Notice("No CODEOWNERS file: looked for "+strings.Join(codeownersPaths, ", ")+".", pluginv1.Status_STATUS_INFO))
	}
	var blocks []*pluginv1.Block
	switch {
	case o.Folder < 0:
		blocks = append(blocks, sdk.KeyValues(
			&pluginv1.KeyValue{Key: "Owners", Value: "none: no rule of " + o.File + " applies to " + where(in), Status: pluginv1.Status_STATUS_WARNING}))
	case len(o.Rules[o.Folder].Owners) == 0:
		r := o.Rules[o.Folder]
		blocks = append(blocks, sdk.KeyValues(
			&pluginv1.KeyValue{Key: "Owners", Value: "none: the rule leaves it without owners", Status: pluginv1.Status_STATUS_WARNING},
			sdk.KV("Rule", fmt.Sprintf("%s line %d: %s", o.File, r.Line, r.Pattern))))
	default:
		r := o.Rules[o.Folder]
		blocks = append(blocks, sdk.KeyValues(
			sdk.KV("Owners", strings.Join(r.Owners, " ")),
			sdk.KV("Rule", fmt.Sprintf("%s line %d: %s", o.File, r.Line, r.Pattern))))
	}
	if rows := ownerRows(o); len(rows) > 0 {
		blocks = append(blocks, sdk.Heading("Matching lines"), sdk.Table([]string{"Line", "Pattern", "Owners", "Applies to"}, rows...))
	}
	if len(o.Problems) > 0 {
		blocks = append(blocks, sdk.Notice(o.File+": "+strings.Join(o.Problems, "; "), pluginv1.Status_STATUS_WARNING))
	}
	return sdk.Card("code-owners", "Code owners", blocks...)
}

// ownerRows are the rules that apply to the folder as a whole (the last
// wins) and those that decide the owners of some of its files, in file
// order.
func ownerRows(o *ownership) []*pluginv1.Row {
	var idx []int
	idx = append(idx, o.Matching...)
	for i, n := range o.Wins {
		if i >= 0 && n > 0 && !slices.Contains(idx, i) {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	files := func(n int) string { return fmt.Sprintf("%s of %s files", thousands(n), thousands(o.Files)) }
	var rows []*pluginv1.Row
	for _, i := range idx {
		r := o.Rules[i]
		var applies []string
		status := pluginv1.Status_STATUS_NONE
		switch {
		case i == o.Folder:
			applies, status = append(applies, "the folder (wins)"), pluginv1.Status_STATUS_OK
		case slices.Contains(o.Matching, i):
			applies = append(applies, "the folder (overridden)")
		}
		if n := o.Wins[i]; n > 0 {
			applies = append(applies, files(n))
		}
		row := sdk.Row(strconv.Itoa(r.Line), r.Pattern, strings.Join(r.Owners, " "), strings.Join(applies, ", "))
		row.Cells[3].Status = status
		rows = append(rows, row)
	}
	if n := o.Wins[-1]; n > 0 {
		rows = append(rows, sdk.Row("", "(no rule)", "", files(n)))
	}
	return rows
}

// thousands writes n with thousands separators.
func thousands(n int) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// percent is part's share of whole, to one decimal.
func percent(part, whole int) string {
	if whole == 0 {
		return "0%"
	}
	return strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 1, 64) + "%"
}
