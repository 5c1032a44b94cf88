package syncer

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/gittest"
)

// cloneOf is where setup's syncer keeps the clone of location "loc".
func cloneOf(s *Syncer) string { return filepath.Join(s.clones, "loc") }

func TestSyncRepairsADamagedClone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		damage func(t *testing.T, clone string)
	}{
		{"packs truncated", func(t *testing.T, clone string) {
			packs, _ := filepath.Glob(filepath.Join(clone, "objects", "pack", "*.pack"))
			if len(packs) == 0 {
				t.Fatal("the clone has no pack to damage")
			}
			for _, p := range packs {
				if err := os.Truncate(p, 40); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"objects deleted", func(t *testing.T, clone string) {
			if err := os.RemoveAll(filepath.Join(clone, "objects")); err != nil {
				t.Fatal(err)
			}
		}},
		{"HEAD garbled", func(t *testing.T, clone string) {
			if err := os.WriteFile(filepath.Join(clone, "HEAD"), []byte("garbage\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			repo := gittest.New(t)
			repo.Commit("first", map[string][]byte{"catalog-info.yaml": comp("alpha")})
			s, db, _ := setup(t, repo.Dir)
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			tt.damage(t, cloneOf(s))
			repo.Commit("second", map[string][]byte{"catalog-info.yaml": comp("beta")})
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatalf("sync over a damaged clone: %v", err)
			}
			if diff := cmp.Diff([]string{"component:default/beta"}, names(t, db)); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}

// A rewritten remote (a force push) is followed: the store holds the new history's head.
func TestSyncFollowsAForcePush(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": comp("alpha")})
	repo.Commit("second", map[string][]byte{"catalog-info.yaml": comp("beta")})
	s, db, _ := setup(t, repo.Dir)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", repo.Dir, "-c", "user.name=t", "-c", "user.email=t@callboard.invalid"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("reset", "-q", "--hard", "HEAD~1")
	if err := os.WriteFile(filepath.Join(repo.Dir, "catalog-info.yaml"), comp("gamma"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("commit", "-q", "-am", "rewritten")
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatalf("sync after a force push: %v", err)
	}
	if diff := cmp.Diff([]string{"component:default/gamma"}, names(t, db)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

// The server dies in the middle of sending the pack: the sync fails, the
// last good entities stay, marked stale, and the next sync completes.
func TestSyncServerDiesMidFetch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": comp("alpha")})
	var dying atomic.Bool
	base := gittest.HTTPBackend(t, filepath.Dir(repo.Dir), func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if dying.Load() && strings.HasSuffix(r.URL.Path, "git-upload-pack") {
			// Send the start of a pack, then drop the connection.
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return
			}
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-result\r\n\r\n0008NAK\n0019\x01PACK\x00\x00\x00\x02\x00\x00\x00\x05")
			buf.Flush()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
			return
		}
		next.ServeHTTP(w, r)
	})
	s, db, _ := setup(t, base+"/"+filepath.Base(repo.Dir))
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	repo.Commit("second", map[string][]byte{"catalog-info.yaml": comp("beta")})
	dying.Store(true)
	if err := s.Sync(ctx, "loc"); err == nil {
		t.Fatal("a sync whose pack was cut off succeeded")
	}
	loc, _, _ := db.Location(ctx, "loc")
	if loc.LastError == "" || loc.StaleSince.IsZero() || loc.Failures != 1 {
		t.Errorf("location after the cut = %+v", loc)
	}
	if diff := cmp.Diff([]string{"component:default/alpha"}, names(t, db)); diff != "" {
		t.Errorf("entities after the cut (-want +got):\n%s", diff)
	}
	dying.Store(false)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatalf("sync after the server came back: %v", err)
	}
	if diff := cmp.Diff([]string{"component:default/beta"}, names(t, db)); diff != "" {
		t.Errorf("entities after recovery (-want +got):\n%s", diff)
	}
}

func TestRemoteProgress(t *testing.T) {
	t.Parallel()
	var got [][2]int
	p := &remoteProgress{report: func(done, total int) { got = append(got, [2]int{done, total}) }}
	for _, chunk := range []string{"Enumerating objects: 5, done.\n", "Counting objects:  40% (2/5)\rCounting obj", "ects: 100% (5/5), done.\n", "Total 5 (delta 0)\n"} {
		p.Write([]byte(chunk))
	}
	if diff := cmp.Diff([][2]int{{2, 5}, {5, 5}}, got); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}

// A sync its caller cancels (the app quitting mid-fetch) is no failure:
// nothing is recorded, so the next start syncs a never-synced location at
// once instead of after a retry delay, and a synced one keeps its state.
func TestSyncCancelledIsNoFailure(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": comp("alpha")})
	ctx, cancel := context.WithCancel(context.Background())
	base := gittest.HTTPBackend(t, filepath.Dir(repo.Dir), func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		cancel() // the caller leaves while the server is asked
		next.ServeHTTP(w, r)
	})
	s, db, _ := setup(t, base+"/"+filepath.Base(repo.Dir))
	if err := s.Sync(ctx, "loc"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sync: %v, want context.Canceled", err)
	}
	loc, _, _ := db.Location(context.Background(), "loc")
	if loc.LastError != "" || loc.Failures != 0 || !loc.LastAttempt.IsZero() {
		t.Errorf("location after a cancelled sync = %+v, want no attempt recorded", loc)
	}
	if err := s.Sync(context.Background(), "loc"); err != nil {
		t.Fatalf("sync after the cancelled one: %v", err)
	}
}
