package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The notification centre keeps every notification (nn/), the newest
// MaxNotifications of them, and remembers each one's dedupe key (nk/)
// apart, so a notification cleared or dropped is still never shown
// twice. Keys are bounded too (MaxNotificationKeys, oldest forgotten
// first): what was notified that long ago may be notified again.

const (
	pNotification     = "nn/"                    // nn/<seq> → Notification; seq is hex time, so they list oldest first
	pNotificationKey  = "nk/"                    // nk/<sha-256 of the dedupe key> → when it was notified (binaryTime)
	notificationKeys  = "meta/notification-keys" // → how many nk/ keys there are (big-endian uint64)
	notificationCount = "meta/notifications"     // → how many nn/ notifications there are

	// MaxNotifications is how many notifications are kept.
	MaxNotifications = 500
	// MaxNotificationKeys is how many dedupe keys are remembered.
	MaxNotificationKeys = 5000
)

// Notification is one notification of the centre.
type Notification struct {
	// ID is its sequence, hex of the time it was added: ids sort as the
	// notifications were added.
	ID    string    `json:"id"`
	Kind  string    `json:"kind"`
	Time  time.Time `json:"time"`
	Title string    `json:"title"`
	Body  string    `json:"body,omitempty"`
	// Link is the app's route it is about ("" for none).
	Link string `json:"link,omitempty"`
	Read bool   `json:"read,omitempty"`
	// Key is what makes it the same as an earlier one: a notification
	// with a key already notified is not added.
	Key string `json:"key,omitempty"`
}

func notificationKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return pNotificationKey + hex.EncodeToString(sum[:16])
}

// AddNotification keeps n, with its ID set, unless its Key was notified
// before (added false). The oldest notifications and keys past the
// bounds are dropped in the same transaction.
func (d *DB) AddNotification(ctx context.Context, n Notification) (Notification, bool, error) {
	if err := d.CheckSpace(); err != nil {
		return Notification{}, false, fmt.Errorf("keep notification %q: %w", n.Title, err)
	}
	n.Time = cmp.Or(n.Time, time.Now()).UTC()
	var kept Notification
	added := false
	err := d.update(ctx, func(txn *badger.Txn) error {
		kept, added = Notification{}, false
		if n.Key != "" {
			if _, err := txn.Get([]byte(notificationKey(n.Key))); err == nil {
				return nil
			} else if !errors.Is(err, badger.ErrKeyNotFound) {
				return err
			}
			if err := txn.Set([]byte(notificationKey(n.Key)), binaryTime(n.Time)); err != nil {
				return err
			}
			if err := countNotificationKeys(txn, 1, cmp.Or(d.keptNotificationKeys, MaxNotificationKeys)); err != nil {
				return err
			}
		}
		kept = n
		seq := n.Time.UnixNano()
		for {
			kept.ID = fmt.Sprintf("%016x", seq)
			if _, err := txn.Get([]byte(pNotification + kept.ID)); errors.Is(err, badger.ErrKeyNotFound) {
				break
			} else if err != nil {
				return err
			}
			seq++
		}
		if err := putJSON(txn, pNotification+kept.ID, kept); err != nil {
			return err
		}
		added = true
		return trimNotifications(txn)
	})
	if err != nil {
		return Notification{}, false, fmt.Errorf("keep notification %q: %w", n.Title, err)
	}
	return kept, added, nil
}

// trimNotifications counts the notification just added and drops the
// oldest past MaxNotifications. The count is kept, not scanned for:
// an iterator steps over the tombstones of the ones dropped.
func trimNotifications(txn *badger.Txn) error {
	count, err := readCount(txn, notificationCount)
	if err != nil {
		return err
	}
	count++
	if count > MaxNotifications {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pNotification)})
		var drop [][]byte
		for it.Rewind(); it.Valid() && count > MaxNotifications; it.Next() {
			drop = append(drop, it.Item().KeyCopy(nil))
			count--
		}
		it.Close()
		for _, k := range drop {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
	}
	return writeCount(txn, notificationCount, count)
}

