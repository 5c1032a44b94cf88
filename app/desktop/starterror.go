package desktop

import (
	"bytes"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

// ShowStartError shows why Callboard could not start (its store written by
// a newer Callboard, say) in a small window of its own, and blocks until
// the user closes it: an app started from a menu has no terminal to print
// to. The main window's page is not used, since it needs the portal.
func ShowStartError(message string, log *slog.Logger) error {
	page, err := startErrorPage(message)
	if err != nil {
		return err
	}
	err = wails.Run(&options.App{
		Title:            "Callboard could not start",
		Width:            640,
		Height:           320,
		BackgroundColour: options.NewRGB(0x16, 0x18, 0x1d),
		AssetServer: &assetserver.Options{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		})},
		Logger:   slogAdapter{log.With("component", "desktop")},
		LogLevel: logger.WARNING,
		Linux:    &linux.Options{ProgramName: "callboard"},
	})
	if err != nil {
		return fmt.Errorf("show why Callboard could not start: %w", err)
	}
	return nil
}

const startErrorHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Callboard could not start</title>
<style>body{font:15px/1.5 system-ui,sans-serif;color:#e6e8ee;background:#16181d;margin:2em}h1{font-size:1.3em}p.why{white-space:pre-wrap;overflow-wrap:anywhere;user-select:text}</style>
</head><body><h1>Callboard could not start</h1><p class="why">{{.}}</p><p>Close this window to quit.</p></body></html>
`

// startErrorPage is the page ShowStartError shows: message, escaped.
func startErrorPage(message string) ([]byte, error) {
	tmpl, err := template.New("start").Parse(startErrorHTML)
	if err != nil {
		return nil, fmt.Errorf("render why Callboard could not start: %w", err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, message); err != nil {
		return nil, fmt.Errorf("render why Callboard could not start: %w", err)
	}
	return b.Bytes(), nil
}
