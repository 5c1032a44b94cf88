package syncer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/outbox"
)

// Bounds of a pull request's text: a forge refuses long ones, and a
// reviewer reads the start.
const (
	maxTitle      = 200
	maxFieldLines = 50
	maxValue      = 80
)

// refsIn lists the entities a catalog file defines, in order.
func refsIn(data []byte) []catalog.Ref {
	if len(data) > catalog.MaxFileSize {
		return nil
	}
	var out []catalog.Ref
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			continue
		}
		kind, _ := doc.Scalar("kind")
		name, _ := doc.Scalar("metadata", "name")
		ns, _ := doc.Scalar("metadata", "namespace")
		if kind == "" || name == "" {
			continue
		}
		ref := catalog.Ref{Kind: strings.ToLower(kind), Namespace: strings.ToLower(cmp.Or(ns, catalog.DefaultNamespace)), Name: strings.ToLower(name)}
		if !slices.Contains(out, ref) {
			out = append(out, ref)
		}
	}
	return out
}

// describe writes the title and body of e's pull request: its message,
// and the fields of each entity it changed, as the History tab shows
// them, against the branch at base.
func describe(repo *git.Repository, base plumbing.Hash, e store.OutboxEntry) (title, body string) {
	subject, rest, _ := strings.Cut(e.Message, "\n")
	title = clip(strings.TrimSpace(subject), maxTitle)
	var b strings.Builder
	if rest = strings.TrimSpace(rest); rest != "" {
		b.WriteString(rest + "\n\n")
	}
	fmt.Fprintf(&b, "Edited in Callboard by %s.\n", e.Author)
	lines := 0
	for _, c := range e.Changes {
		old, _, err := outbox.File(repo, base, c.Path)
		if err != nil {
			old = nil
		}
		var now []byte
		if c.Content != nil {
			now = []byte(*c.Content)
		}
		refs := refsIn(now)
		for _, r := range refsIn(old) {
			if !slices.Contains(refs, r) {
				refs = append(refs, r)
			}
		}
		fmt.Fprintf(&b, "\n`%s`", c.Path)
		if c.Content == nil {
			b.WriteString(" removed")
		}
		b.WriteString("\n")
		for _, r := range refs {
			changes := diffFields(fieldsOf(old, r), fieldsOf(now, r))
			if len(changes) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n**%s**\n", r)
			for _, fc := range changes {
				if lines++; lines > maxFieldLines {
					b.WriteString("- …\n")
					return title, b.String()
				}
				switch {
				case fc.Old == "":
					fmt.Fprintf(&b, "- `%s` set to `%s`\n", fc.Path, clip(fc.New, maxValue))
				case fc.New == "":
					fmt.Fprintf(&b, "- `%s` removed (was `%s`)\n", fc.Path, clip(fc.Old, maxValue))
				default:
					fmt.Fprintf(&b, "- `%s`: `%s` → `%s`\n", fc.Path, clip(fc.Old, maxValue), clip(fc.New, maxValue))
				}
			}
		}
	}
	return title, b.String()
}

// clip cuts s to at most n bytes on a rune boundary, on one line.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
