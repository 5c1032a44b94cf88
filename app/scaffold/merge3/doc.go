// Package merge3 merges two changed versions of a text with their common
// ancestor line by line, giving exactly what `git merge-file -p` gives.
package merge3
