package catalogapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestValidateEntity(t *testing.T) {
	t.Parallel()
	h := New(loadGencat(t, nil), Options{Log: quiet})
	tests := []struct {
		name, body string
		want       int
		errs       string
	}{
		{"valid", `{"location":"url:https://github.com/acme/x/blob/main/catalog-info.yaml","entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"x"},"spec":{"type":"service","owner":"team-a","lifecycle":"production"}}}`, 200, ""},
		{"a bad name", `{"location":"url:https://github.com/acme/x","entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"not valid!"},"spec":{"type":"service","owner":"team-a","lifecycle":"production"}}}`, 400, `"name":"InputError"`},
		{"not a url location", `{"location":"file:/tmp/x.yaml","entity":{}}`, 400, `only 'url:<target>'`},
		{"no location", `{"entity":{}}`, 400, `'location'`},
		{"not an object", `{"location":"url:https://h/x","entity":[1]}`, 400, "Expected object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/validate-entity", strings.NewReader(tc.body)))
			if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.errs) {
				t.Errorf("%d %s, want %d with %s", rec.Code, rec.Body.String(), tc.want, tc.errs)
			}
		})
	}
}
