package main

import (
	"bytes"
	"encoding/binary"
	"sort"
)

// export is one name a forwarder DLL exports and the "dll.function" the
// loader resolves it to instead.
type export struct {
	name, target string
}

// The layout: headers in the first file block, one read-only section
// holding the export directory at the first page.
const (
	fileAlign    = 0x200
	sectionAlign = 0x1000
	sectionRVA   = sectionAlign
	dosSize      = 0x40
	coffSize     = 20
	optionalSize = 240 // PE32+ with its 16 data directories
	sectionSize  = 40
	exportDirLen = 40
)

// forwarderDLL returns a PE32+ (amd64) DLL named name whose exports all
// forward to other DLLs: no code, no entry point, no imports, no
// relocations, no timestamps, so the same exports give the same bytes.
// An export whose address lies inside the export directory's range is a
// forwarder: the loader reads the "dll.function" string found there.
func forwarderDLL(name string, exports []export) []byte {
	exports = append([]export(nil), exports...)
	// The name pointer table must be sorted for the loader's binary search.
	sort.Slice(exports, func(i, j int) bool { return exports[i].name < exports[j].name })
	n := uint32(len(exports))

	// The section: directory, address table, name pointers, ordinals, strings.
	eat := uint32(exportDirLen)
	names := eat + 4*n
	ordinals := names + 4*n
	strs := ordinals + 2*n
	var str bytes.Buffer
	addString := func(s string) uint32 {
		off := sectionRVA + strs + uint32(str.Len())
		str.WriteString(s)
		str.WriteByte(0)
		return off
	}
	sec := make([]byte, strs)
	le := binary.LittleEndian
	le.PutUint32(sec[12:], addString(name))
	le.PutUint32(sec[16:], 1) // ordinal base
	le.PutUint32(sec[20:], n)
	le.PutUint32(sec[24:], n)
	le.PutUint32(sec[28:], sectionRVA+eat)
	le.PutUint32(sec[32:], sectionRVA+names)
	le.PutUint32(sec[36:], sectionRVA+ordinals)
	for i, e := range exports {
		le.PutUint32(sec[eat+4*uint32(i):], addString(e.target))
		le.PutUint32(sec[names+4*uint32(i):], addString(e.name))
		le.PutUint16(sec[ordinals+2*uint32(i):], uint16(i))
	}
	sec = append(sec, str.Bytes()...)
	secLen := uint32(len(sec))
	rawLen := alignUp(secLen, fileAlign)
	imageLen := sectionRVA + alignUp(secLen, sectionAlign)

	out := make([]byte, fileAlign+rawLen)
	copy(out, "MZ")
	le.PutUint32(out[0x3c:], dosSize)
	copy(out[dosSize:], "PE\x00\x00")

	coff := out[dosSize+4:]
	le.PutUint16(coff[0:], 0x8664) // IMAGE_FILE_MACHINE_AMD64
	le.PutUint16(coff[2:], 1)      // one section
	le.PutUint16(coff[16:], optionalSize)
	le.PutUint16(coff[18:], 0x2000|0x0020|0x0002) // DLL, large address aware, executable image

	opt := coff[coffSize:]
	le.PutUint16(opt[0:], 0x20b) // PE32+
	le.PutUint32(opt[8:], rawLen)
	le.PutUint32(opt[20:], sectionRVA) // base of code (there is none)
	le.PutUint64(opt[24:], 0x180000000)
	le.PutUint32(opt[32:], sectionAlign)
	le.PutUint32(opt[36:], fileAlign)
	le.PutUint16(opt[40:], 6) // OS version 6.0
	le.PutUint16(opt[48:], 6) // subsystem version 6.0
	le.PutUint32(opt[56:], imageLen)
	le.PutUint32(opt[60:], fileAlign)
	le.PutUint16(opt[68:], 3)             // IMAGE_SUBSYSTEM_WINDOWS_CUI
	le.PutUint16(opt[70:], 0x0100|0x0040) // NX compatible, dynamic base (nothing to relocate)
	le.PutUint64(opt[72:], 0x100000)      // stack reserve
	le.PutUint64(opt[80:], 0x1000)        // stack commit
	le.PutUint64(opt[88:], 0x100000)      // heap reserve
	le.PutUint64(opt[96:], 0x1000)        // heap commit
	le.PutUint32(opt[108:], 16)           // data directories
	le.PutUint32(opt[112:], sectionRVA)   // export directory
	le.PutUint32(opt[116:], secLen)

	sh := opt[optionalSize:]
	copy(sh, ".rdata")
	le.PutUint32(sh[8:], secLen)
	le.PutUint32(sh[12:], sectionRVA)
	le.PutUint32(sh[16:], rawLen)
	le.PutUint32(sh[20:], fileAlign)
	le.PutUint32(sh[36:], 0x40000000|0x00000040) // readable, initialised data

	copy(out[fileAlign:], sec)
	return out
}

func alignUp(n, to uint32) uint32 { return (n + to - 1) / to * to }
