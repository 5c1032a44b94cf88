package store

import (
	"encoding/binary"
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
	sEntity      = "e/"             // g/<id>/<gen>/e/<ref> → Entity
	sOut         = "r/"             // g/<id>/<gen>/r/<source>\x00<chunk> → []Relation going out of source
	sIn          = "i/"             // g/<id>/<gen>/i/<target>\x00<chunk> → []Relation coming in (Target holds the source)
)

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
