// Package updates reads a release feed and says whether it names a newer
// Callboard than the one running.
package updates
