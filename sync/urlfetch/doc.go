// Package urlfetch reads what software templates fetch by URL: a folder of
// another repository through one shallow fetch per repository and ref, a
// file through the remote reader; both are kept on disk and used when the
// server cannot be asked.
package urlfetch
