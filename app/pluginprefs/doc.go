// Package pluginprefs keeps what the user chose for each plugin: on or off and its configuration in the store's settings, its secrets in the OS keyring.
package pluginprefs
