// Package adr reads architecture decision records (MADR and Nygard
// Markdown files) of a folder, as Backstage's ADR plugin lists them.
package adr
