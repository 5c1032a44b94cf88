// Package apiclient calls a running Callboard instance's portal API over its local socket.
package apiclient
