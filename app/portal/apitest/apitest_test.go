package apitest

import (
	"strings"
	"testing"
)

// A method added to portal.API without a case here fails this test, and
// every run of the suite.
func TestEveryMethodHasACase(t *testing.T) {
	t.Parallel()
	missing, extra := Coverage()
	if len(missing) > 0 {
		t.Errorf("portal.API methods without a case: %s", strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		t.Errorf("cases for no portal.API method: %s", strings.Join(extra, ", "))
	}
}
