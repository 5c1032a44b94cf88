package portal

import (
	"testing"

	"github.com/callboard/callboard/app/store"
)

func TestADRDir(t *testing.T) {
	t.Parallel()
	loc := store.Location{URL: "https://github.com/acme/fares.git"}
	tests := []struct {
		file, value, want string
		ok                bool
	}{
		{"catalog-info.yaml", "docs/adr", "docs/adr", true},
		{"services/fares/catalog-info.yaml", "./docs/adr/", "services/fares/docs/adr", true},
		{"services/fares/catalog-info.yaml", "../shared/adr", "services/shared/adr", true},
		{"catalog-info.yaml", ".", "", true},
		{"services/x.yaml", "/docs/adr", "docs/adr", true},
		{"catalog-info.yaml", "https://github.com/acme/fares/tree/main/docs/adr", "docs/adr", true},
		{"catalog-info.yaml", "https://github.com/acme/other/tree/main/docs/adr", "", false},
		{"catalog-info.yaml", "../adr", "", false},
		{"catalog-info.yaml", "ftp://example.com/adr", "", false},
	}
	for _, tt := range tests {
		got, err := adrDir(loc, tt.file, tt.value)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("adrDir(%q, %q) = %q, %v; want %q, ok %v", tt.file, tt.value, got, err, tt.want, tt.ok)
		}
	}
}
