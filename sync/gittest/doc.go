// Package gittest builds real git repositories on disk for tests, with a fixed author and time so hashes are stable.
package gittest
