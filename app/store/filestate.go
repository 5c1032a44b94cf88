package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

// A location's file state is what its next sync needs to skip unchanged
// files: the catalog.FileCache entries of the run that made its set. They
// live in the generation they describe, written with its entities (in its
// batches and swap, or in the in-place transaction), so they never say
// "unchanged" of a file whose entities the store does not hold.
//
// Beside the entries, the generation keeps what an incremental sync needs
// to find the files a change reaches without reading every entry: who
// reads each placeholder file (fd/) and which files the run reached
// without keeping an entry (fu/: Location files, files it could not
// cache). They are trusted while the fx marker names the location's
// Version: an older Callboard writes entries without them.
const (
	sFile         = "f/"  // g/<id>/<gen>/f/<file> → a catalog.FileCache entry, in the catalog's encoding
	sFileVersion  = "fv"  // g/<id>/<gen>/fv → the location's Version the f/ keys agree with, 8 bytes big-endian
	sFileDep      = "fd/" // g/<id>/<gen>/fd/<dep>\x00<file> → nothing: file's placeholders read dep
	sFileUncached = "fu/" // g/<id>/<gen>/fu/<file> → nothing: the run reached file and kept no entry of it
	sFileShape    = "fx"  // g/<id>/<gen>/fx → the location's Version the fd/ and fu/ keys agree with
)

// FileStates calls fn with the file cache entry of each file kept for
// location id, sorted by file, and returns the location's Version, read in
// the same transaction. ok is false, and fn is not called, when the store
// keeps none that agree with the location's entities: never synced, or last
// written by a Callboard that kept none (an older one, whose writes bump the
// Version and leave the marker behind). The caller then processes every
// file. fn may keep data. An error of fn stops the walk and is returned.
func (d *DB) FileStates(ctx context.Context, id string, fn func(file string, data []byte) error) (version uint64, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		var loc Location
		found, err := getJSON(txn, pLocation+id, &loc)
		if err != nil || !found || loc.Gen == 0 {
			return err
		}
		version = loc.Version
		prefix := genPrefix(id, loc.Gen)
		item, err := txn.Get([]byte(prefix + sFileVersion))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		var marker uint64
		if err := item.Value(func(b []byte) error {
			if len(b) == 8 {
				marker = binary.BigEndian.Uint64(b)
			}
			return nil
		}); err != nil {
			return err
		}
		if marker != loc.Version {
			return nil
		}
		ok = true
		n := len(prefix) + len(sFile)
		return scan(txn, prefix+sFile, func(k, v []byte) error {
			if err := fn(string(k[n:]), v); err != nil {
				return err
			}
			return ctx.Err()
		})
	})
	if err != nil {
		return 0, false, fmt.Errorf("read the file state of location %s: %w", id, err)
	}
	return version, ok, nil
}

// copyFileStates writes files into the generation at prefix through set:
// an entry without Data is unchanged, and copied from the generation at
// from, which txn reads (one the store no longer holds is left out: that
// file is processed again next time).
func copyFileStates(txn *badger.Txn, set func(k, v []byte) error, from, prefix string, files []catalog.CachedFile) error {
	for _, f := range files {
		v := f.Data
		if v == nil {
			item, err := txn.Get([]byte(from + sFile + f.File))
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if v, err = item.ValueCopy(nil); err != nil {
				return err
			}
		}
		if err := set([]byte(prefix+sFile+f.File), v); err != nil {
			return err
		}
	}
	return nil
}

// markFileStates records in txn that the generation at prefix keeps the
// file state of the location's Version version; with no state (files is
// nil) the marker goes, so none is trusted.
func markFileStates(txn *badger.Txn, prefix string, files []catalog.CachedFile, version uint64) error {
	if files == nil {
		if err := txn.Delete([]byte(prefix + sFileShape)); err != nil {
			return err
		}
		return txn.Delete([]byte(prefix + sFileVersion))
	}
	v := binary.BigEndian.AppendUint64(nil, version)
	if err := txn.Set([]byte(prefix+sFileShape), v); err != nil {
		return err
	}
	return txn.Set([]byte(prefix+sFileVersion), v)
}

// writeFileShape writes through set the fd/ and fu/ keys of files and
// uncached into the generation at prefix.
func writeFileShape(set func(k, v []byte) error, prefix string, files []catalog.CachedFile, uncached []string) error {
	for _, f := range files {
		for _, dep := range f.Deps {
			if err := set([]byte(prefix+sFileDep+dep+"\x00"+f.File), nil); err != nil {
				return err
			}
		}
	}
	for _, u := range uncached {
		if err := set([]byte(prefix+sFileUncached+u), nil); err != nil {
			return err
		}
	}
	return nil
}

// clearFileShape deletes the fd/ and fu/ keys of the generation at prefix.
func clearFileShape(txn *badger.Txn, prefix string) error {
	var gone [][]byte
	for _, p := range []string{sFileDep, sFileUncached} {
		err := scanKeys(txn, prefix+p, func(k []byte) error {
			gone = append(gone, append([]byte(nil), k...))
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, k := range gone {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// readMarker reads an 8-byte big-endian marker; ok is false without one.
func readMarker(txn *badger.Txn, key string) (v uint64, ok bool, err error) {
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	err = item.Value(func(b []byte) error {
		if len(b) == 8 {
			v, ok = binary.BigEndian.Uint64(b), true
		}
		return nil
	})
	return v, ok, err
}

// updateFileStates applies files to the current generation at prefix in an
// in-place update: the changed entries are written, those of files not
// listed deleted. It returns errTooBig when more than maxInPlace entries
// changed, so the transaction stays small.
func updateFileStates(txn *badger.Txn, prefix string, files []catalog.CachedFile) error {
	listed := make(map[string]bool, len(files))
	changed := 0
	for _, f := range files {
		listed[f.File] = true
		if f.Data != nil {
			changed++
		}
	}
	if changed > maxInPlace {
		return errTooBig
	}
	var gone [][]byte
	n := len(prefix) + len(sFile)
	err := scanKeys(txn, prefix+sFile, func(k []byte) error {
		if !listed[string(k[n:])] {
			gone = append(gone, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range gone {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	for _, f := range files {
		if f.Data == nil {
			continue
		}
		if err := txn.Set([]byte(prefix+sFile+f.File), f.Data); err != nil {
			return err
		}
	}
	return nil
}
