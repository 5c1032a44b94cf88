// Package desktop shows the portal in a Wails window: it binds the portal API and forwards its events; the only package that imports Wails.
package desktop
