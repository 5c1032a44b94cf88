package httpapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/catalogapi"
	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/portal/portaltest"
)

// TestCatalogMount checks that Backstage's catalog API answers under
// /api/catalog behind the same guard as the rest: a Bearer token, and
// loopback hosts only.
func TestCatalogMount(t *testing.T) {
	t.Parallel()
	l := portaltest.Demo(t)
	cat := catalogapi.New(l.DB, catalogapi.Options{Locations: catalogapi.PortalLocations(l.Service), Log: quiet})
	base := portaltest.Loopback(t, httpapi.New(l.Service, httpapi.Options{Token: "s3cret", LoopbackOnly: true, Catalog: cat, Log: quiet}))
	tests := []struct {
		name, path, token string
		want              int
		prefix            string
	}{
		{"no token", "/api/catalog/entities?filter=kind=component", "", http.StatusUnauthorized, ""},
		{"bearer", "/api/catalog/entities?filter=kind=component", "s3cret", http.StatusOK, `[{"apiVersion":`},
		{"facets", "/api/catalog/entity-facets?facet=kind", "s3cret", http.StatusOK, `{"facets":{"kind":[{`},
		{"bad filter", "/api/catalog/entities?filter=%3Dx", "s3cret", http.StatusBadRequest, `{"error":{"message":"Invalid filter`},
		{"unknown entity", "/api/catalog/entities/by-name/component/default/nope", "s3cret", http.StatusNotFound, `{"error":`},
		{"locations", "/api/catalog/locations", "s3cret", http.StatusOK, `[{"data":{`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest("GET", base+tc.path, nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want || !strings.HasPrefix(string(body), tc.prefix) {
				t.Errorf("%s: %d %s, want %d", tc.path, resp.StatusCode, body, tc.want)
			}
		})
	}
}
