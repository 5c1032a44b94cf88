package remote

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/internal/testbin"
	"github.com/callboard/callboard/sync/gitfetch"
)

// A token the host refuses makes the credentials forget the programs'
// answers for that host, as a refused fetch does: the next session asks
// the GitHub CLI again and sends the token renewed meanwhile.
func TestRefusedGitTokenIsAskedAgain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	setToken := func(s string) {
		t.Helper()
		if err := os.WriteFile(tokenFile, []byte(s+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	setToken("expired")
	if err := testbin.Write(filepath.Join(dir, "gh"), []byte("#!/bin/sh\nread -r token < '"+tokenFile+"'\necho \"$token\"\n")); err != nil {
		t.Fatal(err)
	}
	creds := gitfetch.Credentials{Helpers: &gitfetch.Helpers{Getenv: func(k string) string {
		if k == "PATH" {
			return dir
		}
		return ""
	}}}
	base, tr := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.Header.Get("Authorization"), " renewed") {
			http.Error(w, "bad credentials", http.StatusUnauthorized)
			return
		}
		w.Write([]byte("a: 1\n"))
	}))
	r := New(Options{Transport: tr, Token: GitTokens(creds), Refused: GitRefused(creds)})
	const file = "/o/r/blob/main/a.yaml"
	if _, err := r.Session(Home{}, Budget{}).Read(context.Background(), base+file); err == nil {
		t.Fatal("read with the expired token: no error")
	}
	setToken("renewed")
	got, err := r.Session(Home{}, Budget{}).Read(context.Background(), base+file)
	if err != nil || string(got.Data) != "a: 1\n" {
		t.Errorf("read after the token was renewed: %q, %v", got.Data, err)
	}
}
