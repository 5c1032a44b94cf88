package httpapi

import (
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/callboard/callboard/app/portal"
)

// static serves the UI's files; they are only ever read, and a folder is
// not listed (the root serves index.html).
func static(ui fs.FS) http.Handler {
	files := http.FileServerFS(ui)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			refuse(w, http.StatusMethodNotAllowed, portal.CodeInvalid, fmt.Sprintf("%s is not allowed on %s", r.Method, r.URL.Path))
			return
		}
		if name := strings.Trim(path.Clean(r.URL.Path), "/"); name != "" {
			if st, err := fs.Stat(ui, name); err == nil && st.IsDir() {
				http.NotFound(w, r)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}
