package urlfetch

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path"
	"path/filepath"
	"sync"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// DefaultTimeout bounds the fetch of one folder.
const DefaultTimeout = 2 * time.Minute

// Options configure a Fetcher.
type Options struct {
	// Dir keeps what was fetched: trees/ one shallow copy per repository
	// and ref, files/ the files read by URL.
	Dir string
	// Credentials authenticate as clones do: a host's own token goes to
	// that host alone, the all-hosts token only to a trusted host.
	Credentials gitfetch.Credentials
	// Allowed says whether anything may be fetched from host; nil allows
	// every host. A refusal ends with AllowHint.
	Allowed   func(ctx context.Context, host string) (bool, error)
	AllowHint string
	// Transport, when set, carries file reads (a test's, which trusts its
	// server).
	Transport http.RoundTripper
	// Timeout bounds the fetch of one folder (DefaultTimeout).
	Timeout time.Duration
	Now     func() time.Time
	Log     *slog.Logger
}

// Fetcher reads folders and files by URL, keeps them, and uses the kept
// copy when the server cannot be asked. It is safe for concurrent use,
// and several processes may share its Dir.
type Fetcher struct {
	o      Options
	reader *remote.Reader
	locks  sync.Map // tree entry folder → *sync.Mutex: one fetch of a repository and ref at a time
}

// New returns a Fetcher.
func New(o Options) *Fetcher {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	reader := remote.New(remote.Options{
		Token: remote.GitTokens(o.Credentials), Refused: remote.GitRefused(o.Credentials), Allowed: o.Allowed, AllowHint: o.AllowHint,
		Cache: fileCache{filepath.Join(o.Dir, "files")}, Transport: o.Transport, Now: o.Now, Log: o.Log,
	})
	return &Fetcher{o: o, reader: reader}
}

// Result is what a URL named.
type Result struct {
	// Files holds it: the repository at Commit for a folder, the one file
	// for a file.
	Files catalog.Files
	// Path is the folder or file in Files ("" for a repository's root).
	Path string
	// Commit is the folder's commit; "" for a file.
	Commit string
	// ReadAt is when the server last gave or confirmed it.
	ReadAt time.Time
	// Stale, when set, says why the server could not be asked now: the
	// copy kept from ReadAt is used.
	Stale error
}

// File reads the file raw names. Errors are those of remote.Session.Read:
// the server refused the file, the host is not allowed, or the server
// could not be asked and nothing is kept.
func (f *Fetcher) File(ctx context.Context, raw string) (Result, error) {
	t, err := remote.Parse(raw)
	if err != nil {
		return Result{}, err
	}
	file, err := f.reader.Session(remote.Home{}, remote.Budget{}).Read(ctx, raw)
	if err != nil {
		return Result{}, err
	}
	name := path.Base(t.Path)
	if name == "." || name == "/" || name == "" {
		name = "file"
	}
	return Result{Files: catalog.MapFiles{name: string(file.Data)}, Path: name, ReadAt: file.ReadAt, Stale: file.Stale}, nil
}

// Kept says whether a copy of what raw names is kept, and when it was
// read: such a fetch needs no network.
func (f *Fetcher) Kept(ctx context.Context, raw string, folder bool) (readAt time.Time, ok bool, err error) {
	if !folder {
		e, ok, err := fileCache{filepath.Join(f.o.Dir, "files")}.Get(ctx, raw)
		return e.ReadAt, ok, err
	}
	t, err := remote.Parse(raw)
	if err != nil {
		return time.Time{}, false, err
	}
	clone, err := cloneURL(t)
	if err != nil {
		return time.Time{}, false, err
	}
	cur, ok, err := readCurrent(f.entry(clone, t.RefName()))
	return cur.ReadAt, ok, err
}

// lock takes the lock of one tree entry.
func (f *Fetcher) lock(entry string) func() {
	m, _ := f.locks.LoadOrStore(entry, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// final says whether a fetch failed because the server says the folder is
// not there for us, rather than because it could not be asked: a kept
// copy does not stand in for a repository deleted or closed to us.
func final(err error) bool {
	return errors.Is(err, gitfetch.ErrNoRef) || errors.Is(err, remote.ErrNotAllowed) || errors.Is(err, remote.ErrBadURL) ||
		isRefusal(err)
}
