package apigen

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Contract is the declaration with what the generators need around it.
type Contract struct {
	*Model
	Fset *token.FileSet
	// Types are the named types the TypeScript side declares.
	Types *typeSet
	Docs  docIndex
}

// Load reads the declaration of the package in dir. Type errors inside
// function bodies do not stop it, since the names it generates may be
// missing when it runs; an error in anything the contract reaches does.
func Load(ctx context.Context, dir string) (*Contract, error) {
	cfg := &packages.Config{Context: ctx, Dir: dir,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	if len(pkgs) != 1 || pkgs[0].Types == nil {
		return nil, fmt.Errorf("load %s: want one Go package", dir)
	}
	pkg := pkgs[0]
	m, err := modelOf(pkg.Types, pkg.Syntax)
	if err != nil {
		return nil, withErrors(err, pkg.Errors)
	}
	ts, err := collectTypes(m, pkg.Fset)
	if err != nil {
		return nil, withErrors(err, pkg.Errors)
	}
	c := &Contract{Model: m, Fset: pkg.Fset, Types: ts, Docs: docIndex{}}
	if err := c.Docs.load(ctx, dir, ts.packages()); err != nil {
		return nil, err
	}
	for _, ev := range m.Events {
		ev.Doc = c.Docs.field(m.Pkg.Path(), eventsTypeName(pkg.Syntax), ev.Field)
	}
	return c, nil
}

func withErrors(err error, pkgErrs []packages.Error) error {
	errs := []error{err}
	for _, e := range pkgErrs {
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

// eventsTypeName is the name of the struct marked //api:events.
func eventsTypeName(files []*ast.File) string {
	for _, f := range files {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && len(g.Specs) == 1 && hasDirective(g.Doc, "//api:events") {
				if ts, ok := g.Specs[0].(*ast.TypeSpec); ok {
					return ts.Name.Name
				}
			}
		}
	}
	return ""
}

// docIndex holds doc comments: "pkg.Type" for a type, "pkg.Type.Field"
// for a struct's field.
type docIndex map[string]string

func (d docIndex) typ(pkg, name string) string        { return d[pkg+"."+name] }
func (d docIndex) field(pkg, typ, name string) string { return d[pkg+"."+typ+"."+name] }

// load reads the doc comments of the types declared in the packages
// paths, from their source files.
func (d docIndex) load(ctx context.Context, dir string, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	pkgs, err := packages.Load(&packages.Config{Context: ctx, Dir: dir, Mode: packages.NeedName | packages.NeedFiles}, paths...)
	if err != nil {
		return fmt.Errorf("find the sources of %s: %w", strings.Join(paths, ", "), err)
	}
	fset := token.NewFileSet()
	for _, p := range pkgs {
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				return fmt.Errorf("read doc comments: %w", err)
			}
			d.add(p.PkgPath, f)
		}
	}
	return nil
}

func (d docIndex) add(pkg string, f *ast.File) {
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			ts := s.(*ast.TypeSpec)
			doc := ts.Doc
			if doc == nil && len(g.Specs) == 1 {
				doc = g.Doc
			}
			d[pkg+"."+ts.Name.Name] = docText(doc)
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, fld := range st.Fields.List {
				text := docText(fld.Doc)
				if text == "" {
					text = docText(fld.Comment)
				}
				for _, n := range fld.Names {
					d[pkg+"."+ts.Name.Name+"."+n.Name] = text
				}
			}
		}
	}
}

// docText is a comment's text without its directives.
func docText(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	var lines []string
	for _, c := range g.List {
		if strings.HasPrefix(c.Text, "//api:") || strings.HasPrefix(c.Text, "//go:") {
			continue
		}
		if strings.HasPrefix(c.Text, "/*") {
			lines = append(lines, strings.Split(strings.TrimSuffix(strings.TrimPrefix(c.Text, "/*"), "*/"), "\n")...)
			continue
		}
		lines = append(lines, c.Text)
	}
	return commentText(lines)
}

// typeOK reports whether t and everything in it type-checked.
func typeOK(t types.Type) bool {
	b, ok := t.(*types.Basic)
	return !ok || b.Kind() != types.Invalid
}
