// Package watch tells when files under a folder change, a burst of saves
// reported once.
package watch
