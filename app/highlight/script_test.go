package highlight

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// regexpLexer is the definition behind the fast path, lexing as chroma
// does.
func regexpLexer(t testing.TB, d dialect) chroma.Lexer {
	t.Helper()
	name := map[dialect]string{javaScript: "js", typeScript: "ts", react: "jsx"}[d]
	l, ok := Lexer(name).(*scriptLexer)
	if !ok {
		t.Fatalf("Lexer(%q) is %T, not the fast path", name, Lexer(name))
	}
	return l.Lexer
}

func chromaTokens(t testing.TB, l chroma.Lexer, code string) []chroma.Token {
	t.Helper()
	it, err := chroma.Coalesce(l).Tokenise(nil, code)
	if err != nil {
		t.Fatal(err)
	}
	return it.Tokens()
}

func hasError(tokens []chroma.Token) bool {
	return slices.ContainsFunc(tokens, func(t chroma.Token) bool { return t.Type == chroma.Error })
}

// sameAsChroma checks that scan, where it answers, answers as chroma does,
// and reports whether it answered.
func sameAsChroma(t testing.TB, d dialect, code string) bool {
	t.Helper()
	got, ok := scan(d, code)
	if !ok {
		return false
	}
	want := chromaTokens(t, regexpLexer(t, d), code)
	// chroma gives each regexp match 250 ms, then emits an Error token
	// where it gave up: on a loaded machine that is chroma timing out,
	// not its answer, so it is asked again.
	for try := 0; try < 5 && hasError(want) && !hasError(got); try++ {
		want = chromaTokens(t, regexpLexer(t, d), code)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("dialect %d, code %q: tokens differ from chroma's (-chroma +scan):\n%s", d, code, diff)
	}
	return true
}

// scriptCases are the constructs where chroma's rules are subtle; sure
// says whether scan should answer.
var scriptCases = []struct {
	name string
	code string
	sure bool
}{
	{"empty", "", true},
	{"no final newline", "const a = 1", true},
	{"comment takes the added newline", "a // c", true},
	{"crlf", "let a = 1;\r\nlet b = 2;\r", true},
	{"hashbang", "#!/usr/bin/env node\nrequire('x')\n", true},
	{"hashbang with space", "#! /bin/node\n", true},
	{"not a hashbang", "#!node\n", true},
	{"regex after operator", "const re = /ab+c/gi.test(s);\n", true},
	{"regex with class and slash", "x = [/[/\\]]+\\//u, 1]\n", true},
	{"division is a bad regex", "const half = total / 2;\nnext()\n", true},
	{"division after a name", "a / b / c\n", true},
	{"regex flags then word", "x = /a/gx\n", true},
	{"regex at line start", "  /foo/.test(x)\n", true},
	{"comment at line start", "// one\n// two\n  // three\n", true},
	{"block comments", "/* a\n * b */ x /* unterminated\n", true},
	{"html comment", "<!-- x -->\n", true},
	{"template nesting", "`a ${b ? `c ${d}` : '}'} e \\` \\$ $ ${ {x: 1} }`\n", true},
	{"template escapes", "`\\n \\\\ \\u{1F600} \\x`\n", true},
	{"unterminated template", "`abc\n", true},
	{"strings with escapes", `"a \" b \\" 'c \' d \\'` + "\n", true},
	{"string over lines", "\"a\nb\" x\n", true},
	{"unterminated string", "\"abc\n", false},
	{"numbers", "1 1.5 1. .5 1e10 1E+5 1e 0b101 0o17 0x1F 1_000 0xg 08 1.5e3d 1.5f 0x .e5 1.e-3 .x\n", true},
	{"operators", "a++ + --b ~c && d || e ?? f ?. g : h \\\n i <<= j >>>= k >>= l === m !== n => o ... p **= q &&= r ||= s -> t\n", true},
	{"keywords", "for in of while do break return yield continue switch case default if else throw try catch finally new delete typeof instanceof keyof asserts is infer await void this var let with function\n", true},
	{"reserved", "abstract async boolean class const debugger enum export extends from get global goto implements import interface namespace package private protected public readonly require set static super type byte char double final float int long native short synchronized throws transient volatile\n", true},
	{"constants and builtins", "true false null NaN Infinity undefined Array Boolean Date Error Function Math netscape Number Object Packages RegExp String Promise Proxy sun eval isSafeInteger document window\n", true},
	{"keyword glued", "for$ x in_y _if 1in if1 $for a_b__c\n", true},
	{"unicode escape names", "\\u0061bc x\\u0062 \\u00zz \\\n", true},
	{"typescript types", "let a: string = b as unknown as number; function f(x: number, y?: Foo.Bar): void {}\n", true},
	{"ternary colon", "a ? b : c\nx = { key: value, 'q': 1, 2: three }\n", true},
	{"method shorthand", "class A { render() { return 1 } constructor() {} $x() { } }\n", true},
	{"module declaration", "declare module \"foo/bar@1\" {\n  export const x: number\n}\nmodule x\n", true},
	{"type words need a boundary before", "1string 1as _any\n", true},
	{"generics are tags", "const m: Map<string, Array<number>> = new Map<K, V>();\n", true},
	{"jsx", "const el = <div className=\"a\" id='b' onClick={() => f({a: 1})} {...rest}>\n  <Foo.Bar x-y = {1} />\n  <>text</>\n</div>\n", true},
	{"jsx closing without a name", "<a></a></ b></>\n", true},
	{"jsx comment", "<!-- a - b -- c -->\n<a\n// c\n/* d */ b>\n", true},
	{"jsx attr without quotes", "<a b=c d=\"e\nf\">\n", true},
	{"decorator", "@Component({}) class X {}\n@ y\n", true},
	{"errors", "a # b @ c\n", true},
	{"non-ascii in strings and comments", "// café ✓\nconst s = \"naïve 🎉\"; /* ü */ `é${x}`\n", true},
	{"non-ascii name", "const café = 1\n", false},
	{"non-ascii after spaces", "x  → y\n", false},
	{"non-ascii after a keyword", "foré\n", false},
	{"invalid utf-8", "const s = \"\xff\"\n", false},
	{"long token", "`" + strings.Repeat("a", coalesceLimit) + "`\n", false},
}

