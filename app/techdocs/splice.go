package techdocs

import (
	"bytes"
	"crypto/rand"
	"strconv"
	"strings"
)

// Highlighted code skips the sanitiser: chroma's HTML is markup of its own
// (spans and a pre, with token classes and nothing else) around code it
// escaped itself, and sanitising and scoping its thousands of spans was a
// fifth of a code-heavy build. The renderer writes a placeholder where a
// highlighted block goes, the page's HTML is sanitised and scoped with the
// placeholders in it, and scope puts the blocks back, only where a
// placeholder is text (never inside a tag or an attribute).
//
// A placeholder carries a nonce drawn for each page rendered: a page
// cannot write one in advance, so nothing it holds is taken for a block,
// and each block goes in at most once. A block whose placeholder the
// sanitiser dropped (inside an <iframe>, say) is dropped with it, as the
// block was before.

// codeSplice holds one page's highlighted blocks until scope puts them
// back; scope's nil codeSplice (a page built elsewhere) puts back nothing.
type codeSplice struct {
	mark   string // "cbcode" and the nonce; a block's placeholder adds its index and "x"
	blocks []string
	filled []bool
}

func newCodeSplice() *codeSplice {
	return &codeSplice{mark: "cbcode" + rand.Text()}
}

// hold keeps a highlighted block's HTML and returns the placeholder to
// write in its place.
func (s *codeSplice) hold(html string) string {
	s.blocks = append(s.blocks, html)
	s.filled = append(s.filled, false)
	return s.mark + strconv.Itoa(len(s.blocks)-1) + "x"
}

// fill writes text, one text token of the sanitised page, to b with the
// blocks its placeholders stand for, and reports whether it held any; a
// placeholder whose block is already in goes out as it is.
func (s *codeSplice) fill(b *strings.Builder, raw []byte) bool {
	if s == nil || len(s.blocks) == 0 || !bytes.Contains(raw, []byte(s.mark)) {
		return false
	}
	text := string(raw)
	for {
		before, after, found := strings.Cut(text, s.mark)
		b.WriteString(before)
		if !found {
			return true
		}
		digits, rest, ok := strings.Cut(after, "x")
		i, err := strconv.Atoi(digits)
		if !ok || err != nil || i < 0 || i >= len(s.blocks) || s.filled[i] || digits != strconv.Itoa(i) {
			b.WriteString(s.mark)
			text = after
			continue
		}
		b.WriteString(s.blocks[i])
		s.filled[i] = true
		text = rest
	}
}
