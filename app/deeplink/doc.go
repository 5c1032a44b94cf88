// Package deeplink reads callboard:// links into the UI routes they open, and writes a route's link.
package deeplink
