package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The key layout (docs/architecture.md has the why). A location's data lives
// under its generation; the location record names the current one, so a
// new set of any size is written first and swapped in by one small
// transaction that updates the record. Keys of other generations are
// garbage, swept after the swap and at open.
const (
	formatKey    = "meta/format"    // → the store format version (JSON number, in every format)
	writerKey    = "meta/writer"    // → writerRecord: the Callboard that last opened the store to write
	migratingKey = "meta/migrating" // → the format a migration under way started from
	settingsKey  = "u/settings"     // → Settings: the user's choices
	starsKey     = "u/stars"        // → []string: refs the user starred, sorted
	recentKey    = "u/recent"       // → []string: refs the user opened last, newest first
	pLocation    = "l/"             // l/<id> → Location
	pOrgListing  = "d/"             // d/<id> → OrgListing: a discovered organisation's last listing
	pBackstage   = "b/"             // b/<id> → a Backstage location's sync state (the syncer's, as JSON)
	pGen         = "g/"             // g/<id>/<gen>/…: a generation's data
	pClaim       = "o/"             // o/<ref>\x00<id>\x00<gen> → first-claim time: who provides ref
	pOutbox      = "x/"             // x/<id>/<seq> → OutboxEntry; seq is hex time, so entries list in commit order
	pRun         = "s/"             // s/<id> → a template run's record (JSON); ids sort by start time
	pRemoteFile  = "rf/"            // rf/<url> → a file read by URL: remoteHeader as JSON, a newline, its bytes
	pRemoteUses  = "ru/"            // ru/<owner> → []string: the URLs owner's last sync used, sorted
	pScorecard   = "sc/"            // sc/<ref> → an entity's scorecard results with what they read (the scorecard package's encoding)
	sEntity      = "e/"             // g/<id>/<gen>/e/<uid>/<ref> → Entity (entityKey)
	sOut         = "r/"             // g/<id>/<gen>/r/<source>\x00<chunk> → []Relation going out of source
	sIn          = "i/"             // g/<id>/<gen>/i/<target>\x00<chunk> → []Relation coming in (Target holds the source)
)

// entityKey is the key of ref's entity in the generation under prefix.
// The entity's metadata.uid comes first, so a location's entities lie in
// the order Backstage's catalog API pages through them (by uid) and a
// page reads neighbouring keys, not one key in every table; the ref
// follows, for whoever walks the keys (entityRef).
func entityKey(prefix, ref string) string {
	return prefix + sEntity + UID(ref) + "/" + ref
}

// entityRef is the ref in the part of an entity's key after its
// generation's sEntity, copied alone: a caller may keep it.
func entityRef(rest []byte) string {
	_, ref, _ := bytes.Cut(rest, []byte("/")) // a uid holds no slash
	return string(ref)
}

// UID is the stable metadata.uid of the entity with canonical ref: a
// UUID made of a hash of the ref, so it survives restarts and re-syncs,
// and the order of the store's entity keys (entityKey).
func UID(ref string) string {
	h := sha256.Sum256([]byte("callboard-entity:" + ref))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[:8], h[:4])
	hex.Encode(b[9:13], h[4:6])
	hex.Encode(b[14:18], h[6:8])
	hex.Encode(b[19:23], h[8:10])
	hex.Encode(b[24:], h[10:16])
	b[8], b[13], b[18], b[23] = '-', '-', '-', '-'
	return string(b[:])
}

func genPrefix(id string, gen uint64) string {
	return fmt.Sprintf("%s%s/%016x/", pGen, id, gen)
}

func claimKey(ref, id string, gen uint64) string {
	return fmt.Sprintf("%s%s\x00%s\x00%016x", pClaim, ref, id, gen)
}

func parseClaim(k []byte) (ref, id string, gen uint64) {
	rest := string(k[len(pClaim):])
	ref, rest, _ = strings.Cut(rest, "\x00")
	id, genHex, _ := strings.Cut(rest, "\x00")
	gen, _ = strconv.ParseUint(genHex, 16, 64)
	return ref, id, gen
}

func binaryTime(t time.Time) []byte { return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano())) }
