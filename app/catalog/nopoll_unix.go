//go:build unix

package catalog

import "syscall"

// OpenNoPoll is added to the flags of regular files opened in bulk (here
// and by app/scaffold's writers). Regular
// files ignore O_NONBLOCK, and os, seeing it, does not switch a new
// descriptor to non-blocking and back around trying the poller (four
// fcntl calls an open); a FIFO put where a file was expected fails to open
// for writing, or opens for reading, instead of blocking.
const OpenNoPoll = syscall.O_NONBLOCK
