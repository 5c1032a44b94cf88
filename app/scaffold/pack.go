package scaffold

import (
	"bytes"
	"cmp"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
)

// packObject is an object of a pack: its content until it is packed, then
// data, the entry as the pack holds it (header and zlib stream).
type packObject struct {
	hash    plumbing.Hash
	typ     plumbing.ObjectType
	content []byte
	data    []byte
}

// writePack writes objects (packed) into the repository at gitDir as one
// packfile and its index, without deltas. go-git's encoder compresses one
// object at a time at zlib's default level, and its pack writer then
// reads the whole pack back to index it: two thirds of the first commit's
// time for the 200-file benchmark template. stage compresses objects on
// every CPU at zlib's fastest level (a new project's pack is small and is
// repacked by git gc if it ever matters), and the index is written here
// from the offsets and checksums known while writing.
func writePack(objects []packObject, gitDir string) error {
	// Commits, then trees, then blobs, as git writes them, and in hash
	// order among each, so the same objects make the same pack.
	entries := slices.Clone(objects)
	slices.SortFunc(entries, func(a, b packObject) int {
		return cmp.Or(cmp.Compare(a.typ, b.typ), bytes.Compare(a.hash[:], b.hash[:]))
	})
	// The same file twice is one object.
	entries = slices.CompactFunc(entries, func(a, b packObject) bool { return a.hash == b.hash })

	dir := filepath.Join(gitDir, "objects", "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	pack, err := os.CreateTemp(dir, "tmp_pack_")
	if err != nil {
		return err
	}
	defer os.Remove(pack.Name())
	sum := sha1.New()
	w := io.MultiWriter(pack, sum)
	var header [12]byte
	copy(header[:], "PACK")
	binary.BigEndian.PutUint32(header[4:], 2)
	binary.BigEndian.PutUint32(header[8:], uint32(len(entries)))
	if _, err := w.Write(header[:]); err != nil {
		pack.Close()
		return err
	}
	idx := new(idxfile.Writer)
	idx.OnHeader(uint32(len(entries)))
	offset := uint64(len(header))
	for _, e := range entries {
		if _, err := w.Write(e.data); err != nil {
			pack.Close()
			return err
		}
		idx.Add(e.hash, offset, crc32.ChecksumIEEE(e.data))
		offset += uint64(len(e.data))
	}
	var checksum plumbing.Hash
	copy(checksum[:], sum.Sum(nil))
	if _, err := pack.Write(checksum[:]); err != nil {
		pack.Close()
		return err
	}
	if err := pack.Close(); err != nil {
		return err
	}
	if err := idx.OnFooter(checksum); err != nil {
		return err
	}
	index, err := idx.Index()
	if err != nil {
		return err
	}
	var ib bytes.Buffer
	if _, err := idxfile.NewEncoder(&ib).Encode(index); err != nil {
		return err
	}
	name := filepath.Join(dir, "pack-"+checksum.String())
	// The pack before its index: git takes a pack as there once its index is.
	if err := os.Rename(pack.Name(), name+".pack"); err != nil {
		return err
	}
	return os.WriteFile(name+".idx", ib.Bytes(), 0o444)
}

// packEntry is an object as a pack holds it undeltified: its type and
// size, then its content compressed with z.
func packEntry(typ plumbing.ObjectType, content []byte, z *zlib.Writer) ([]byte, error) {
	var b bytes.Buffer
	size := len(content)
	c := byte(typ)<<4 | byte(size&0x0f)
	size >>= 4
	for size > 0 {
		b.WriteByte(c | 0x80)
		c = byte(size & 0x7f)
		size >>= 7
	}
	b.WriteByte(c)
	z.Reset(&b)
	if _, err := z.Write(content); err != nil {
		return nil, err
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
