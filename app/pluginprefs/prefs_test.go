package pluginprefs

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
)

// keyring stands in for the OS keyring.
type keyring map[string]string

func (k keyring) Get(key string) (string, error) { return k[key], nil }
func (k keyring) Set(key, v string) error        { k[key] = v; return nil }
func (k keyring) Delete(key string) error        { delete(k, key); return nil }

func open(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// What is set is what the host is given: on/off and configuration from
// the store, the secrets it asks for from the keyring, "" removing one.
func TestSetThenForHost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	secrets := keyring{}
	p := New(open(t), secrets)
	steps := []struct {
		name    string
		prefs   store.PluginPrefs
		secrets map[string]string
		asked   []string
		want    host.Settings
	}{
		{"never set: enabled, nothing configured", store.PluginPrefs{}, nil, []string{"token"},
			host.Settings{Enabled: true, Config: map[string]string{}, Secrets: map[string]string{}}},
		{"configured, with a secret", store.PluginPrefs{Config: map[string]string{"greeting": "Ahoy"}}, map[string]string{"token": "s3cret"}, []string{"token"},
			host.Settings{Enabled: true, Config: map[string]string{"greeting": "Ahoy"}, Secrets: map[string]string{"token": "s3cret"}}},
		{"secrets not asked for are not read", store.PluginPrefs{Config: map[string]string{"greeting": "Ahoy"}}, nil, nil,
			host.Settings{Enabled: true, Config: map[string]string{"greeting": "Ahoy"}, Secrets: map[string]string{}}},
		{"turned off, secret removed", store.PluginPrefs{Disabled: true}, map[string]string{"token": ""}, []string{"token"},
			host.Settings{Config: map[string]string{}, Secrets: map[string]string{}}},
	}
	for i, st := range steps {
		if i > 0 {
			if err := p.Set(ctx, "ok", st.prefs, st.secrets); err != nil {
				t.Fatalf("%s: set: %v", st.name, err)
			}
		}
		got, err := p.ForHost(ctx, "ok", st.asked)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if d := cmp.Diff(st.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", st.name, d)
		}
	}
	if len(secrets) != 0 {
		t.Errorf("the keyring keeps %v", secrets)
	}
	all, err := p.All(ctx)
	if err != nil || !all["ok"].Disabled {
		t.Errorf("All: %+v, %v", all, err)
	}
}

// Without a keyring, a secret is refused and nothing is saved.
func TestNoKeyring(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := New(open(t), nil)
	err := p.Set(ctx, "ok", store.PluginPrefs{Disabled: true}, map[string]string{"token": "s3cret"})
	if !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Set: %v, want ErrNoKeyring", err)
	}
	if all, _ := p.All(ctx); all["ok"].Disabled {
		t.Error("the prefs were saved with the secret refused")
	}
	if v, err := p.Secret("ok", "token"); v != "" || err != nil {
		t.Errorf("Secret: %q, %v", v, err)
	}
}
