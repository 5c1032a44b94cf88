//go:build unix

package instance

import "syscall"

// sameDisk says whether a and b are on one file system, where a rename
// from one to the other works.
func sameDisk(a, b string) bool {
	var sa, sb syscall.Stat_t
	return syscall.Stat(a, &sa) == nil && syscall.Stat(b, &sb) == nil && sa.Dev == sb.Dev
}
