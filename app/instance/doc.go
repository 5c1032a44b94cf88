// Package instance opens the one portal instance a data dir allows, or reaches the one already running there.
package instance
