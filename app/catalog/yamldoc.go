package catalog

import (
	"iter"

	"gopkg.in/yaml.v3"
)

// YAMLDocument is one document of a YAML file, parsed the way catalog
// files are but not decoded yet, so a reader can look at a few scalars
// (its kind) before paying for the rest. Every YAML file Callboard reads
// from a repository goes through it, so all share one budget.
type YAMLDocument struct{ d *document }

// ReadYAML parses data's documents one at a time, as catalog files are
// read: data must be UTF-8, documents are cut at their markers so a broken
// one costs only itself, and empty ones are skipped. A document that does
// not parse comes as an error (a *YAMLError) and reading goes on.
func ReadYAML(data []byte) iter.Seq2[YAMLDocument, error] {
	return func(yield func(YAMLDocument, error) bool) {
		for d, err := range parseDocuments(data) {
			if err != nil {
				if !yield(YAMLDocument{}, err) {
					return
				}
				continue
			}
			if !yield(YAMLDocument{d}, nil) {
				return
			}
		}
	}
}

// Line is the file line the document starts at.
func (d YAMLDocument) Line() int { return d.d.line(d.d.node) }

// Scalar returns the value written at path (mapping keys, list indexes),
// following aliases, without decoding the document; ok is false when path
// leads to nothing or to a list or mapping.
func (d YAMLDocument) Scalar(path ...string) (string, bool) {
	n := d.d.node
	for _, p := range path {
		if n = child(n, p); n == nil {
			return "", false
		}
	}
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n.Value, n.Kind == yaml.ScalarNode
}

// Decode decodes the document as the catalog does (the YAML 1.2 core
// schema, no merge keys, unique keys) into map[string]any, []any, string,
// float64, bool and nil, once its aliases are known to expand to at most
// MaxEntitySize bytes; the error (a *YAMLError) names the line, column and
// field where they would not. newMapping, when set, builds the mappings,
// so a caller can keep their keys in order.
func (d YAMLDocument) Decode(newMapping func(size int) Mapping) (any, error) {
	v, err := d.d.decode(newMapping)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Node returns the document's nodes once its aliases are known to expand
// within the same budget as Decode's, for a reader that walks the nodes or
// decodes them into a struct itself.
func (d YAMLDocument) Node() (*yaml.Node, error) {
	if err := d.d.checkBudget(); err != nil {
		return nil, err
	}
	return d.d.node, nil
}
