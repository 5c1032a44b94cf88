// Package jsonl reads and writes files of one JSON value a line, the form
// the conformance tests keep the oracles' recorded answers in: a diff of
// one shows which answers changed.
package jsonl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Read decodes every line of file.
func Read[T any](file string) ([]T, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []T
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var v T
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, i+1, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// Write writes items to file, one a line, making its folder if need be.
func Write[T any](file string, items []T) error {
	var b bytes.Buffer
	for _, v := range items {
		line, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return os.WriteFile(file, b.Bytes(), 0o644)
}