func TestScript(t *testing.T) {
	t.Parallel()
	for _, tt := range scriptCases {
		for _, d := range []dialect{javaScript, typeScript, react} {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				answered := sameAsChroma(t, d, tt.code)
				// Each case is sure, or unsure, in every dialect.
				if answered != tt.sure {
					t.Errorf("dialect %d: scan answered %v, want %v", d, answered, tt.sure)
				}
			})
		}
	}
}

// TestScriptLexer goes through Lexer as the docs renderer does: the fast
// path for JavaScript and TypeScript, chroma for what it leaves, and
// chroma for nested lexing (a script in HTML).
func TestScriptLexer(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"js", "javascript", "ts", "typescript", "tsx", "jsx", "react"} {
		if _, ok := Lexer(name).(*scriptLexer); !ok {
			t.Errorf("Lexer(%q) is %T, not the fast path", name, Lexer(name))
		}
	}
	for _, code := range []string{"const café = 1\n", "let a = 1 / 2\n"} {
		want := chromaTokens(t, regexpLexer(t, javaScript), code)
		if got := chromaTokens(t, Lexer("js"), code); !cmp.Equal(want, got) {
			t.Errorf("Lexer(js) on %q: %v, want %v", code, got, want)
		}
	}
	html := "<script>\nconst a = /x/g;\n</script>\n"
	it, err := chroma.Coalesce(Lexer("html")).Tokenise(nil, html)
	if err != nil {
		t.Fatal(err)
	}
	var regex bool
	for _, tok := range it.Tokens() {
		regex = regex || tok.Type == chroma.LiteralStringRegex
	}
	if !regex {
		t.Errorf("HTML's script was not lexed as JavaScript: %v", it.Tokens())
	}
}

// readmeBlocks is every distinct JavaScript and TypeScript fenced block of
// the READMEs under node_modules, by dialect, in a fixed order.
func readmeBlocks(t testing.TB, root string) map[dialect][]string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.EqualFold(e.Name(), "readme.md") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	slices.Sort(files)
	seen := map[string]bool{}
	blocks := map[dialect][]string{}
	md := goldmark.New()
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc := md.Parser().Parse(text.NewReader(src))
		err = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			fenced, ok := n.(*ast.FencedCodeBlock)
			if !entering || !ok {
				return ast.WalkContinue, nil
			}
			l, ok := Lexer(string(fenced.Language(src))).(*scriptLexer)
			if !ok {
				return ast.WalkContinue, nil
			}
			var code strings.Builder
			for i := range fenced.Lines().Len() {
				line := fenced.Lines().At(i)
				code.Write(line.Value(src))
			}
			key := string(rune('0'+l.dialect)) + code.String()
			if !seen[key] {
				seen[key] = true
				blocks[l.dialect] = append(blocks[l.dialect], code.String())
			}
			return ast.WalkContinue, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return blocks
}

// TestScriptAgainstChroma lexes every JavaScript and TypeScript block of
// the READMEs npm ci installs for the frontend (make test installs them)
// both ways.
func TestScriptAgainstChroma(t *testing.T) {
	t.Parallel()
	// EvalSymlinks: a worktree may link the installed node_modules.
	root, err := filepath.EvalSymlinks(filepath.Join("..", "..", "frontend", "node_modules"))
	if err != nil {
		t.Skipf("no frontend/node_modules (cd frontend && npm ci installs it), so the READMEs' code is not compared: %v", err)
	}
	for d, blocks := range readmeBlocks(t, root) {
		answered, bytes, all := 0, 0, 0
		for _, code := range blocks {
			all += len(code)
			if sameAsChroma(t, d, code) {
				answered++
				bytes += len(code)
			}
		}
		t.Logf("dialect %d: the fast path took %d of %d blocks (%d of %d bytes)", d, answered, len(blocks), bytes, all)
		if answered*10 < len(blocks)*8 {
			t.Errorf("dialect %d: the fast path took %d of %d blocks, fewer than 80%%", d, answered, len(blocks))
		}
	}
}

// fuzzAlphabet is what the fuzzer's bytes become when it asks: the
// characters chroma's rules turn on, so that mutations make code rather
// than bytes outside ASCII, where scan leaves the block to chroma.
const fuzzAlphabet = "aAeEgux_$019 \n\t/\\*[]{}()<>=!+-.:;,?'\"`#@|&%^~ife"

// FuzzScript checks that whatever scan answers, chroma answers too, in
// each dialect (dn modulo 3).
func FuzzScript(f *testing.F) {
	for _, tt := range scriptCases {
		for d := range byte(3) {
			f.Add(tt.code, d, false)
		}
	}
	f.Add("a<b c={`${/x/}`}>", byte(typeScript), true)
	f.Fuzz(func(t *testing.T, code string, dn byte, alphabet bool) {
		d := dialect(dn % 3)
		if alphabet {
			b := []byte(code)
			for i, c := range b {
				b[i] = fuzzAlphabet[int(c)%len(fuzzAlphabet)]
			}
			code = string(b)
		}
		sameAsChroma(t, d, code)
	})
}
