package discover_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/discover/forgetest"
)

func TestRateLimits(t *testing.T) {
	t.Parallel()
	for _, fg := range forges {
		for _, tc := range []struct {
			name      string
			set       func(*forgetest.Server)
			deadline  time.Duration // 0: none
			wantErr   error
			wantSlept time.Duration // at least
		}{
			{name: "secondary", set: func(s *forgetest.Server) { s.SecondaryLimit(2) }, wantSlept: 2 * time.Minute},
			{name: "primary", set: func(s *forgetest.Server) { s.PrimaryLimit(1) }, wantSlept: time.Minute},
			{name: "past the deadline", set: func(s *forgetest.Server) { s.SecondaryLimit(1) }, deadline: 30 * time.Second, wantErr: discover.ErrRateLimited},
			{name: "past the retries", set: func(s *forgetest.Server) { s.SecondaryLimit(100) }, wantErr: discover.ErrRateLimited},
		} {
			t.Run(fg.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				org := &forgetest.Org{Login: "acme", Repos: forgetest.Generate(250, func(i int) bool { return i%2 == 0 })}
				f := newFixture(t, fg.serve, fg.forge, org, discover.Filters{})
				ctx := context.Background()
				if tc.deadline > 0 {
					// A wait that would end after the deadline is refused
					// up front, not slept through.
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tc.deadline)
					defer cancel()
				}
				tc.set(f.srv)
				l, _, err := f.forge.List(ctx, nil)
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Fatalf("error %v, want %v", err, tc.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(l.Repos) != 250 || len(l.Catalogued()) != 125 {
					t.Errorf("%d repositories, %d catalogued", len(l.Repos), len(l.Catalogued()))
				}
				if slept, _ := f.clock.Slept(); slept < tc.wantSlept {
					t.Errorf("waited %v, want at least %v", slept, tc.wantSlept)
				}
			})
		}
	}
}

func TestScopes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fg    int
		scope string
		call  func(discover.Forge) error
	}{
		{"github teams need read:org", 0, "read:org", func(f discover.Forge) error { _, err := f.Org(context.Background()); return err }},
		{"gitlab needs read_api", 1, "read_api", func(f discover.Forge) error { _, _, err := f.List(context.Background(), nil); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fg := forges[tc.fg]
			f := newFixture(t, fg.serve, fg.forge, mixedOrg(), discover.Filters{}, forgetest.WithScopes("repo"))
			err := tc.call(f.forge)
			var se *discover.ScopeError
			if !errors.As(err, &se) || !errors.Is(err, discover.ErrScope) || se.Scope != tc.scope {
				t.Fatalf("error %v, want a scope error naming %s", err, tc.scope)
			}
		})
	}
}

func TestAuthAndMissingOrg(t *testing.T) {
	t.Parallel()
	for _, fg := range forges {
		t.Run(fg.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fg.serve, fg.forge, mixedOrg(), discover.Filters{})
			bad := f.newForge(t, discover.Options{Token: func(context.Context, string) (string, error) { return "another", nil }})
			if _, _, err := bad.List(context.Background(), nil); !errors.Is(err, discover.ErrAuth) {
				t.Errorf("wrong token: %v, want ErrAuth", err)
			}
			src := f.src
			src.Owner = "nobody"
			missing, err := discover.New(src, discover.Options{Token: func(context.Context, string) (string, error) { return f.srv.Token, nil }})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := missing.List(context.Background(), nil); !errors.Is(err, discover.ErrNotFound) {
				t.Errorf("missing org: %v, want ErrNotFound", err)
			}
		})
	}
}

func TestBounds(t *testing.T) {
	t.Parallel()
	for _, fg := range forges {
		t.Run(fg.name, func(t *testing.T) {
			t.Parallel()
			org := &forgetest.Org{Login: "acme", Repos: forgetest.Generate(300, nil)}
			f := newFixture(t, fg.serve, fg.forge, org, discover.Filters{})
			if _, _, err := f.newForge(t, discover.Options{MaxRepos: 150}).List(context.Background(), nil); !errors.Is(err, discover.ErrTooMany) {
				t.Errorf("300 repositories over a cap of 150: %v, want ErrTooMany", err)
			}
			if _, _, err := f.newForge(t, discover.Options{MaxBody: 1024}).List(context.Background(), nil); !errors.Is(err, discover.ErrTooLarge) {
				t.Errorf("a page over 1 KiB: %v, want ErrTooLarge", err)
			}
		})
	}
}
