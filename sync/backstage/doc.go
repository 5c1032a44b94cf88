// Package backstage reads an organisation's catalog from its Backstage
// backend's catalog API, whole or as the changes since the last read.
package backstage
