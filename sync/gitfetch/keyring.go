package gitfetch

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/zalando/go-keyring"
)

// keyringService is the service name Callboard's tokens are filed under in
// the OS keyring (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows); the account is the host, e.g. github.com.
const keyringService = "callboard"

// Keyring reads and writes https tokens in the OS keyring.
type Keyring struct {
	// Getenv tells whether a keyring can be reached: on Linux the Secret
	// Service needs a session bus, and asking for one without it would
	// start a stray dbus.
	Getenv func(string) string
}

// available reports whether the OS keyring can be asked at all.
func (k Keyring) available() bool {
	return runtime.GOOS != "linux" || k.Getenv != nil && k.Getenv("DBUS_SESSION_BUS_ADDRESS") != ""
}

// Token returns the token stored for host, or "" when there is none.
func (k Keyring) Token(host string) (string, error) {
	if !k.available() {
		return "", nil
	}
	token, err := keyring.Get(keyringService, host)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the token for %s from the OS keyring: %w", host, err)
	}
	return token, nil
}

// SetToken stores token for host, replacing any other.
func (k Keyring) SetToken(host, token string) error {
	if !k.available() {
		return errors.New("no OS keyring is reachable (on Linux: no session bus, DBUS_SESSION_BUS_ADDRESS); give the token in " + TokenEnv + " instead")
	}
	if err := keyring.Set(keyringService, host, token); err != nil {
		return fmt.Errorf("store the token for %s in the OS keyring: %w", host, err)
	}
	return nil
}

// DeleteToken removes the token stored for host; none is not an error.
func (k Keyring) DeleteToken(host string) error {
	if !k.available() {
		return nil
	}
	if err := keyring.Delete(keyringService, host); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("remove the token for %s from the OS keyring: %w", host, err)
	}
	return nil
}
