// Package portaltest gives tests a real portal over a temporary data dir and serves an API over loopback or a unix socket.
package portaltest
