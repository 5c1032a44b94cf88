// Package events names the portal's events and fans them out to every front end that listens.
package events
