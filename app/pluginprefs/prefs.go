package pluginprefs

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
)

// ErrNoKeyring means a secret was given but there is no keyring to keep
// it in; nothing was saved.
var ErrNoKeyring = errors.New("no OS keyring to keep secrets in")

// Secrets keeps secrets out of the store: the OS keyring. Get returns ""
// for a key that has no secret.
type Secrets interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
}

// Settings reads and changes the user's settings; *store.DB is the one in
// use.
type Settings interface {
	Settings(ctx context.Context) (store.Settings, error)
	UpdateSettings(ctx context.Context, fn func(*store.Settings) error) error
}

// Prefs are the plugins' settings. It needs neither the plugin host nor
// the portal, so both can be built on it.
type Prefs struct {
	settings Settings
	secrets  Secrets
}

// New returns the plugins' settings over the store's settings and a
// keyring; secrets may be nil, and then no secret can be kept.
func New(settings Settings, secrets Secrets) *Prefs {
	return &Prefs{settings: settings, secrets: secrets}
}

// All returns every plugin's on/off and configuration, by name; a plugin
// not in it is enabled, unconfigured.
func (p *Prefs) All(ctx context.Context) (map[string]store.PluginPrefs, error) {
	st, err := p.settings.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the plugins' settings: %w", err)
	}
	return st.Plugins, nil
}

// Secret returns one of plugin's secrets, "" when it is not set.
func (p *Prefs) Secret(plugin, key string) (string, error) {
	if p.secrets == nil {
		return "", nil
	}
	v, err := p.secrets.Get(secretKey(plugin, key))
	if err != nil {
		return "", fmt.Errorf("read the secret %q of plugin %s: %w", key, plugin, err)
	}
	return v, nil
}

// Set saves plugin's on/off and configuration, and the secrets given (""
// removes one). Secrets go first: a secret that cannot be kept leaves the
// rest unsaved.
func (p *Prefs) Set(ctx context.Context, plugin string, prefs store.PluginPrefs, secrets map[string]string) error {
	for k, v := range secrets {
		if p.secrets == nil {
			return fmt.Errorf("plugin %s: secret %q: %w", plugin, k, ErrNoKeyring)
		}
		var err error
		if v == "" {
			err = p.secrets.Delete(secretKey(plugin, k))
		} else {
			err = p.secrets.Set(secretKey(plugin, k), v)
		}
		if err != nil {
			return fmt.Errorf("plugin %s: secret %q: %w", plugin, k, err)
		}
	}
	prefs.Config = maps.Clone(prefs.Config)
	err := p.settings.UpdateSettings(ctx, func(st *store.Settings) error {
		if st.Plugins == nil {
			st.Plugins = map[string]store.PluginPrefs{}
		}
		st.Plugins[plugin] = prefs
		return nil
	})
	if err != nil {
		return fmt.Errorf("save the settings of plugin %s: %w", plugin, err)
	}
	return nil
}

// ForHost is what the plugin host asks before each call (its
// Options.Settings): whether plugin is enabled, its configuration, and
// the values of secretKeys read from the keyring.
func (p *Prefs) ForHost(ctx context.Context, plugin string, secretKeys []string) (host.Settings, error) {
	all, err := p.All(ctx)
	if err != nil {
		return host.Settings{}, err
	}
	prefs := all[plugin]
	out := host.Settings{Enabled: !prefs.Disabled, Config: maps.Clone(prefs.Config), Secrets: map[string]string{}}
	if out.Config == nil {
		out.Config = map[string]string{}
	}
	for _, k := range secretKeys {
		v, err := p.Secret(plugin, k)
		if err != nil {
			return host.Settings{}, err
		}
		if v != "" {
			out.Secrets[k] = v
		}
	}
	return out, nil
}

// secretKey is where a plugin's secret is kept in the keyring.
func secretKey(plugin, key string) string { return "plugin:" + plugin + ":" + key }
