package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"maps"
	"slices"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/backstage"
)

// bsChunk is how many entities are processed together when the set is
// made again from the store's: a page of the backend's.
const bsChunk = 250

// bsBuild makes a Backstage location's set chunk by chunk (a page of the
// backend's at a time) into a new generation: each chunk is processed
// alone, its accepted entities and file states written as they come, so
// the sync holds a page and the refs, not the catalog. Each entity is a
// file of its own and a root, so processing chunks apart reaches what
// processing them together would.
type bsBuild struct {
	base   string
	gen    *store.Generation
	report func(phase string, done, total int)
	res    catalog.Result
	etags  map[string]string // every entity read, by ref
	sum    [sha256.Size]byte // the files' hashes XORed: the set's, in any order
	done   int
	genErr error
}

func (s *Syncer) newBSBuild(ctx context.Context, id, base string, report func(phase string, done, total int)) (*bsBuild, error) {
	gen, err := s.db.NewGeneration(ctx, id, s.now())
	if err != nil {
		return nil, err
	}
	return &bsBuild{base: base, gen: gen, report: report, etags: map[string]string{}}, nil
}

// add processes es into the generation.
func (b *bsBuild) add(ctx context.Context, es []backstage.Entity) error {
	files, originals := backstageFiles(es)
	for _, e := range es {
		b.etags[e.Ref] = e.ETag
	}
	mf := make(catalog.MapFiles, len(files))
	for name, data := range files {
		mf[name] = string(data)
		h := fileHash(name, data)
		for i := range b.sum {
			b.sum[i] ^= h[i]
		}
	}
	done := b.done
	opts := catalog.Options{
		LocationRef: backstageRef(b.base),
		// A cache that begins the run empty hands each file's state to
		// FileState, which the generation keeps for changes in place.
		Cache:    catalog.NewFileCache(),
		Progress: func(n, known int) { b.report("process", done+n, done+known) },
		Accepted: func(ps []catalog.Processed) {
			restoreOrigins(b.base, ps, originals)
			if b.genErr == nil {
				b.genErr = b.gen.Add(ctx, ps)
			}
		},
		FileState: func(file string, entry *catalog.CachedFile) {
			if b.genErr == nil {
				b.genErr = b.gen.AddFile(ctx, file, entry)
			}
		},
	}
	res := catalog.Process(ctx, hashedFiles{mf}, opts, slices.Sorted(maps.Keys(mf))...)
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.genErr != nil {
		return b.genErr
	}
	restoreOrigins(b.base, res.Entities, originals)
	b.done += len(files)
	b.res.Entities = append(b.res.Entities, res.Entities...)
	b.res.Edges = append(b.res.Edges, res.Edges...)
	b.res.Verdicts = append(b.res.Verdicts, res.Verdicts...)
	b.res.Errors = append(b.res.Errors, res.Errors...)
	b.res.Warnings = append(b.res.Warnings, res.Warnings...)
	b.res.External = append(b.res.External, res.External...)
	b.res.Files = append(b.res.Files, res.Files...)
	return nil
}

// commit stands for a commit of the set: it changes when any entity does.
func (b *bsBuild) commit() string { return hex.EncodeToString(b.sum[:]) }

// backstageRef is the location ref processing writes in the managed-by
// annotations of an entity's generated file; restoreOrigins puts the
// backend's back.
func backstageRef(base string) func(string) string {
	return func(file string) string { return "url:" + base + "/catalog/" + file }
}

// fileHash is the hash of one generated file, name and content.
func fileHash(name string, data []byte) [sha256.Size]byte {
	h := sha256.New()
	var n [8]byte
	for _, b := range [][]byte{[]byte(name), data} {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	return [sha256.Size]byte(h.Sum(nil))
}

// hashedFiles are generated files that say their content's hash, so
// processing keeps each one's state (catalog.Hasher).
type hashedFiles struct{ catalog.MapFiles }

// Hash implements catalog.Hasher.
func (f hashedFiles) Hash(name string) string {
	s, ok := f.MapFiles[name]
	if !ok {
		return ""
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