func readCount(txn *badger.Txn, key string) (int, error) {
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	count := 0
	err = item.Value(func(b []byte) error {
		if len(b) == 8 {
			count = int(binary.BigEndian.Uint64(b))
		}
		return nil
	})
	return count, err
}

func writeCount(txn *badger.Txn, key string, count int) error {
	return txn.Set([]byte(key), binary.BigEndian.AppendUint64(nil, uint64(max(count, 0))))
}

// countNotificationKeys adds delta to the count of keys and, past limit,
// forgets the oldest down to nine tenths of it, so the next many
// additions need no sort.
func countNotificationKeys(txn *badger.Txn, delta, limit int) error {
	count, err := readCount(txn, notificationKeys)
	if err != nil {
		return err
	}
	count = max(count+delta, 0)
	if count > limit {
		type entry struct{ key, when []byte }
		var all []entry
		err := scan(txn, pNotificationKey, func(k, v []byte) error {
			all = append(all, entry{slices.Clone(k), v})
			return nil
		})
		if err != nil {
			return err
		}
		slices.SortFunc(all, func(a, b entry) int { return cmp.Compare(string(a.when), string(b.when)) })
		drop := all[:max(len(all)-limit*9/10, 0)]
		for _, e := range drop {
			if err := txn.Delete(e.key); err != nil {
				return err
			}
		}
		count = len(all) - len(drop)
	}
	return writeCount(txn, notificationKeys, count)
}

// ForgetNotificationKey forgets that key was notified, so it may be
// again: an episode (a red build, say) that ended.
func (d *DB) ForgetNotificationKey(ctx context.Context, key string) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		k := []byte(notificationKey(key))
		if _, err := txn.Get(k); errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if err := txn.Delete(k); err != nil {
			return err
		}
		return countNotificationKeys(txn, -1, cmp.Or(d.keptNotificationKeys, MaxNotificationKeys))
	})
	if err != nil {
		return fmt.Errorf("forget a notification key: %w", err)
	}
	return nil
}

// NotificationKnown says whether key was notified (and not forgotten).
func (d *DB) NotificationKnown(ctx context.Context, key string) (bool, error) {
	known := false
	err := d.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(notificationKey(key)))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		known = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("read a notification key: %w", err)
	}
	return known, nil
}

// Notifications returns the kept notifications, newest first, and how
// many of them are unread.
func (d *DB) Notifications(ctx context.Context) ([]Notification, int, error) {
	var out []Notification
	unread := 0
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pNotification, func(_, v []byte) error {
			var n Notification
			if err := json.Unmarshal(v, &n); err != nil {
				return err
			}
			if !n.Read {
				unread++
			}
			out = append(out, n)
			return nil
		})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read notifications: %w", err)
	}
	slices.Reverse(out)
	return out, unread, nil
}

// MarkNotificationsRead marks the notifications of ids read, or every
// one when all is set; an id not kept is ignored (dropped meanwhile).
func (d *DB) MarkNotificationsRead(ctx context.Context, ids []string, all bool) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		var keys []string
		if all {
			err := scanKeys(txn, pNotification, func(k []byte) error {
				keys = append(keys, string(k))
				return nil
			})
			if err != nil {
				return err
			}
		}
		for _, id := range ids {
			keys = append(keys, pNotification+id)
		}
		for _, k := range keys {
			var n Notification
			ok, err := getJSON(txn, k, &n)
			if err != nil {
				return err
			}
			if !ok || n.Read {
				continue
			}
			n.Read = true
			if err := putJSON(txn, k, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	return nil
}

// ClearNotifications drops every kept notification; their keys stay
// remembered, so none comes back.
func (d *DB) ClearNotifications(ctx context.Context) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		var keys [][]byte
		if err := scanKeys(txn, pNotification, func(k []byte) error {
			keys = append(keys, slices.Clone(k))
			return nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return writeCount(txn, notificationCount, 0)
	})
	if err != nil {
		return fmt.Errorf("clear notifications: %w", err)
	}
	return nil
}
