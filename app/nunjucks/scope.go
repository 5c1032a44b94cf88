package nunjucks

import "fmt"

// scope is nunjitsu's runtime scope: a chain of frames. An isolating frame
// keeps assignments to names it cannot see writable above it; a loop's frame
// does not, so `set` in a loop updates a variable set before the loop, as in
// Nunjucks.
type scope struct {
	parent  *scope
	isolate bool
	vars    map[string]*binding
}

type binding struct {
	v        any
	writable bool
}

func newScope(parent *scope, isolate bool) *scope {
	return &scope{parent: parent, isolate: isolate}
}

func (s *scope) define(name string, v any, writable bool) {
	if s.vars == nil {
		s.vars = map[string]*binding{}
	}
	s.vars[name] = &binding{v, writable}
}

func (s *scope) lookup(name string) (any, bool) {
	for f := s; f != nil; f = f.parent {
		if b, ok := f.vars[name]; ok {
			return b.v, true
		}
	}
	return Undefined, false
}

func (s *scope) assign(name string, v any) error {
	if isReservedName(name) {
		return fmt.Errorf("template name %s is reserved", name)
	}
	if s.isolate {
		s.setLocal(name, v)
		return nil
	}
	if b, ok := s.vars[name]; ok && b.writable {
		b.v = v
		return nil
	}
	if s.parent != nil && s.parent.canAssign(name) {
		return s.parent.assign(name, v)
	}
	s.setLocal(name, v)
	return nil
}

func (s *scope) canAssign(name string) bool {
	if b, ok := s.vars[name]; ok {
		return b.writable
	}
	if s.isolate {
		return false
	}
	return s.parent != nil && s.parent.canAssign(name)
}

func (s *scope) setLocal(name string, v any) {
	if b, ok := s.vars[name]; ok {
		b.v, b.writable = v, true
		return
	}
	s.define(name, v, true)
}
