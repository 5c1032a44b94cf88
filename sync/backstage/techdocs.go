package backstage

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"strings"
)

// MaxDocsFile bounds one file read from the TechDocs storage: a page
// of a built site, its metadata or an image.
const MaxDocsFile = 4 << 20

// TechDocs reads file of the built TechDocs site of the entity
// namespace/kind/name from the backend's TechDocs storage (GET
// /api/techdocs/static/docs/<namespace>/<kind>/<name>/<file>), with the
// token, to the base URL's host only, bounded to MaxDocsFile. The
// triplet is lower-cased, as the storage keeps it by default. A file the
// storage lacks is ErrBadResponse (404).
func (c *Client) TechDocs(ctx context.Context, namespace, kind, name, file string) ([]byte, error) {
	for _, seg := range []string{namespace, kind, name} {
		if seg == "" || strings.ContainsAny(seg, "/\\") || seg == "." || seg == ".." {
			return nil, fmt.Errorf("%w: %q is not a part of an entity ref", ErrBadURL, seg)
		}
	}
	if err := checkDocsFile(file); err != nil {
		return nil, err
	}
	p := "/techdocs/static/docs/" + strings.ToLower(namespace+"/"+kind+"/"+name) + "/" + file
	b, err := c.call(ctx, http.MethodGet, p, nil, nil)
	if err != nil {
		return nil, err
	}
	if len(b) > MaxDocsFile {
		return nil, fmt.Errorf("%w: %s of the TechDocs of %s:%s/%s is over %d MiB", ErrBadResponse, file, kind, namespace, name, MaxDocsFile>>20)
	}
	return b, nil
}

// checkDocsFile refuses a file name that would leave the entity's site.
func checkDocsFile(file string) error {
	if file == "" || strings.HasPrefix(file, "/") || strings.ContainsAny(file, "\\?#\x00") || path.Clean(file) != file || file == ".." || strings.HasPrefix(file, "../") {
		return fmt.Errorf("%w: %q is not a file of a TechDocs site", ErrBadURL, file)
	}
	return nil
}
