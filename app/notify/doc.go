// Package notify shows a desktop notification through the platform's own
// service: D-Bus or notify-send on Linux, osascript on macOS, a log line
// elsewhere.
package notify
