//go:build !unix

package catalog

// openNoPoll: files are not polled here.
const openNoPoll = 0
