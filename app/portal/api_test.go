package portal_test

import (
	"testing"

	"github.com/callboard/callboard/app/portal/apitest"
)

// TestAPI runs the API's behavioural suite against the Service itself;
// app/httpapi runs it again through the client and the socket.
func TestAPI(t *testing.T) {
	t.Parallel()
	apitest.Run(t, func(t *testing.T, root string) apitest.Fixture {
		_, f := apitest.Open(t, root)
		return f
	})
}
