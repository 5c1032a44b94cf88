package apigen

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

// check type-checks src as package p and reads its declaration.
func check(t *testing.T, src string) (*Model, error) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "api.go", "package p\n\nimport \"context\"\n\n"+src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil)}
	pkg, err := conf.Check("example.com/p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return modelOf(pkg, []*ast.File{f})
}

func TestBinding(t *testing.T) {
	t.Parallel()
	m, err := check(t, `
type Query struct {
	Text  string            `+"`json:\"text\"`"+`
	Tags  []string          `+"`json:\"tags\"`"+`
	Attrs map[string]string `+"`json:\"attrs\"`"+`
}

type Thing struct{ Name string }

type API interface {
	// Get reads one.
	//
	//api:http GET /things/{ref}
	Get(ctx context.Context, ref string, limit int) (Thing, error)
	//api:http GET /things
	List(ctx context.Context, q Query) ([]Thing, error)
	//api:http POST /things limit=4MiB
	Add(ctx context.Context, t Thing) (Thing, error)
	//api:http POST /things/{ref}/star
	Star(ctx context.Context, ref string, on bool, note string) error
	//api:http POST /sync
	Sync(ctx context.Context, id string) error
	//api:http GET /events
	Follow(ctx context.Context, names ...string) (<-chan Thing, error)
}
`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, meth := range m.Methods {
		var ps []string
		for _, p := range meth.Params {
			ps = append(ps, p.Name+":"+string(p.In))
		}
		got = append(got, meth.Name+" "+meth.Verb+" "+meth.Path+" "+strings.Join(ps, ",")+" "+size(meth.Limit))
	}
	want := []string{
		"Get GET /things/{ref} ref:path,limit:query 64 << 10",
		"List GET /things q:fields 64 << 10",
		"Add POST /things t:body 4 << 20",
		"Star POST /things/{ref}/star ref:path,on:member,note:member 64 << 10",
		"Sync POST /sync id:member 64 << 10",
		"Follow GET /events names:query 64 << 10",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if m.Methods[0].Doc != "Get reads one." {
		t.Errorf("doc %q", m.Methods[0].Doc)
	}
	if f := m.Methods[5]; !f.Stream || !f.Variadic || f.Result.String() != "example.com/p.Thing" {
		t.Errorf("Follow: stream %v, variadic %v, result %v", f.Stream, f.Variadic, f.Result)
	}
}

// TestDeclarationErrors: what the wire cannot carry is refused when
// generating, not when called.
func TestDeclarationErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		decl, err string
	}{
		{"Get(ctx context.Context) error", "no //api:http line"},
		{"//api:http FETCH /x\n\tGet(ctx context.Context) error", "want //api:http VERB /path"},
		{"//api:http GET /x limit=big\n\tGet(ctx context.Context) error", `limit "big"`},
		{"//api:http GET /x\n\tGet(id string, _ context.Context) error", "first parameter must be a context.Context"},
		{"//api:http GET /x\n\tGet(ctx context.Context) (int, int, error)", "must return an error"},
		{"//api:http GET /x/{id}\n\tGet(ctx context.Context, ref string) error", "no parameter id"},
		{"//api:http GET /x/{n}\n\tGet(ctx context.Context, n int) error", "a string, as one segment"},
		{"//api:http GET /x\n\tGet(ctx context.Context, p *string) error", "cannot travel in a query"},
		{"//api:http GET /x\n\tGet(ctx context.Context, n struct{ In struct{ A int } }) error", "cannot travel in a query"},
		{"//api:http GET /x\n\tGet(ctx context.Context, a, b struct{ A int }) error", "two structs in one query"},
		{"//api:http POST /x\n\tFollow(ctx context.Context) (<-chan int, error)", "a stream is a GET"},
		{"//api:http GET /x\n\tA(ctx context.Context) error\n\t//api:http GET /x\n\tB(ctx context.Context) error", "share the route GET /x"},
	}
	for _, tt := range tests {
		t.Run(tt.err, func(t *testing.T) {
			t.Parallel()
			_, err := check(t, "type API interface {\n\t"+tt.decl+"\n}\n")
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("err = %v, want one saying %q", err, tt.err)
			}
		})
	}
}
