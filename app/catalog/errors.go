package catalog

import "fmt"

// Error is a processing error: what is wrong, and where.
type Error struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Entity is the ref of the entity the error belongs to, empty for
	// errors of a whole file.
	Entity string `json:"entity,omitempty"`
}

func (e Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
		if e.Column > 0 {
			loc += fmt.Sprintf(":%d", e.Column)
		}
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", loc, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", loc, e.Message)
}
