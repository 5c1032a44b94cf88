// Package winplace remembers where the desktop window was, and puts it back where a screen shows it.
package winplace
