package portal

import (
	"cmp"
	"context"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// Limits on what one plugin adds to the search index.
const (
	maxPluginDocs    = 10000
	maxPluginDocText = 64 << 10
	// A document's type and each tag are at most maxPluginDocWord
	// characters, its tags at most maxPluginDocTags; past them a value
	// is left out, not cut, since a cut tag would be a facet of its own.
	maxPluginDocWord = 64
	maxPluginDocTags = 20
)

// pluginDocsMark is the index mark listing the plugins that have
// documents in it, comma-separated, so those of a plugin gone can leave.
const pluginDocsMark = "plugins"

// pluginSearchKey is the location field of a plugin's documents. It is
// never a location id (those have no colon), so a location's re-index
// leaves them alone.
func pluginSearchKey(plugin string) string { return "plugin:" + plugin }

// refreshPluginSearch asks, in the background, every enabled plugin that
// adds search documents for them, and replaces each one's documents in
// the index; a plugin that cannot answer keeps its previous documents.
// Documents of plugins turned off or gone leave the index.
func (ix *indexer) refreshPluginSearch() {
	if ix.plugins == nil {
		return
	}
	ix.updateIndex(func(ctx context.Context) {
		docs, errs := ix.plugins.SearchDocuments(ctx)
		for _, err := range errs {
			ix.warn(ctx, "read a plugin's search documents", "err", err)
		}
		if !ix.lock(ctx) {
			return
		}
		defer ix.unlock()
		for _, name := range slices.Sorted(maps.Keys(docs)) {
			if err := ix.replacePluginDocs(ctx, name, docs[name]); err != nil {
				ix.warn(ctx, "index a plugin's search documents", "plugin", name, "err", err)
			}
		}
		ix.dropPluginDocsLocked(ctx, slices.Collect(maps.Keys(docs)))
	})
}

// dropPluginSearch removes, in the background, the documents of plugins
// that no longer add any.
func (ix *indexer) dropPluginSearch() {
	if ix.plugins == nil {
		return
	}
	ix.updateIndex(func(ctx context.Context) {
		if !ix.lock(ctx) {
			return
		}
		defer ix.unlock()
		ix.dropPluginDocsLocked(ctx, nil)
	})
}

// dropPluginDocsLocked deletes the documents of every plugin in the mark
// that is no longer enabled with the search extension point, and records
// those left plus added in the mark.
func (ix *indexer) dropPluginDocsLocked(ctx context.Context, added []string) {
	x := ix.index
	serving := map[string]bool{}
	for _, i := range ix.plugins.List(ctx) {
		serving[i.Name] = i.State != host.Disabled && slices.Contains(i.ExtensionPoints, host.PointSearch)
	}
	have := map[string]bool{}
	for _, name := range added {
		have[name] = true
	}
	for name := range strings.SplitSeq(x.Mark(pluginDocsMark), ",") {
		if name == "" {
			continue
		}
		if serving[name] {
			have[name] = true
			continue
		}
		ids, err := x.IDsOf(ctx, pluginSearchKey(name))
		if err == nil {
			err = x.Apply(ctx, nil, ids)
		}
		if err != nil {
			ix.warn(ctx, "remove a plugin's search documents", "plugin", name, "err", err)
			have[name] = true // try again next time
			continue
		}
		delete(have, name)
		ix.log.Info("plugin search documents removed", "plugin", name, "documents", len(ids))
	}
	if err := x.SetMark(pluginDocsMark, strings.Join(slices.Sorted(maps.Keys(have)), ",")); err != nil {
		ix.warn(ctx, "record which plugins have search documents", "err", err)
	}
}

// replacePluginDocs makes docs plugin's documents in the index, replacing
// those it added before. A document without a title is left out; a URL
// that is neither an app route nor a web address is dropped.
func (ix *indexer) replacePluginDocs(ctx context.Context, plugin string, docs []*pluginv1.SearchDocument) error {
	x := ix.index
	key := pluginSearchKey(plugin)
	old, err := x.IDsOf(ctx, key)
	if err != nil {
		return err
	}
	var out []search.Doc
	kept := map[string]bool{}
	for i, d := range docs[:min(len(docs), maxPluginDocs)] {
		title := strings.TrimSpace(d.GetTitle())
		if title == "" {
			continue
		}
		id := "plugin:" + plugin + ":" + cmp.Or(d.GetId(), strconv.Itoa(i))
		if kept[id] {
			continue
		}
		kept[id] = true
		// The plugin's own type goes where an entity's spec.type does, so
		// the Type facet and filter take it; the result type stays plugin.
		doc := search.Doc{ID: id, Type: search.TypePlugin, Location: key, Name: plugin, Title: title,
			Body: firstBytes(d.GetText(), maxPluginDocText), Path: pluginDocURL(d.GetUrl()),
			EntityType: pluginDocWord(d.GetType()), Tags: pluginDocTags(d.GetTags())}
		if r, err := catalog.ParseRef(d.GetEntityRef(), "", catalog.DefaultNamespace); err == nil && d.GetEntityRef() != "" {
			doc.Ref = r.String()
		}
		out = append(out, doc)
	}
	var gone []string
	for _, id := range old {
		if !kept[id] {
			gone = append(gone, id)
		}
	}
	if err := x.Apply(ctx, out, gone); err != nil {
		return err
	}
	ix.log.Debug("plugin search documents indexed", "plugin", plugin, "documents", len(out), "removed", len(gone))
	return nil
}

// pluginDocWord is a plugin document's type or tag as the facets count
// it: trimmed and lower-cased, "" when empty or too long.
func pluginDocWord(s string) string {
	if !utf8.ValidString(s) {
		return ""
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if utf8.RuneCountInString(s) > maxPluginDocWord {
		return ""
	}
	return s
}

// pluginDocTags are a plugin document's tags, each once, in order, at
// most maxPluginDocTags.
func pluginDocTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		if t = pluginDocWord(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
			if len(out) == maxPluginDocTags {
				break
			}
		}
	}
	return out
}

// pluginDocURL keeps an app route ("/catalog/…") or an http(s) address.
func pluginDocURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") {
		return raw
	}
	if u, err := url.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return u.String()
	}
	return ""
}

// firstBytes cuts s to at most n bytes, at a character boundary.
func firstBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
