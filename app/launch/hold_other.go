//go:build !linux

package launch

// hold returns path: only Linux names an open file in a way exec takes.
func hold(path string) (string, error) { return path, nil }
