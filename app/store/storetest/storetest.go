package storetest

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// Fixture is the path of app/store/testdata/name, from any package.
func Fixture(t testing.TB, name string) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("find app/store/testdata")
	}
	return filepath.Join(filepath.Dir(file), "..", "testdata", name)
}

// Unpack writes the data dir a fixture (a .tar.gz of store/) holds into
// root and returns the store's directory.
func Unpack(t testing.TB, fixture, root string) string {
	t.Helper()
	f, err := os.Open(fixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return filepath.Join(root, "store")
		}
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(root, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(path, filepath.Clean(root)+string(filepath.Separator)) {
			t.Fatalf("fixture entry %q outside the data dir", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(path, 0o700)
		case tar.TypeReg:
			var b []byte
			if b, err = io.ReadAll(tr); err == nil {
				err = os.WriteFile(path, b, 0o600)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// ClaimFormat makes the store in dir say it has format and was written by
// Callboard writer, as a newer Callboard leaves it: meta/format keeps its
// meaning (a JSON number) in every format, for older builds to read.
func ClaimFormat(t testing.TB, dir string, format int, writer string) {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(txn *badger.Txn) error {
		if err := txn.Set([]byte("meta/writer"), fmt.Appendf(nil, `{"version":%q,"format":%d}`, writer, format)); err != nil {
			return err
		}
		return txn.Set([]byte("meta/format"), fmt.Append(nil, format))
	})
	if err != nil {
		t.Fatal(err)
	}
}
