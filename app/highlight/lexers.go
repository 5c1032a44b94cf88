package highlight

import (
	"cmp"
	"embed"
	"fmt"
	"path"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// lexerFiles holds every XML language definition of chroma's
// lexers/embedded (v2.14.0, MIT: lexers/COPYING), parsed on first use.
// chroma's own lexers package parses all 240 of them in a package
// variable, so every process linking it paid ≈ 10 ms of CPU and 2.3 MB of
// allocations before main, docs rendered or not; its styles package
// another 1.6 MB. Callboard's CLI links the docs renderer (serve renders
// docs), and a command through a running instance has 20 ms in all. Of
// chroma's lexers written in Go only Go's is here (golang.go); the others
// (Markdown, HTTP, reStructuredText, Svelte, …) show as plain text.
//
//go:embed lexers/*.xml
var lexerFiles embed.FS

// registry is built once, on the first lookup. A definition may delegate
// to another by name (<using lexer="Bash"/>), so the whole set is built
// together, in one registry the delegates resolve in. A definition that
// does not parse is left out (its language shows as plain text); the
// package's tests check that every one parses.
var registry = sync.OnceValue(func() *lookups {
	reg, _ := build()
	return &lookups{reg: reg, known: knownNames(reg), byName: map[string]chroma.Lexer{}}
})

// maxLookups bounds the names remembered: fences name languages, and
// fences are untrusted.
const maxLookups = 1024

// lookups remembers what each name found (or that it found nothing):
// chroma's Get, for a name that is no lexer's name or alias, matches it
// as a file name against every lexer's patterns, which cost 5% of a docs
// build of real READMEs.
type lookups struct {
	reg    *chroma.LexerRegistry
	known  map[string]bool // knownNames(reg)
	mu     sync.RWMutex
	byName map[string]chroma.Lexer
}

func (l *lookups) get(name string) chroma.Lexer {
	l.mu.RLock()
	lexer, ok := l.byName[name]
	l.mu.RUnlock()
	if ok {
		return lexer
	}
	lexer = get(l.reg, l.known, name)
	l.mu.Lock()
	if len(l.byName) < maxLookups {
		l.byName[name] = lexer
	}
	l.mu.Unlock()
	return lexer
}

// build parses every definition into a new registry, returning the first
// error met beside the registry of those that parsed.
func build() (*chroma.LexerRegistry, error) {
	reg := chroma.NewLexerRegistry()
	entries, err := lexerFiles.ReadDir("lexers")
	if err != nil {
		return reg, fmt.Errorf("list the embedded lexers: %w", err)
	}
	var first error
	for _, e := range entries {
		if path.Ext(e.Name()) != ".xml" {
			continue
		}
		l, err := chroma.NewXMLLexer(lexerFiles, "lexers/"+e.Name())
		if err != nil {
			first = cmp.Or(first, fmt.Errorf("parse lexer %s: %w", e.Name(), err))
			continue
		}
		reg.Register(withFastPath(l))
	}
	reg.Register(goLexer())
	return reg, first
}

// Lexer returns the lexer for a language named by name, alias or file
// extension ("python", "py", "golang", "tsx"), as chroma's lexers.Get
// does, or nil for a language outside the set: the caller shows the code
// as plain text. JavaScript's, TypeScript's and react's lex by hand first
// (script.go) and give tokens already coalesced, as chroma.Coalesce
// would.
func Lexer(name string) chroma.Lexer {
	if name == "" {
		return nil
	}
	return registry().get(name)
}
