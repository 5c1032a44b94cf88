package urlfetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/callboard/callboard/sync/remote"
)

// fileCache keeps the files read by URL in a folder, one file each: a
// JSON header, a newline, the contents.
type fileCache struct{ dir string }

type fileHeader struct {
	URL          string    `json:"url"`
	FetchURL     string    `json:"fetchUrl,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"lastModified,omitempty"`
	ReadAt       time.Time `json:"readAt"`
}

func (c fileCache) name(url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:16]))
}

// Get implements remote.Cache.
func (c fileCache) Get(_ context.Context, url string) (remote.Entry, bool, error) {
	data, err := os.ReadFile(c.name(url))
	if errors.Is(err, fs.ErrNotExist) {
		return remote.Entry{}, false, nil
	}
	if err != nil {
		return remote.Entry{}, false, fmt.Errorf("read the kept copy of %s: %w", url, err)
	}
	head, body, found := bytes.Cut(data, []byte("\n"))
	var h fileHeader
	if !found || json.Unmarshal(head, &h) != nil || h.URL != url {
		return remote.Entry{}, false, nil // another version's, or another URL's
	}
	return remote.Entry{FetchURL: h.FetchURL, ETag: h.ETag, LastModified: h.LastModified, ReadAt: h.ReadAt, Data: body}, true, nil
}

// Put implements remote.Cache.
func (c fileCache) Put(_ context.Context, url string, e remote.Entry) error {
	head, err := json.Marshal(fileHeader{URL: url, FetchURL: e.FetchURL, ETag: e.ETag, LastModified: e.LastModified, ReadAt: e.ReadAt})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("keep %s: %w", url, err)
	}
	if err := writeFile(c.name(url), append(append(head, '\n'), e.Data...)); err != nil {
		return fmt.Errorf("keep %s: %w", url, err)
	}
	return nil
}

var _ remote.Cache = fileCache{}
