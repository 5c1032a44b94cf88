//go:build !unix

package syncer

import "io/fs"

// diskBytes is fi's size: the blocks it takes are not known here.
func diskBytes(fi fs.FileInfo) int64 { return fi.Size() }
