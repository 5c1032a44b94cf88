//go:build !unix

package catalog

// OpenNoPoll adds nothing where files are not polled.
const OpenNoPoll = 0
