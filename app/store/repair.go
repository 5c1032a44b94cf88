package store

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"

	badger "github.com/dgraph-io/badger/v4"
)

// emptyMemtable is how Badger refuses a memtable file it found with no
// bytes (ristretto's z.NewFile, wrapped with the file's id); it has sized
// the file by then, so the id is how to tell which it was.
var emptyMemtable = regexp.MustCompile(`while opening fid: (\d+) err: Create a new file`)

// openRepairing is openBadger for a writer, which also gets past an empty
// memtable file: a process killed between creating NNNNN.mem and sizing
// it leaves one, and Badger will not open the store again. Such a file
// holds no write, so it is removed (under the directory lock, so no
// running writer can own it) and the open tried once more.
func openRepairing(ctx context.Context, opts badger.Options) (*badger.DB, error) {
	db, err := openBadger(ctx, opts)
	if err == nil || opts.InMemory {
		return db, err
	}
	m := emptyMemtable.FindStringSubmatch(err.Error())
	if m == nil {
		return nil, err
	}
	fid, _ := strconv.Atoi(m[1])
	name := filepath.Join(opts.Dir, fmt.Sprintf("%05d.mem", fid))
	if rerr := dropMemtable(opts.Dir, name); rerr != nil {
		return nil, fmt.Errorf("%w (and removing the memtable file it found empty: %v)", err, rerr)
	}
	return openBadger(ctx, opts)
}
