//go:build unix

package store

import "syscall"

// freeSpace is the space on dir's disk that an unprivileged user may fill.
func freeSpace(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}
