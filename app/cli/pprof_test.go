package cli

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
)

func TestServePprof(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.DiscardHandler)
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", "192.0.2.1:6060", "example.com:6060", "nonsense"} {
		if _, stop, err := servePprof(context.Background(), addr, log); err == nil {
			stop()
			t.Errorf("%s: profiles served beyond loopback", addr)
		}
	}
	at, stop, err := servePprof(context.Background(), "127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	res, err := http.Get("http://" + at.String() + "/debug/pprof/heap")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("heap profile: %s", res.Status)
	}
}
