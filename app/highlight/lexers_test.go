package highlight

import (
	"testing"

	"github.com/alecthomas/chroma/v2"
)

func TestEveryDefinitionParses(t *testing.T) {
	t.Parallel()
	reg, err := build()
	if err != nil {
		t.Fatal(err)
	}
	// The XML files and the Go lexer.
	entries, err := lexerFiles.ReadDir("lexers")
	if err != nil {
		t.Fatal(err)
	}
	xml := 0
	for _, e := range entries {
		if e.Name() != "COPYING" {
			xml++
		}
	}
	if got := len(reg.Lexers); got != xml+1 {
		t.Errorf("registry holds %d lexers, want %d", got, xml+1)
	}
}

func TestLexer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want string // the lexer's name; "" for none
	}{
		{"python", "Python"},
		{"py", "Python"},
		{"Python", "Python"},
		{"go", "Go"},
		{"golang", "Go"},
		{"sh", "Bash"},
		{"console", "Bash Session"},
		{"tsx", "TypeScript"},
		{"ts", "TypeScript"},
		{"jsx", "react"},
		{"json", "JSON"},
		{"yaml", "YAML"},
		{"yml", "YAML"},
		{"sql", "SQL"},
		{"dockerfile", "Docker"},
		{"hcl", "HCL"},
		{"proto", "Protocol Buffer"},
		{"c++", "C++"},
		{"cs", "C#"},
		{"", ""},
		{"no-such-language", ""},
		{"cobol", "COBOL"},
		{"hs", "Haskell"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := Lexer(tt.name)
			got := ""
			if l != nil {
				got = l.Config().Name
			}
			if got != tt.want {
				t.Errorf("Lexer(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// TestDelegates lexes a definition that hands part of its text to another
// by name: the delegate resolves in this registry, not chroma's.
func TestDelegates(t *testing.T) {
	t.Parallel()
	it, err := chroma.Coalesce(Lexer("console")).Tokenise(nil, "$ echo hi\nhi\n")
	if err != nil {
		t.Fatal(err)
	}
	var builtin bool
	for _, tok := range it.Tokens() {
		if tok.Value == "echo" && tok.Type == chroma.NameBuiltin {
			builtin = true
		}
	}
	if !builtin {
		t.Errorf("echo in a console session was not lexed as Bash's builtin: %v", it.Tokens())
	}
}
