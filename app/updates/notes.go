package updates

import (
	"bytes"
	"fmt"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// notesMarkdown renders release notes as GitHub writes them; raw HTML in
// them is left out (goldmark's default), not passed through.
var notesMarkdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// notesPolicy keeps the text structure of release notes and https links;
// it drops images (the notice fetches nothing), scripts, styles, and every
// attribute but a link's address.
var notesPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
		"pre", "code", "em", "strong", "del", "table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("https")
	p.RequireParseableURLs(true)
	p.RequireNoReferrerOnLinks(true)
	return p
}()

// NotesHTML renders release notes (markdown, at most MaxNotes) as HTML safe
// to show in the window.
func NotesHTML(notes string) (string, error) {
	var buf bytes.Buffer
	if err := notesMarkdown.Convert([]byte(cut(notes, MaxNotes)), &buf); err != nil {
		return "", fmt.Errorf("render release notes: %w", err)
	}
	return notesPolicy.Sanitize(buf.String()), nil
}
