//go:build unix

package syncer

import (
	"io/fs"
	"syscall"
)

// diskBytes is the space fi's blocks take on disk.
func diskBytes(fi fs.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512
	}
	return 0
}
