package httpapi_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/portal/portaltest"
)

// TestWindowOpen: a link forwarded over the socket reaches the window as
// the route it opens, or comes back with its URL when a browser shows it;
// a link the instance refuses never reaches the window.
func TestWindowOpen(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var routes []string
	open := func(_ context.Context, route string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		routes = append(routes, route)
		if strings.HasPrefix(route, "/search") {
			return "http://127.0.0.1:7007/#" + route, nil
		}
		return "", nil
	}
	sock := portaltest.Socket(t, httpapi.New(portaltest.Demo(t).Service, httpapi.Options{Open: open, LoopbackOnly: true, Log: quiet}))
	client := apiclient.New(sock)
	tests := []struct {
		link, url, code string
	}{
		{"callboard://entity/component:default/booking-service/docs", "", ""},
		{"callboard://search?q=booking", "http://127.0.0.1:7007/#/search?q=booking", ""},
		{"callboard://entity/component:default/../../x", "", string(portal.CodeInvalid)},
		{"javascript:alert(1)", "", string(portal.CodeInvalid)},
		{"callboard://search?q=" + strings.Repeat("a", 20<<10), "", string(portal.CodeInvalid)},
	}
	for _, tt := range tests {
		url, err := client.OpenLink(t.Context(), tt.link)
		var perr *portal.Error
		switch {
		case tt.code == "" && (err != nil || url != tt.url):
			t.Errorf("OpenLink(%.40q) = %q, %v; want %q", tt.link, url, err, tt.url)
		case tt.code != "" && (!errors.As(err, &perr) || string(perr.Code) != tt.code):
			t.Errorf("OpenLink(%.40q) = %q, %v; want a %s error", tt.link, url, err, tt.code)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"/catalog/component/default/booking-service?tab=docs", "/search?q=booking"}
	if strings.Join(routes, " ") != strings.Join(want, " ") {
		t.Errorf("the window was sent %q, want %q", routes, want)
	}
}
