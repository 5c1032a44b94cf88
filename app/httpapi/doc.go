// Package httpapi serves the portal API as JSON, its events as Server-Sent Events, and the UI's static files.
package httpapi
