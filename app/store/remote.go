package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Files read by URL (placeholders naming another repository or a web
// server) are kept (rf/) so the next sync can ask whether they changed and
// an offline one can use them; each is kept while some owner (a location)
// still lists it (ru/).

// remoteVersion is the version of rf/ records.
const remoteVersion = 1

// RemoteFile is a file read by URL with what the next read needs to ask
// whether it changed.
type RemoteFile struct {
	// FetchURL is where it was fetched from, which its validators belong to.
	FetchURL           string
	ETag, LastModified string
	// ReadAt is when its server last gave or confirmed Data.
	ReadAt time.Time
	Data   []byte
}

// remoteHeader is what an rf/ record holds besides the bytes.
type remoteHeader struct {
	Version      int       `json:"v"`
	FetchURL     string    `json:"fetchUrl,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"lastModified,omitempty"`
	ReadAt       time.Time `json:"readAt"`
}

// RemoteFile returns the file kept for url; ok is false when there is none
// (or it was written by another version).
func (d *DB) RemoteFile(ctx context.Context, url string) (f RemoteFile, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(pRemoteFile + url))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			head, data, found := bytes.Cut(v, []byte("\n"))
			var h remoteHeader
			if !found || json.Unmarshal(head, &h) != nil || h.Version != remoteVersion {
				return nil
			}
			f = RemoteFile{FetchURL: h.FetchURL, ETag: h.ETag, LastModified: h.LastModified, ReadAt: h.ReadAt, Data: bytes.Clone(data)}
			ok = true
			return nil
		})
	})
	if err != nil {
		return RemoteFile{}, false, fmt.Errorf("read the kept copy of %s: %w", url, err)
	}
	return f, ok, nil
}

// RemoteReadAt returns when the oldest of the files kept for urls was last
// given or confirmed by its server; ok is false when one is not kept. A
// sync that finds every file an entity read unchanged leaves the entity as
// it was stored, so this, not the entity, says how fresh it is.
func (d *DB) RemoteReadAt(ctx context.Context, urls []string) (at time.Time, ok bool, err error) {
	ok = len(urls) > 0
	err = d.db.View(func(txn *badger.Txn) error {
		for _, url := range urls {
			item, err := txn.Get([]byte(pRemoteFile + url))
			if errors.Is(err, badger.ErrKeyNotFound) {
				ok = false
				return nil
			}
			if err != nil {
				return err
			}
			var h remoteHeader
			err = item.Value(func(v []byte) error {
				head, _, _ := bytes.Cut(v, []byte("\n"))
				return json.Unmarshal(head, &h)
			})
			if err != nil || h.Version != remoteVersion {
				ok = false
				return nil
			}
			if at.IsZero() || h.ReadAt.Before(at) {
				at = h.ReadAt
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read when remote files were read: %w", err)
	}
	return at, ok, nil
}

// PutRemoteFile keeps f as the file read from url.
func (d *DB) PutRemoteFile(ctx context.Context, url string, f RemoteFile) error {
	head, err := json.Marshal(remoteHeader{Version: remoteVersion, FetchURL: f.FetchURL, ETag: f.ETag, LastModified: f.LastModified, ReadAt: f.ReadAt})
	if err != nil {
		return fmt.Errorf("keep %s: %w", url, err)
	}
	v := append(append(head, '\n'), f.Data...)
	if len(v) > d.maxEntity {
		return fmt.Errorf("keep %s: %.1f MB is over the %.1f MB the store keeps of one file", url, float64(len(v))/(1<<20), float64(d.maxEntity)/(1<<20))
	}
	if err := d.CheckSpace(); err != nil {
		return fmt.Errorf("keep %s: %w", url, err)
	}
	err = d.update(ctx, func(txn *badger.Txn) error { return txn.Set([]byte(pRemoteFile+url), v) })
	if err != nil {
		return fmt.Errorf("keep %s: %w", url, err)
	}
	return nil
}

// RemoteUses returns the URLs owner's last sync used, sorted.
func (d *DB) RemoteUses(ctx context.Context, owner string) ([]string, error) {
	var urls []string
	err := d.db.View(func(txn *badger.Txn) error {
		_, err := getJSON(txn, pRemoteUses+owner, &urls)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read the remote files %s uses: %w", owner, err)
	}
	return urls, nil
}

// SetRemoteUses records the URLs owner (such as "location/<id>") uses now;
// none forgets the owner. Files owner used before and no owner uses any
// more are dropped in the same transaction.
func (d *DB) SetRemoteUses(ctx context.Context, owner string, urls []string) error {
	urls = slices.Compact(slices.Sorted(slices.Values(urls)))
	err := d.update(ctx, func(txn *badger.Txn) error {
		var before []string
		if _, err := getJSON(txn, pRemoteUses+owner, &before); err != nil {
			return err
		}
		dropped := map[string]bool{}
		for _, u := range before {
			if _, found := slices.BinarySearch(urls, u); !found {
				dropped[u] = true
			}
		}
		if len(dropped) > 0 {
			err := scan(txn, pRemoteUses, func(k, v []byte) error {
				if string(k) == pRemoteUses+owner {
					return nil
				}
				var others []string
				if err := json.Unmarshal(v, &others); err != nil {
					return err
				}
				for _, u := range others {
					delete(dropped, u)
				}
				return nil
			})
			if err != nil {
				return err
			}
			for u := range dropped {
				if err := txn.Delete([]byte(pRemoteFile + u)); err != nil {
					return err
				}
			}
		}
		if len(urls) == 0 {
			return txn.Delete([]byte(pRemoteUses + owner))
		}
		return putJSON(txn, pRemoteUses+owner, urls)
	})
	if err != nil {
		return fmt.Errorf("record the remote files %s uses: %w", owner, err)
	}
	return nil
}
