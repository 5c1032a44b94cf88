// Package demo holds the embedded demo organisation the app opens with on first start.
package demo
