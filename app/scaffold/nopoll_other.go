//go:build !unix

package scaffold

// openNoPoll: files are not polled here.
const openNoPoll = 0
