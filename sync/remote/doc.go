// Package remote reads files named by URL — forge URLs parsed as Backstage's
// URL readers parse them, or plain https — within bounds, sending a token
// only to the host it belongs to, and keeps what it read for offline use.
package remote
