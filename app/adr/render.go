package adr

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders records as a forge does (GitHub Flavored Markdown);
// raw HTML in them is left out, not passed through.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.GFM))
})

// policy keeps text structure, links and images by address; scripts,
// styles, event handlers and javascript: URLs go, as in TechDocs.
var policy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.RequireNoReferrerOnLinks(true)
	return p
})

// HTML renders a record's Markdown body as sanitised HTML.
func HTML(body string) (string, error) {
	var b bytes.Buffer
	if err := markdown().Convert([]byte(body), &b); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return policy().Sanitize(b.String()), nil
}
