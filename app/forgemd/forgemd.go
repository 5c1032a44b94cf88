// Package forgemd renders Markdown written for a forge — questions and
// answers, decision records — as a forge shows it (GitHub Flavored
// Markdown), sanitised to show in the window.
package forgemd

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown leaves raw HTML out (goldmark's default), not passed through.
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

// HTML renders a Markdown body as sanitised HTML.
func HTML(body string) (string, error) {
	var b bytes.Buffer
	if err := markdown().Convert([]byte(body), &b); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return policy().Sanitize(b.String()), nil
}
