// Package notify shows a desktop notification through the platform's own
// service: D-Bus or notify-send on Linux, the window's (Wails') or
// osascript on macOS, the window's on Windows, a log line where none answers.
package notify
