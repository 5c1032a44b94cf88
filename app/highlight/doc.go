// Package highlight finds the chroma lexer for a language name, from a set
// of lexer definitions parsed on first use rather than at program start.
package highlight
