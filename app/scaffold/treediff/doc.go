// Package treediff compares a rendered project tree with an expected
// folder, byte for byte, and says how they differ as unified diffs.
package treediff
