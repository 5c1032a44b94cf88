package catalog

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxEntitySize bounds one entity, measured as the JSON the store keeps:
// a YAML document may expand to at most this much with its aliases, and an
// entity may grow to at most this much with its placeholders. Backstage
// sets no such limit; 8 MiB holds the largest API definitions seen in
// practice ($text of a big OpenAPI file) and stays far below Badger's
// 64 MiB value limit, so one entity never fails a whole location's write.
const MaxEntitySize = 8 << 20

// maxAliasNodes bounds the values aliases may expand to in one document,
// so an alias bomb ("billion laughs") of small values costs milliseconds,
// not gigabytes; MaxEntitySize bounds the bytes of big ones.
const maxAliasNodes = 100_000

// expansion is what a node stands for once its aliases are expanded:
// values reached through aliases, and bytes about as JSON writes them.
type expansion struct {
	aliased, bytes int
}

func (e expansion) add(o expansion) expansion {
	// Saturate: a deep alias bomb's true size overflows an int.
	return expansion{min(e.aliased+o.aliased, maxAliasNodes+1), min(e.bytes+o.bytes, MaxEntitySize+1)}
}

func (e expansion) over() bool { return e.aliased > maxAliasNodes || e.bytes > MaxEntitySize }

// budget walks a document in order, adding up what it expands to, and
// stops at the node where the total first goes over.
type budget struct {
	d     *document
	total expansion
	sizes map[*yaml.Node]expansion // of anchored nodes, each sized once
}

// checkBudget reports whether the document, its aliases expanded, stays
// within maxAliasNodes aliased values and MaxEntitySize bytes, without
// expanding anything: each anchored node's size is computed once, so the
// check costs one pass over the nodes whatever the aliases multiply. The
// error names the line, column and field of the alias (or value) where the
// budget runs out.
func (d *document) checkBudget() *YAMLError {
	b := budget{d: d}
	return b.walk(d.node)
}

func (b *budget) walk(n *yaml.Node) *YAMLError {
	switch n.Kind {
	case yaml.AliasNode:
		return b.charge(n, b.size(n.Alias), true)
	case yaml.ScalarNode:
		return b.charge(n, expansion{bytes: scalarSize(n)}, false)
	case yaml.SequenceNode:
		if err := b.charge(n, expansion{bytes: 2}, false); err != nil {
			return err
		}
		for i, c := range n.Content {
			if err := b.walk(c); err != nil {
				return inField(err, strconv.Itoa(i))
			}
		}
	case yaml.MappingNode:
		if err := b.charge(n, expansion{bytes: 2}, false); err != nil {
			return err
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if err := b.walk(k); err != nil {
				return err
			}
			if err := b.walk(n.Content[i+1]); err != nil {
				return inField(err, k.Value)
			}
		}
	}
	return nil
}

// charge adds e, what n stands for, to the document's total, failing at
// n when it goes over.
func (b *budget) charge(n *yaml.Node, e expansion, alias bool) *YAMLError {
	b.total = b.total.add(e)
	fail := func(msg string) *YAMLError {
		return &YAMLError{Line: b.d.line(n), Column: n.Column, Message: msg}
	}
	switch {
	case b.total.aliased > maxAliasNodes:
		return fail(fmt.Sprintf("aliases expand to more than %d values (an alias bomb?)", maxAliasNodes))
	case b.total.bytes > MaxEntitySize && alias:
		return fail(fmt.Sprintf("aliases expand the document past %d MB here (an alias bomb?); an entity may be at most %d MB", MaxEntitySize>>20, MaxEntitySize>>20))
	case b.total.bytes > MaxEntitySize:
		return fail(fmt.Sprintf("the document passes %d MB here; an entity may be at most %d MB", MaxEntitySize>>20, MaxEntitySize>>20))
	}
	return nil
}

// size is what n expands to, every value inside it counted as aliased.
func (b *budget) size(n *yaml.Node) expansion {
	if e, ok := b.sizes[n]; ok {
		return e
	}
	if n.Anchor != "" {
		if b.sizes == nil {
			b.sizes = map[*yaml.Node]expansion{} // most documents have no anchors
		}
		// A node that contains an alias to itself counts as over the budget.
		b.sizes[n] = expansion{maxAliasNodes + 1, MaxEntitySize + 1}
	}
	e := expansion{aliased: 1}
	switch n.Kind {
	case yaml.AliasNode:
		e = b.size(n.Alias)
	case yaml.ScalarNode:
		e.bytes = scalarSize(n)
	case yaml.SequenceNode:
		e.bytes = 2
		for _, c := range n.Content {
			if e = e.add(b.size(c)); e.over() {
				break
			}
		}
	case yaml.MappingNode:
		e.bytes = 2
		for i := 0; i+1 < len(n.Content) && !e.over(); i += 2 {
			// Keys are not values of their own, as they were not when
			// maxAliasNodes was chosen; their bytes count.
			e = e.add(expansion{bytes: b.size(n.Content[i]).bytes}).add(b.size(n.Content[i+1]))
		}
	}
	if n.Anchor != "" {
		b.sizes[n] = e
	}
	return e
}

// scalarSize is about what a scalar takes as JSON, with its separator.
func scalarSize(n *yaml.Node) int { return len(n.Value) + 3 }

// inField puts the key or index of the value err is in before its field.
func inField(err *YAMLError, key string) *YAMLError {
	if err.Field == "" {
		err.Field = key
	} else {
		err.Field = key + "." + err.Field
	}
	return err
}

// jsonSize is how many bytes v takes as JSON, counting only until it
// passes limit (the result is then limit+1).
func jsonSize(v any, limit int) int {
	n := 0
	var walk func(v any)
	walk = func(v any) {
		if n > limit {
			return
		}
		switch x := v.(type) {
		case string:
			n += stringSize(x)
		case float64:
			var buf [32]byte
			n += len(strconv.AppendFloat(buf[:0], x, 'g', -1, 64))
		case bool:
			n += 5
		case nil:
			n += 4
		case []any:
			n += 2 + max(len(x)-1, 0)
			for _, y := range x {
				walk(y)
			}
		case map[string]any:
			n += 2 + max(len(x)-1, 0)
			for k, y := range x {
				n += stringSize(k) + 1
				walk(y)
			}
		default:
			n += 8 // other scalars (Entity fields use only the types above)
		}
	}
	walk(v)
	return min(n, limit+1)
}

// stringSize is the length of s as encoding/json quotes it, escapes
// included.
func stringSize(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
				n += 2
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			n += 6
		} else {
			n += size
		}
		i += size
	}
	return n
}
